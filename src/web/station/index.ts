import type { Request, Response, Server } from 'restify';
import type { Language } from '../../domain/language';
import { STATION_LOCATION_PATH, STATION_SCAN_PATH } from '../../domain/links';
import { parseMacAddress } from '../../domain/station';
import type { Logger } from '../../logger';
import type { Translator } from '../../services/i18n/translator';
import type { QrDecoder } from '../../services/stations/qrImageReader';
import type { StationActions } from '../../services/stations/stationActions';
import type { LinkTokenFailure } from '../../services/tokens/hmacLinkTokens';
import type { LinkTokens } from '../../services/tokens/linkTokens';
import { guardedPage, type PageHandler } from '../pages/guardedPage';
import { formField, languageField, otherLanguage, requestLanguage, sendPage } from '../pages/pageRequest';
import { newNonce, type PageContext } from '../pages/layout';
import { problemStatus } from '../pages/messagePage';
import { discardUploads, redirect, takePhoto } from './http';
import { identifyStation, readPosition } from './identify';
import { renderLocationPage } from './locationPage';
import { renderLocalizedPage, renderStationProblemPage } from './messages';
import { renderScanPage } from './scanPage';
import { sendTooManyRequestsPage } from '../pages/tooManyRequestsPage';
import type { Limits } from '../../services/limits/limits';
import type { ClientAddressOf } from '../../services/limits/clientAddress';

export interface StationRouteDeps {
  tokens: LinkTokens;
  stations: StationActions;
  translator: Translator;
  logger: Logger;
  /** Photo uploads per installer and per client address; absent → unlimited. */
  limits?: { limits: Pick<Limits, 'take'>; clientAddress: ClientAddressOf };
  /** Reads the QR code in an uploaded photo, off the main thread (QrDecodePool.decode). */
  decodeQr: QrDecoder;
}


export function stationScanHref(token: string, language: Language): string {
  return `${STATION_SCAN_PATH}?token=${encodeURIComponent(token)}&lang=${language}`;
}

export function stationLocationHref(token: string, mac: string, language: Language): string {
  return `${STATION_LOCATION_PATH}?token=${encodeURIComponent(token)}&mac=${encodeURIComponent(mac)}&lang=${language}`;
}

/**
 * The on-site pages (Teams dialogs in Teams, browser tabs elsewhere): /station/scan identifies the
 * station, /station/location pinpoints it. The station link is only checked, never used up: one
 * link serves every station on the site for its two hours.
 */
export function registerStationRoutes(server: Server, deps: StationRouteDeps): void {
  const { tokens, stations, translator, logger, decodeQr } = deps;


  function context(language: Language, switchHref: string): PageContext {
    return { translator, language, nonce: newNonce(), switchHref };
  }

  function sendProblem(req: Request, res: Response, token: string, reason: LinkTokenFailure): void {
    logger.info({ purpose: 'station', reason }, 'station link refused');
    const language = requestLanguage(req);
    const ctx = context(language, stationScanHref(token, otherLanguage(language)));
    sendPage(res, problemStatus(reason), ctx.nonce, renderStationProblemPage(ctx, reason));
  }

  /** Any failure: the localized error page, a log line without the request's secrets, and no upload left on disk. */
  const guarded = (route: string, handler: PageHandler) => guardedPage({ translator, logger, area: 'station' }, route, handler, discardUploads);

  /** The installer a station link is for; undefined when the problem page has been sent instead. */
  async function installerOf(req: Request, res: Response, token: string): Promise<{ installerId: string; language: Language } | undefined> {
    const checked = await tokens.check(token, 'station');
    if (!checked.ok) {
      sendProblem(req, res, token, checked.reason);
      return undefined;
    }
    const installer = await stations.describe(checked.installerId);
    if (!installer) {
      sendProblem(req, res, token, 'invalid');
      return undefined;
    }
    return { installerId: checked.installerId, language: installer.language };
  }

  server.get(
    STATION_SCAN_PATH,
    guarded('GET /station/scan', async (req, res, page) => {
      const token = formField(req.query, 'token');
      const installer = await installerOf(req, res, token);
      if (!installer) return;
      const language = (page.language = languageField(req.query) ?? installer.language);
      const ctx = context(language, stationScanHref(token, otherLanguage(language)));
      sendPage(res, 200, ctx.nonce, renderScanPage(ctx, { token, code: '', problems: [] }));
    }),
  );

  server.post(
    STATION_SCAN_PATH,
    guarded('POST /station/scan', async (req, res, page) => {
      const token = formField(req.body, 'token');
      const installer = await installerOf(req, res, token);
      if (!installer) return;
      const language = (page.language = languageField(req.body) ?? languageField(req.query) ?? installer.language);
      const limited = await deps.limits?.limits.take('uploads', `installer:${installer.installerId}`, `ip:${deps.limits.clientAddress(req)}`);
      if (limited && !limited.allowed) return sendTooManyRequestsPage(res, context(language, stationScanHref(token, otherLanguage(language))), limited.retryAfterSeconds);
      const code = formField(req.body, 'code');
      const identified = await identifyStation({ photo: await takePhoto(req), code }, decodeQr);
      if (!identified.ok) {
        logger.info({ problems: identified.problems.map((p) => `${p.field}:${p.code}`) }, 'station not identified');
        const ctx = context(language, stationScanHref(token, otherLanguage(language)));
        return sendPage(res, 422, ctx.nonce, renderScanPage(ctx, { token, code, problems: identified.problems }));
      }
      logger.info({ via: identified.via }, 'station identified');
      redirect(res, stationLocationHref(token, identified.mac, language));
    }),
  );

  server.get(
    STATION_LOCATION_PATH,
    guarded('GET /station/location', async (req, res, page) => {
      const token = formField(req.query, 'token');
      const installer = await installerOf(req, res, token);
      if (!installer) return;
      const language = (page.language = languageField(req.query) ?? installer.language);
      const mac = parseMacAddress(formField(req.query, 'mac'));
      if (!mac.ok) return redirect(res, stationScanHref(token, language));
      const ctx = context(language, stationLocationHref(token, mac.mac, otherLanguage(language)));
      const view = { token, mac: mac.mac, latitude: '', longitude: '', accuracy: '', problems: [] };
      sendPage(res, 200, ctx.nonce, renderLocationPage(ctx, view));
    }),
  );

  server.post(
    STATION_LOCATION_PATH,
    guarded('POST /station/location', async (req, res, page) => {
      const token = formField(req.body, 'token');
      const installer = await installerOf(req, res, token);
      if (!installer) return;
      const language = (page.language = languageField(req.body) ?? languageField(req.query) ?? installer.language);
      const mac = parseMacAddress(formField(req.body, 'mac'));
      if (!mac.ok) return redirect(res, stationScanHref(token, language));
      const typed = { latitude: formField(req.body, 'latitude'), longitude: formField(req.body, 'longitude'), accuracy: formField(req.body, 'accuracy') };
      const position = readPosition(typed.latitude, typed.longitude, typed.accuracy);
      if (!position.ok) {
        logger.info({ problems: position.problems.map((p) => `${p.field}:${p.code}`) }, 'station position refused');
        const ctx = context(language, stationLocationHref(token, mac.mac, otherLanguage(language)));
        return sendPage(res, 422, ctx.nonce, renderLocationPage(ctx, { token, mac: mac.mac, ...typed, problems: position.problems }));
      }
      await stations.localize(installer.installerId, mac.mac, position.position);
      logger.info('station localized from the location page');
      const ctx = context(language, stationScanHref(token, otherLanguage(language)));
      sendPage(res, 200, ctx.nonce, renderLocalizedPage(ctx, { mac: mac.mac, anotherHref: stationScanHref(token, language) }));
    }),
  );
}
