import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import vm from 'node:vm';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import restify, { type Server } from 'restify';
import type { Language } from '../../src/domain/language';
import type { Position } from '../../src/domain/station';
import { createLogger } from '../../src/logger';
import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import type { StationActions } from '../../src/services/stations/stationActions';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { createLinkTokens } from '../../src/services/tokens/hmacLinkTokens';
import { PASSWORD_LINK_TTL_MS, STATION_LINK_TTL_MS, type LinkTokens } from '../../src/services/tokens/linkTokens';
import { QrDecodePool } from '../../src/services/stations/qrDecodePool';
import type { QrDecoder } from '../../src/services/stations/qrImageReader';
import { escapeHtml, pageHeaders } from '../../src/web/pages/layout';
import { registerStaticAssets } from '../../src/web/staticAssets';
import { LogCapture } from '../helpers/logCapture';
import { registerStationRoutes } from '../../src/web/station';
import { describeWithChromium, launchChromium, newPhone } from '../helpers/browser';
import { hugeJpegHeader, noisyJpeg, tallPngBomb } from '../helpers/imageBombs';
import { usePrivateTmpdir } from '../helpers/privateTmpdir';


/** StationActions that records what the pages ask for. */
class RecordingStations implements StationActions {
  readonly installers = new Map<string, { email: string; language: Language }>();
  readonly calls: Array<{ installerId: string; mac: string; position: Position }> = [];
  failWith: Error | undefined;

  async describe(installerId: string) {
    return this.installers.get(installerId);
  }
  async localize(installerId: string, mac: string, position: Position) {
    if (this.failWith) throw this.failWith;
    this.calls.push({ installerId, mac, position });
  }
}

const NB_INSTALLER = 'ola@elektro.no';
const EN_INSTALLER = 'sam@sparks.co.uk';
const MAC = '0024:B100:0002:9F81';
const QR_URL = 'https://qr.chargepoint.com/activate?mac=0024B10000029F81&sn=2411ABC';

interface Upload {
  name: string;
  filename: string;
  type: string;
  bytes: Buffer;
}

/** A multipart/form-data body as a browser sends it (an unchosen file input is an empty part with filename=""). */
function multipart(fields: Record<string, string>, file?: Upload): { body: Buffer; contentType: string } {
  const boundary = `----station${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  const upload = file ?? { name: 'photo', filename: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) };
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${upload.name}"; filename="${upload.filename}"\r\nContent-Type: ${upload.type}\r\n\r\n`));
  parts.push(upload.bytes, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

async function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', scale: 8, margin: 4 });
}

function pngToJpeg(png: Buffer): Buffer {
  const image = PNG.sync.read(png);
  return jpeg.encode({ width: image.width, height: image.height, data: image.data }, 90).data;
}

/** A grey "photo" without any QR code. */
function plainJpeg(): Buffer {
  const width = 640;
  const height = 480;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) data.writeUInt32BE(((170 << 24) | (160 << 16) | (150 << 8) | 255) >>> 0, i * 4);
  return jpeg.encode({ width, height, data }, 90).data;
}

/** A scan-page error as the locale file has it (read as data), HTML-escaped as the page shows it. */
function scanError(language: Language, code: string): string {
  const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', language, 'station.json'), 'utf8')) as {
    scan: { errors: Record<string, string> };
  };
  const text = file.scan.errors[code];
  if (!text) throw new Error(`no scan.errors.${code} in ${language}`);
  return escapeHtml(text);
}

/** Generous "does not hang" bound for tests that decode real photos (this machine may be busy). */
const DECODING = 180_000;

describe('station pages (identify the station, pinpoint it)', () => {
  const { uploadLeftovers } = usePrivateTmpdir('station-uploads-');
  let dir: string;
  let store: DocumentStore;
  let server: Server;
  let base: string;
  let translator: Translator;
  let tokens: LinkTokens;
  let clock: number;
  const stations = new RecordingStations();
  const logs = new LogCapture();
  const issuedTokens: string[] = [];
  let qrPool: QrDecodePool;
  /** What the routes decode photos with (a test may swap it, e.g. for a pool whose worker fails). */
  let decoder: QrDecoder;

  const t = (language: Language, key: string, vars?: Record<string, string | number>) => escapeHtml(translator.t(language, `station:${key}`, vars));
  const common = (language: Language, key: string) => escapeHtml(translator.t(language, `pages:${key}`));

  async function issue(installerId: string, purpose: 'station' | 'password' = 'station'): Promise<string> {
    const token = await tokens.issue(purpose, installerId, purpose === 'station' ? STATION_LINK_TTL_MS : PASSWORD_LINK_TTL_MS);
    issuedTokens.push(token);
    return token;
  }

  function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(base + pathAndQuery, { headers, redirect: 'manual' });
  }

  function postForm(route: string, fields: Record<string, string>): Promise<Response> {
    return fetch(base + route, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  }

  function postMultipart(fields: Record<string, string>, file?: Upload): Promise<Response> {
    const { body, contentType } = multipart(fields, file);
    return fetch(`${base}/station/scan`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': contentType }, redirect: 'manual' });
  }

  const photo = (bytes: Buffer, type: string, filename = 'IMG_0042.jpg'): Upload => ({ name: 'photo', filename, type, bytes });
  const scanUrl = (token: string, extra = '') => `/station/scan?token=${encodeURIComponent(token)}${extra}`;
  const locationUrl = (token: string, mac: string, extra = '') => `/station/location?token=${encodeURIComponent(token)}&mac=${encodeURIComponent(mac)}${extra}`;
  const langOf = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];

  /** The <div class="field…"> block of one form field. */
  function fieldBlock(html: string, field: string): string {
    const match = new RegExp(`<div class="field[^"]*">\\s*<label for="${field}">[\\s\\S]*?</div>`).exec(html);
    if (!match) throw new Error(`no field ${field} in page`);
    return match[0];
  }

  /** Where a 303 points, as path + parsed query. */
  function redirectOf(res: Response): { path: string; query: URLSearchParams } {
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '', base);
    return { path: location.pathname, query: location.searchParams };
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'station-pages-'));
    store = await openDocumentStore('sqlite://' + path.join(dir, 'store.sqlite'));
    translator = await createTranslator();
    clock = Date.now();
    tokens = createLinkTokens(store, randomBytes(32), () => clock);
    stations.installers.set(NB_INSTALLER, { email: NB_INSTALLER, language: 'nb' });
    stations.installers.set(EN_INSTALLER, { email: EN_INSTALLER, language: 'en' });

    server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    registerStaticAssets(server);
    const logger = createLogger({ level: 'debug', destination: logs });
    qrPool = new QrDecodePool({ logger, threads: 1, timeoutMs: DECODING });
    decoder = qrPool.decode;
    registerStationRoutes(server, { tokens, stations, translator, logger, decodeQr: (image, type) => decoder(image, type) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await qrPool.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    stations.calls.length = 0;
    stations.failWith = undefined;
  });

  describe('GET /station/scan', () => {
    it('shows the form in the installer’s language (nb): Teams scanner, photo, typed MAC', async () => {
      const token = await issue(NB_INSTALLER);
      const res = await get(scanUrl(token));
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(langOf(html)).toBe('nb');
      expect(html).toContain(`<h1>${t('nb', 'scan.heading')}</h1>`);
      expect(html).toMatch(/<form id="station-form" method="post" action="\/station\/scan" enctype="multipart\/form-data"/);
      expect(html).toContain(`<input type="hidden" name="token" value="${escapeHtml(token)}">`);

      const photoField = fieldBlock(html, 'photo');
      expect(photoField).toContain(`<label for="photo">${t('nb', 'scan.photoLabel')}</label>`);
      expect(photoField).toMatch(/<input id="photo" name="photo" type="file" accept="image\/\*" capture="environment" aria-describedby="photo-hint">/);

      const codeField = fieldBlock(html, 'code');
      expect(codeField).toContain(`<label for="code">${t('nb', 'scan.codeLabel')}</label>`);
      expect(codeField).toContain(`<p class="hint" id="code-hint">${t('nb', 'scan.codeHint')}</p>`);
      expect(t('nb', 'scan.codeHint')).toContain('0024:B100:0002:9F81');
      for (const attribute of ['type="text"', 'autocapitalize="characters"', 'autocomplete="off"', 'spellcheck="false"', 'aria-describedby="code-hint"']) {
        expect(codeField).toContain(attribute);
      }
      expect(html.match(/<button type="submit">/g)).toHaveLength(1);
      expect(html).toContain(`<button type="submit">${t('nb', 'scan.submit')}</button>`);

      // the Teams scanner: hidden until the script finds a Teams host that supports it
      expect(html).toMatch(/<div class="action" id="teams-scan" hidden>/);
      expect(html).toContain(t('nb', 'scan.scanButton'));
      expect(html).toMatch(/<script src="\/static\/teams-js\.js\?v=[^"]+" nonce="[^"]+"><\/script>/);
      expect(html).toContain('teams.barCode.scanBarCode({})');
      expect(html).toContain('teams.barCode.isSupported()');
      expect(html).not.toContain('role="alert"');

      const switchLink = /<a href="([^"]+)" lang="en" hreflang="en">([^<]+)<\/a>/.exec(html);
      expect(switchLink?.[2]).toBe(common('nb', 'common.switchLanguage'));
      expect(switchLink?.[1]).toBe(escapeHtml(`${scanUrl(token)}&lang=en`));
    });

    it('shows English for an English installer, and ?lang overrides it', async () => {
      const token = await issue(EN_INSTALLER);
      const en = await (await get(scanUrl(token))).text();
      expect(langOf(en)).toBe('en');
      expect(en).toContain(`<h1>${t('en', 'scan.heading')}</h1>`);
      expect(en).toContain(`<label for="code">${t('en', 'scan.codeLabel')}</label>`);
      expect(en).toContain(`<label for="photo">${t('en', 'scan.photoLabel')}</label>`);
      expect(t('en', 'scan.heading')).not.toEqual(t('nb', 'scan.heading'));

      const nb = await (await get(scanUrl(token, '&lang=nb'))).text();
      expect(langOf(nb)).toBe('nb');
      expect(nb).toContain(`<h1>${t('nb', 'scan.heading')}</h1>`);
      expect(nb).toContain('<input type="hidden" name="lang" value="nb">');
    });

    it('the scanner script fills the code and sends the form in Teams mobile, and does nothing elsewhere', async () => {
      const token = await issue(NB_INSTALLER);
      const html = await (await get(scanUrl(token))).text();
      const inline = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
      expect(inline).toContain('scanBarCode');
      const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

      function run(microsoftTeams: unknown) {
        const clicks: Array<() => void> = [];
        const status = { textContent: '', getAttribute: () => 'failed-text' };
        const elements = {
          'teams-scan': { hidden: true },
          'scan-button': { addEventListener: (_type: string, fn: () => void) => clicks.push(fn) },
          'scan-status': status,
          code: { value: '' },
          'station-form': { submitted: 0, submit() { this.submitted++; } },
        };
        const document = { getElementById: (id: keyof typeof elements) => elements[id] };
        vm.runInNewContext(inline, { window: { microsoftTeams }, document, Promise, setTimeout: (fn: () => void) => setImmediate(fn) });
        return { elements, status, click: () => clicks.forEach((fn) => fn()) };
      }
      const teams = (supported: boolean, scan: () => Promise<string>) => ({
        app: { initialize: async () => undefined },
        barCode: { isSupported: () => supported, scanBarCode: scan },
      });

      const mobile = run(teams(true, async () => QR_URL));
      await flush();
      expect(mobile.elements['teams-scan'].hidden).toBe(false);
      mobile.click();
      await flush();
      expect(mobile.elements.code.value).toBe(QR_URL);
      expect(mobile.elements['station-form'].submitted).toBe(1);

      const failing = run(teams(true, () => Promise.reject(new Error('camera busy'))));
      await flush();
      failing.click();
      await flush();
      expect(failing.status.textContent).toBe('failed-text');
      expect(failing.elements['station-form'].submitted).toBe(0);

      const desktop = run(teams(false, async () => QR_URL));
      await flush();
      expect(desktop.elements['teams-scan'].hidden).toBe(true);

      // a browser tab: no teams-js, or initialize failing: nothing shown, nothing thrown
      expect(() => run(undefined)).not.toThrow();
      const tab = run({ app: { initialize: () => Promise.reject(new Error('no host')) }, barCode: { isSupported: () => true } });
      await flush();
      expect(tab.elements['teams-scan'].hidden).toBe(true);
    });
  });

  describe('POST /station/scan', () => {
    it.each([
      ['0024:b100:0002:9f81', MAC],
      ['0024-B100-0002-9F81', MAC],
      ['0024B10000029F81', MAC],
      ['  MAC: 0024 B100 0002 9F81 ', MAC],
      ['00:24:B1:02:9F:81', '0024:B102:9F81'],
      ['0024.b102.9f81', '0024:B102:9F81'],
      [QR_URL, MAC],
    ])('a typed %p goes on to the location page with %p (urlencoded and multipart)', async (code, expected) => {
      const token = await issue(NB_INSTALLER);
      const plain = redirectOf(await postForm('/station/scan', { token, code }));
      expect(plain.path).toBe('/station/location');
      expect(plain.query.get('mac')).toBe(expected);
      expect(plain.query.get('token')).toBe(token);
      expect(plain.query.get('lang')).toBe('nb');

      const form = redirectOf(await postMultipart({ token, lang: 'en', code }));
      expect(form.path).toBe('/station/location');
      expect(form.query.get('mac')).toBe(expected);
      expect(form.query.get('lang')).toBe('en');
    });

    it.each<[Language, string, string]>([
      ['nb', '0024:B100:0002:9FZZ', 'not_hex'],
      ['en', '0024:B100:0002', 'wrong_length'],
      ['nb', '0000:0000:0000:0000', 'all_zero'],
      ['en', '0124:B100:0002:9F81', 'multicast'],
      ['nb', '', 'empty'],
      ['en', 'https://www.chargepoint.com/eu/installers/?ref=label', 'no_mac_in_qr'],
    ])('(%s) re-shows the form (422) with the reason next to the code field for %p', async (language, code, problem) => {
      const token = await issue(language === 'nb' ? NB_INSTALLER : EN_INSTALLER);
      const res = await postMultipart({ token, code });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(langOf(html)).toBe(language);
      const field = fieldBlock(html, 'code');
      expect(field).toContain(`<p class="field-error" id="code-error">${t(language, `scan.errors.${problem}`)}</p>`);
      expect(field).toContain('aria-describedby="code-hint code-error"');
      expect(field).toContain('aria-invalid="true"');
      expect(field).toContain(`value="${escapeHtml(code)}"`);
      expect(fieldBlock(html, 'photo')).not.toContain('aria-invalid');
      expect(html).toMatch(/<div class="error-summary" role="alert"/);
      expect(html).toContain(`<a href="#code">${t(language, `scan.errors.${problem}`)}</a>`);
      expect(html).toContain(`<title>${common(language, 'common.errorTitlePrefix')}: `);
    });

    it('reads the MAC from a photo of the QR code (PNG and JPEG) and leaves no upload on disk', async () => {
      const token = await issue(EN_INSTALLER);
      const png = await qrPng(QR_URL);
      const fromPng = redirectOf(await postMultipart({ token, code: '' }, photo(png, 'image/png', 'qr.png')));
      expect(fromPng.path).toBe('/station/location');
      expect(fromPng.query.get('mac')).toBe(MAC);
      expect(fromPng.query.get('lang')).toBe('en');

      const other = await qrPng('https://qr.chargepoint.com/activate?mac=0024:B100:0003:1A2B');
      const fromJpeg = redirectOf(await postMultipart({ token }, photo(pngToJpeg(other), 'image/jpeg')));
      expect(fromJpeg.query.get('mac')).toBe('0024:B100:0003:1A2B');
      expect(uploadLeftovers()).toEqual([]);
    }, DECODING);

    it('says when the photo has no QR code, or a QR code without a MAC address (422, next to the photo field)', async () => {
      const token = await issue(EN_INSTALLER);
      const none = await postMultipart({ token, code: '' }, photo(plainJpeg(), 'image/jpeg'));
      expect(none.status).toBe(422);
      const noneHtml = await none.text();
      const photoField = fieldBlock(noneHtml, 'photo');
      expect(photoField).toContain(`<p class="field-error" id="photo-error">${t('en', 'scan.errors.no_qr_found')}</p>`);
      expect(photoField).toContain('aria-describedby="photo-hint photo-error"');
      expect(photoField).toContain('aria-invalid="true"');
      expect(fieldBlock(noneHtml, 'code')).not.toContain('aria-invalid');
      expect(noneHtml).toContain(`<a href="#photo">${t('en', 'scan.errors.no_qr_found')}</a>`);

      const nbToken = await issue(NB_INSTALLER);
      const noMac = await postMultipart({ token: nbToken }, photo(await qrPng('https://www.chargepoint.com/'), 'image/png'));
      expect(noMac.status).toBe(422);
      expect(fieldBlock(await noMac.text(), 'photo')).toContain(t('nb', 'scan.errors.no_mac_in_qr'));

      const huge = await postMultipart({ token }, photo(Buffer.alloc(16 * 1024 * 1024, 0xff), 'image/jpeg'));
      expect(huge.status).toBe(422);
      expect(fieldBlock(await huge.text(), 'photo')).toContain(t('en', 'scan.errors.photo_too_large'));

      // a photo that does not work, but a good typed address: the typed one is used
      const typed = redirectOf(await postMultipart({ token, code: '0024B10000029F81' }, photo(plainJpeg(), 'image/jpeg')));
      expect(typed.query.get('mac')).toBe(MAC);
    }, DECODING);

    it.each<[Language, string, () => Promise<Buffer>]>([
      ['nb', 'a 124 kB PNG of 1 × 64,000,000 px', () => tallPngBomb()],
      ['en', 'a JPEG whose header claims 60,000 × 60,000 px', async () => hugeJpegHeader()],
    ])('(%s) refuses %s at once, next to the photo field, and goes on serving', async (language, _what, bomb) => {
      const token = await issue(language === 'nb' ? NB_INSTALLER : EN_INSTALLER);
      const res = await postMultipart({ token, code: '' }, photo(await bomb(), 'image/png', 'bomb.png'));
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(langOf(html)).toBe(language);
      expect(fieldBlock(html, 'photo')).toContain(`<p class="field-error" id="photo-error">${scanError(language, 'photo_too_large')}</p>`);
      expect(logs.text).toContain('photo refused: too large to decode');
      // the process is alive and answers the next request
      expect((await get(scanUrl(token))).status).toBe(200);
    });

    it('says when a photo cannot be opened (not PNG/JPEG, or broken), and keeps what was typed', async () => {
      const token = await issue(NB_INSTALLER);
      const heic = await postMultipart({ token, code: '0024:B100:0002' }, photo(Buffer.from('\0\0\0\x18ftypheic-not-really'), 'image/heic', 'IMG_0042.HEIC'));
      expect(heic.status).toBe(422);
      const heicHtml = await heic.text();
      expect(fieldBlock(heicHtml, 'photo')).toContain(scanError('nb', 'photo_unsupported'));
      expect(fieldBlock(heicHtml, 'code')).toContain(scanError('nb', 'wrong_length'));
      expect(fieldBlock(heicHtml, 'code')).toContain('value="0024:B100:0002"');

      const cut = (await qrPng(QR_URL)).subarray(0, 120);
      const broken = await postMultipart({ token, lang: 'en' }, photo(cut, 'image/png', 'qr.png'));
      expect(broken.status).toBe(422);
      expect(fieldBlock(await broken.text(), 'photo')).toContain(scanError('en', 'photo_unreadable'));
    });

    it('a decoding worker that runs out of memory gives "try again", and the server goes on', async () => {
      const hungry = new QrDecodePool({
        logger: createLogger({ level: 'silent' }),
        threads: 1,
        heapMb: 32,
        worker: { filename: path.join(__dirname, '..', 'helpers', 'qrWorkerFixtures.js'), name: 'exhaustHeap' },
      });
      decoder = hungry.decode;
      try {
        const token = await issue(EN_INSTALLER);
        const res = await postMultipart({ token, code: '' }, photo(await qrPng(QR_URL), 'image/png', 'qr.png'));
        expect(res.status).toBe(422);
        expect(fieldBlock(await res.text(), 'photo')).toContain(scanError('en', 'photo_failed'));
      } finally {
        decoder = qrPool.decode;
        await hungry.close();
      }
      const token = await issue(EN_INSTALLER);
      expect(redirectOf(await postMultipart({ token }, photo(await qrPng(QR_URL), 'image/png', 'qr.png'))).query.get('mac')).toBe(MAC);
    }, DECODING);

    it('answers other requests while a slow photo is being decoded', async () => {
      const token = await issue(NB_INSTALLER);
      const slow = noisyJpeg(2000, 1500);
      let started!: () => void;
      const decodeStarted = new Promise<void>((resolve) => (started = resolve));
      decoder = (image, type) => {
        started();
        return qrPool.decode(image, type);
      };
      try {
        const finished: string[] = [];
        const scan = postMultipart({ token, code: '' }, photo(slow, 'image/jpeg')).then(async (res) => {
          finished.push('photo');
          return { status: res.status, html: await res.text() };
        });
        await decodeStarted;
        const page = await get(scanUrl(token));
        finished.push('page');
        expect(page.status).toBe(200);
        const decoded = await scan;
        expect(finished).toEqual(['page', 'photo']);
        expect(decoded.status).toBe(422);
        expect(fieldBlock(decoded.html, 'photo')).toContain(scanError('nb', 'no_qr_found'));
      } finally {
        decoder = qrPool.decode;
      }
    }, DECODING);
  });

  describe('GET /station/location', () => {
    it('shows the station and the position form (nb), with no teams-js and the same CSP as the other pages', async () => {
      const token = await issue(NB_INSTALLER);
      const res = await get(locationUrl(token, MAC));
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(langOf(html)).toBe('nb');
      expect(html).toContain(`<h1>${t('nb', 'location.heading')}</h1>`);
      expect(html).toContain(`<span class="mac">${MAC}</span>`);
      expect(html).toContain(`<input type="hidden" name="mac" value="${MAC}">`);
      for (const field of ['latitude', 'longitude']) {
        const block = fieldBlock(html, field);
        expect(block).toContain(`<label for="${field}">${t('nb', `location.${field}Label`)}</label>`);
        expect(block).toContain('inputmode="decimal"');
      }
      expect(html).toMatch(/<div class="action" id="geo" hidden data-decimal=","/);
      expect(html).toContain(`<button type="button" id="geo-button" class="secondary">${t('nb', 'location.useMyPosition')}</button>`);
      expect(html).toContain(`data-located="${t('nb', 'location.located', { meters: '%m' })}"`);
      expect(html).toContain(`data-denied="${t('nb', 'location.denied')}"`);
      expect(html).toContain('navigator.geolocation.getCurrentPosition');
      expect(html).toContain('enableHighAccuracy: true, timeout: 15000');
      expect(html).toContain(`<button type="submit">${t('nb', 'location.submit')}</button>`);
      expect(html).not.toContain('teams-js');
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1] ?? '';
      expect(res.headers.get('content-security-policy')).toBe(pageHeaders(nonce)['Content-Security-Policy']);
    });

    it('shows English on request, and sends a malformed MAC back to the scan page', async () => {
      const token = await issue(NB_INSTALLER);
      const en = await (await get(locationUrl(token, '0024b10000029f81', '&lang=en'))).text();
      expect(langOf(en)).toBe('en');
      expect(en).toContain(`<h1>${t('en', 'location.heading')}</h1>`);
      expect(en).toContain(`<span class="mac">${MAC}</span>`);
      expect(en).toContain('data-decimal="."');

      const back = redirectOf(await get(locationUrl(token, 'ZZZZ')));
      expect(back.path).toBe('/station/scan');
      expect(back.query.get('token')).toBe(token);
    });
  });

  describe('POST /station/location', () => {
    it('records the position typed with decimal commas and shows the success page that closes the Teams dialog', async () => {
      const token = await issue(NB_INSTALLER);
      const res = await postForm('/station/location', { token, lang: 'nb', mac: MAC, latitude: '59,9139', longitude: '10,7522', accuracy: '' });
      expect(res.status).toBe(200);
      expect(stations.calls).toEqual([{ installerId: NB_INSTALLER, mac: MAC, position: { latitude: 59.9139, longitude: 10.7522 } }]);
      const html = await res.text();
      expect(langOf(html)).toBe('nb');
      expect(html).toContain(`<h1>${t('nb', 'done.heading')}</h1>`);
      expect(html).toContain(t('nb', 'done.body', { mac: MAC }));
      expect(html).toContain(`<a class="next-link" href="${escapeHtml(`${scanUrl(token)}&lang=nb`)}">${t('nb', 'done.another')}</a>`);
      expect(html).toMatch(/<script src="\/static\/teams-js\.js\?v=[^"]+" nonce="[^"]+"><\/script>/);
      expect(html).toContain(`teams.dialog.url.submit({"stationLocalized":"${MAC}"})`);
      expect(res.headers.get('cache-control')).toBe('no-store');

      // the script hands the station back inside a Teams dialog and does nothing elsewhere
      const inline = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
      const submitted: unknown[] = [];
      const run = (microsoftTeams: unknown) =>
        vm.runInNewContext(inline, { window: { microsoftTeams }, Promise, setTimeout: (fn: () => void) => setImmediate(fn) });
      run({ app: { initialize: async () => undefined }, dialog: { url: { submit: (result: unknown) => void submitted.push(result) } } });
      expect(() => run(undefined)).not.toThrow();
      run({ app: { initialize: () => Promise.reject(new Error('no host')) }, dialog: { url: { submit: (r: unknown) => void submitted.push(r) } } });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(submitted).toEqual([{ stationLocalized: MAC }]);
    });

    it('keeps the link usable for the next station on the site (it is checked, not used up)', async () => {
      const token = await issue(EN_INSTALLER);
      await postForm('/station/location', { token, mac: MAC, latitude: '59.9139', longitude: '10.7522', accuracy: '8' });
      expect((await get(scanUrl(token))).status).toBe(200);
      const next = redirectOf(await postMultipart({ token, code: '0024:B100:0003:1A2B' }));
      const mac = next.query.get('mac') ?? '';
      expect((await get(locationUrl(token, mac))).status).toBe(200);
      const res = await postForm('/station/location', { token, mac, latitude: '-33.8688', longitude: '151.2093', accuracy: '12.4' });
      expect(res.status).toBe(200);
      expect(langOf(await res.text())).toBe('en');
      expect(stations.calls).toEqual([
        { installerId: EN_INSTALLER, mac: MAC, position: { latitude: 59.9139, longitude: 10.7522, accuracyMeters: 8 } },
        { installerId: EN_INSTALLER, mac: '0024:B100:0003:1A2B', position: { latitude: -33.8688, longitude: 151.2093, accuracyMeters: 12 } },
      ]);
    });

    it.each<[Language, Record<string, string>, Array<[string, string]>]>([
      ['nb', { latitude: '95', longitude: '10,7522' }, [['latitude', 'out_of_range']]],
      ['en', { latitude: '59.9139', longitude: '-200' }, [['longitude', 'out_of_range']]],
      ['nb', { latitude: '', longitude: 'ti' }, [['latitude', 'unreadable'], ['longitude', 'unreadable']]],
      ['en', { latitude: '0', longitude: '0,0' }, [['latitude', 'null_island']]],
    ])('(%s) re-shows the form (422) for %p with the reasons next to the fields', async (language, typed, problems) => {
      const token = await issue(language === 'nb' ? NB_INSTALLER : EN_INSTALLER);
      const res = await postForm('/station/location', { token, mac: MAC, accuracy: '', ...typed });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(langOf(html)).toBe(language);
      expect(html).toMatch(/<div class="error-summary" role="alert"/);
      for (const [field, code] of problems) {
        const block = fieldBlock(html, field);
        expect(block).toContain(`<p class="field-error" id="${field}-error">${t(language, `location.errors.${field}.${code}`)}</p>`);
        expect(block).toContain('aria-invalid="true"');
        expect(block).toContain(`value="${escapeHtml(typed[field] ?? '')}"`);
      }
      for (const field of ['latitude', 'longitude'].filter((f) => !problems.some(([p]) => p === f))) {
        expect(fieldBlock(html, field)).not.toContain('aria-invalid');
      }
      expect(stations.calls).toEqual([]);
    });

    it('shows the localized error page (500) when recording fails, without the token in the log', async () => {
      const token = await issue(EN_INSTALLER);
      stations.failWith = new Error(`store down for ${token}`);
      const res = await postForm('/station/location', { token, mac: MAC, latitude: '59.9', longitude: '10.7', accuracy: '' });
      expect(res.status).toBe(500);
      const html = await res.text();
      expect(langOf(html)).toBe('en');
      expect(html).toContain(escapeHtml(translator.t('en', 'pages:error.heading')));
      expect(logs.text).toContain('station page failed');
    });
  });

  describe('links that cannot be used', () => {
    it('refuses a password link (wrong_purpose, 400) and says to ask for a new link in the chat', async () => {
      const password = await issue(NB_INSTALLER, 'password');
      const res = await get(scanUrl(password, '&lang=nb'));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(t('nb', 'problem.wrong_purpose.heading'));
      expect(html).toContain(t('nb', 'problem.hint'));
      expect(t('nb', 'problem.hint')).toContain('«stasjon»');
      expect(html).not.toContain('<form');

      const posted = await postMultipart({ token: password, lang: 'en', code: MAC });
      expect(posted.status).toBe(400);
      const postedHtml = await posted.text();
      expect(langOf(postedHtml)).toBe('en');
      expect(postedHtml).toContain(t('en', 'problem.wrong_purpose.heading'));
      expect(t('en', 'problem.hint')).toContain('“station”');
    });

    it('explains an expired link (410) on every station page', async () => {
      const token = await issue(EN_INSTALLER);
      clock += STATION_LINK_TTL_MS + 1;
      try {
        for (const res of [
          await get(scanUrl(token, '&lang=en')),
          await get(locationUrl(token, MAC, '&lang=en')),
          await postForm('/station/location', { token, lang: 'en', mac: MAC, latitude: '59.9', longitude: '10.7' }),
        ]) {
          expect(res.status).toBe(410);
          const html = await res.text();
          expect(html).toContain(t('en', 'problem.expired.heading'));
          expect(html).toContain(t('en', 'problem.expired.body', { hours: 2 }));
          expect(html).toContain(t('en', 'problem.hint'));
        }
        expect(stations.calls).toEqual([]);
      } finally {
        clock -= STATION_LINK_TTL_MS + 1;
      }
    });

    it('says a tampered or missing link does not work (400), in the browser’s language', async () => {
      const token = await issue(NB_INSTALLER);
      const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
      const res = await get(scanUrl(tampered), { 'accept-language': 'de-DE, en-GB;q=0.8' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(langOf(html)).toBe('en');
      expect(html).toContain(t('en', 'problem.invalid.heading'));
      const missing = await get('/station/location?mac=0024B10000029F81', { 'accept-language': 'nb-NO' });
      expect(missing.status).toBe(400);
      expect(langOf(await missing.text())).toBe('nb');
    });
  });

  it('sends the security headers on every page and its nonce on every inline style and script', async () => {
    const token = await issue(NB_INSTALLER);
    const responses = [
      await get(scanUrl(token)),
      await get(locationUrl(token, MAC)),
      await postMultipart({ token, code: 'nope' }),
      await postForm('/station/location', { token, mac: MAC, latitude: '59.9139', longitude: '10.7522' }),
      await get(scanUrl('nonsense')),
    ];
    for (const res of responses) {
      expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.skype.com https://*.cloud.microsoft");
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? '';
      expect(csp).toBe(pageHeaders(nonce)['Content-Security-Policy']);
      const html = await res.text();
      const tags = html.match(/<(script|style)\b[^>]*>/g) ?? [];
      expect(tags.length).toBeGreaterThan(0);
      for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    }
    const redirect = await postForm('/station/scan', { token, code: MAC });
    expect(redirect.headers.get('cache-control')).toBe('no-store');
    expect(redirect.headers.get('referrer-policy')).toBe('no-referrer');
  });

  describeWithChromium('in Chromium on a phone', () => {
    it('photo of the QR code → location page → "Use my position" → saved; the scan page screenshot', async () => {
      const browser = await launchChromium();
      try {
        const { context, page, problems } = await newPhone(browser, 'nb-NO');
        await context.grantPermissions(['geolocation'], { origin: base });
        await context.setGeolocation({ latitude: 59.9139, longitude: 10.7522, accuracy: 8 });
        const token = await issue(NB_INSTALLER);

        await page.goto(base + scanUrl(token));
        await page.screenshot({ path: '/tmp/station-scan.png' });
        expect(await page.locator('#scan-button').isVisible()).toBe(false);
        await page.setInputFiles('#photo', { name: 'IMG_0042.png', mimeType: 'image/png', buffer: await qrPng(QR_URL) });
        await Promise.all([page.waitForURL(/\/station\/location\?/), page.getByRole('button', { name: translator.t('nb', 'station:scan.submit') }).click()]);
        expect(await page.locator('.mac').innerText()).toBe(MAC);

        await page.getByRole('button', { name: translator.t('nb', 'station:location.useMyPosition') }).click();
        await page.waitForFunction(() => (document.getElementById('latitude') as HTMLInputElement | null)?.value !== '');
        expect(await page.inputValue('#latitude')).toBe('59,913900');
        expect(await page.inputValue('#longitude')).toBe('10,752200');
        expect(await page.locator('#geo-status').innerText()).toContain('± 8 m');
        await page.screenshot({ path: '/tmp/station-location.png' });

        await page.getByRole('button', { name: translator.t('nb', 'station:location.submit') }).click();
        await page.getByRole('heading', { name: translator.t('nb', 'station:done.heading') }).waitFor();
        expect(stations.calls).toEqual([{ installerId: NB_INSTALLER, mac: MAC, position: { latitude: 59.9139, longitude: 10.7522, accuracyMeters: 8 } }]);
        expect(problems.filter((p) => p.startsWith('page error'))).toEqual([]);
        await context.close();
      } finally {
        await browser.close();
      }
    });
  });

  it('never logs a token', () => {
    expect(issuedTokens.length).toBeGreaterThan(15);
    expect(logs.lines.length).toBeGreaterThan(10);
    for (const token of issuedTokens) {
      expect(logs.text).not.toContain(token);
      expect(logs.text).not.toContain(token.split('.')[1]);
    }
  });
});
