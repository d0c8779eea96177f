import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../../config';
import { isLanguage, languageFromAcceptLanguage, type Language } from '../../domain/language';
import type { Translator } from '../../services/i18n/translator';
import { renderHelpPage } from './helpPage';
import { queryParam } from './httpHelpers';
import { HELP_PAGE_SCRIPT } from './pageScript';
import { TOKEN_ROUTE } from './tokenRouteLimit';

const WEBCHAT_DIR = path.join(projectRoot(), 'node_modules', 'botframework-webchat');
const WEBCHAT_FILE = path.join(WEBCHAT_DIR, 'dist', 'webchat.js');
const WEBCHAT_VERSION = (JSON.parse(fs.readFileSync(path.join(WEBCHAT_DIR, 'package.json'), 'utf8')) as { version: string }).version;
export const WEBCHAT_SCRIPT_URL = `/static/webchat.js?v=${encodeURIComponent(WEBCHAT_VERSION)}`;
export const HELP_PAGE_SCRIPT_URL = '/static/help-page.js';
const CACHE_ONE_DAY = 'public, max-age=86400';

/** ?lang=nb|en wins; otherwise the first language in Accept-Language we speak (Norwegian in any form → nb); otherwise English. */
export function pageLanguage(lang: string | undefined, acceptLanguage: string | undefined): Language {
  if (isLanguage(lang)) return lang;
  return languageFromAcceptLanguage(acceptLanguage) ?? 'en';
}

function pageHeaders(nonce: string, directLineOrigins: string[], language: Language): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Language': language,
    'Cache-Control': 'no-store',
    Vary: 'Accept-Language',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'self' 'nonce-${nonce}'`,
      // Web Chat's emotion styles and markdown set inline styles; it makes upload thumbnails in a blob: worker
      "style-src 'self' 'unsafe-inline'",
      "worker-src 'self' blob:",
      "img-src 'self' data: blob: https:",
      "media-src 'self' data: blob:",
      "font-src 'self' data:",
      ["connect-src 'self' blob:", ...directLineOrigins].join(' '),
      "form-action 'self'",
      "base-uri 'none'",
      "frame-ancestors 'self'",
    ].join('; '),
  };
}

function sendScript(res: Response, body: Buffer, gzipped: boolean): void {
  res.writeHead(200, {
    'Content-Type': 'application/javascript; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': CACHE_ONE_DAY,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    ...(gzipped ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(body);
}

/**
 * GET / (the help page with Web Chat), GET /static/webchat.js (Web Chat's bundle from
 * node_modules, gzipped once for phones on a building site) and GET /static/help-page.js.
 * `directLineOrigins` are the origins Web Chat connects to besides this one.
 */
export function registerHelpPage(server: Server, deps: { translator: Translator; directLineOrigins: string[] }): void {
  server.get('/', async (req: Request, res: Response) => {
    const language = pageLanguage(queryParam(req, 'lang'), req.headers['accept-language']);
    const nonce = randomBytes(16).toString('base64');
    const html = renderHelpPage({
      translator: deps.translator,
      language,
      nonce,
      tokenUrl: TOKEN_ROUTE,
      scripts: { webChat: WEBCHAT_SCRIPT_URL, page: HELP_PAGE_SCRIPT_URL },
    });
    const body = Buffer.from(html, 'utf8');
    res.writeHead(200, { ...pageHeaders(nonce, deps.directLineOrigins, language), 'Content-Length': String(body.length) });
    res.end(body);
  });

  let bundle: Promise<{ plain: Buffer; gzipped: Buffer }> | undefined;
  const loadBundle = async () => {
    try {
      const plain = await fs.promises.readFile(WEBCHAT_FILE);
      return { plain, gzipped: await promisify(gzip)(plain) };
    } catch (error) {
      bundle = undefined; // try again on the next request
      throw error;
    }
  };
  server.get('/static/webchat.js', async (req: Request, res: Response) => {
    bundle ??= loadBundle();
    const { plain, gzipped } = await bundle;
    const acceptsGzip = /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
    sendScript(res, acceptsGzip ? gzipped : plain, acceptsGzip);
  });

  const pageScript = Buffer.from(HELP_PAGE_SCRIPT, 'utf8');
  server.get(HELP_PAGE_SCRIPT_URL, async (_req: Request, res: Response) => sendScript(res, pageScript, false));
}
