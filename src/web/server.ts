import fs from 'node:fs';
import restify, { type Request, type Response, type Server } from 'restify';
import type { Config } from '../config';
import { errorSummary, type Logger } from '../logger';
import type { DocumentStore } from '../services/store/documentStore';
import { withTimeout } from '../services/store/storeTimeout';
import { StoreUnavailableError, storeErrorSummary } from '../services/store/storeUnavailableError';
import type { OnboardingBot } from '../bot/onboardingBot';
import { registerBotEndpoint } from './botEndpoint';
import type { OnboardingAdapter } from './inProcessAdapter';
import { sendError } from './webchat/httpHelpers';

export interface WebDeps {
  adapter: OnboardingAdapter;
  bot: OnboardingBot;
  store: DocumentStore;
  logger: Logger;
  config: Pick<Config, 'MicrosoftAppId' | 'ALLOW_ANONYMOUS'>;
  /** The route paths (as registered) that take multipart/form-data; every other route refuses it unread. */
  multipartRoutes: string[];
  /** /readyz answers 503 when the store has not answered a ping within this time (default 1500 ms). */
  readyTimeoutMs?: number;
}

const isMultipart = (req: Request): boolean => /^multipart\//i.test(req.headers['content-type'] ?? '');

/** The temporary files the multipart parser (formidable) wrote for this request, however many per field. */
function temporaryFiles(req: Request): string[] {
  const files: unknown = req.files;
  if (typeof files !== 'object' || files === null) return [];
  return Object.values(files)
    .flat()
    .map((file: unknown) => (typeof file === 'object' && file !== null ? (Reflect.get(file, 'path') ?? Reflect.get(file, 'filepath')) : undefined))
    .filter((path): path is string => typeof path === 'string');
}

/**
 * Multipart bodies are parsed only for the upload routes; their temporary files are removed when
 * the response is over, whatever the route did with them.
 */
function multipartOnlyWhereExpected(multipartRoutes: string[], logger: Logger) {
  const allowed = new Set(multipartRoutes);
  return (req: Request, res: Response, next: (error?: false) => void): void => {
    if (!isMultipart(req)) return next();
    const route = req.getRoute()?.path;
    if (typeof route !== 'string' || !allowed.has(route)) {
      Object.assign(req, { _parsedBody: true }); // the body is never read, so nothing reaches the disk
      sendError(res, 415, 'UnsupportedMediaType', 'This route does not take multipart/form-data.', { Connection: 'close' });
      return next(false);
    }
    res.once('close', () => {
      for (const path of temporaryFiles(req)) {
        fs.promises.rm(path, { force: true }).catch((error: unknown) => logger.warn({ err: errorSummary(error) }, 'could not remove an upload temp file'));
      }
    });
    next();
  };
}

/** The restify server with the Bot Framework endpoint and health checks. Other route groups register on it. */
export function createServer({ adapter, bot, store, logger, config, multipartRoutes, readyTimeoutMs = 1500 }: WebDeps): Server {
  const server = restify.createServer({ name: 'installer-onboarding-assistant', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(multipartOnlyWhereExpected(multipartRoutes, logger));
  // multipart uploads (photos of QR codes) are capped by maxFileSize; other bodies by maxBodySize.
  // multiples: every file of a repeated field is listed in req.files, so every one is cleaned up.
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 12 * 1024 * 1024, maxFileSize: 15 * 1024 * 1024, multiples: true }));

  registerBotEndpoint(server, { adapter, runTurn: (context) => bot.run(context), config, logger });

  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(store.ping(), readyTimeoutMs, () => new StoreUnavailableError(store.backend, `no answer to ping within ${readyTimeoutMs} ms`));
      res.json(200, { status: 'ready', storage: store.backend });
    } catch (error) {
      logger.warn({ err: storeErrorSummary(error) }, 'storage not reachable');
      res.json(503, { status: 'unavailable', storage: store.backend });
    }
  });

  server.on('restifyError', (req, res, error, callback) => {
    logger.warn({ method: req.method, route: req.getRoute()?.path, status: res.statusCode, err: { name: error.name } }, 'request failed');
    return callback();
  });
  return server;
}
