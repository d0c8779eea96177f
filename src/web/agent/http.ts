import type { Request, Response } from 'restify';
import { pageHeaders } from '../pages/layout';

export const SESSION_COOKIE = 'agent_session';
/** The sign-in form's own CSRF secret (double submit): set with the form, sent back in the form. */
export const SIGN_IN_COOKIE = 'agent_signin';
export const CSRF_FIELD = 'csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const CONSOLE_PATH = '/agent';

/** The cookies of a request (first value of each name). */
export function readCookies(req: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(at + 1).trim());
  }
  return cookies;
}

/** A console cookie: HttpOnly, SameSite=Strict, only under /agent, Secure when the console is served over https. */
export function cookie(name: string, value: string, options: { secure: boolean; maxAgeSeconds: number }): string {
  return [
    `${name}=${value}`,
    `Path=${CONSOLE_PATH}`,
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Headers for every console response: never cached, never framed, no referrer. */
export const COMMON_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

/** The console pages' headers: the account pages' (nonce'd style, scripts from this origin only), never framed, connecting only to this origin. */
export function consolePageHeaders(nonce: string): Record<string, string> {
  return { ...COMMON_HEADERS, ...pageHeaders(nonce, { connectSrc: "'self'", frameAncestors: "'none'" }) };
}

export function sendHtml(res: Response, status: number, nonce: string, html: string, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...consolePageHeaders(nonce), 'Content-Length': String(Buffer.byteLength(html, 'utf8')), ...extra });
  res.end(html);
}

/** An HTML fragment (the parts the console's script swaps in on a change). */
export function sendFragment(res: Response, html: string): void {
  res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(Buffer.byteLength(html, 'utf8')) });
  res.end(html);
}

export function sendJson(res: Response, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(json, 'utf8')), ...extra });
  res.end(json);
}

export function redirect(res: Response, location: string, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(303, { ...COMMON_HEADERS, Location: location, 'Content-Length': '0', ...extra });
  res.end();
}

/** The `:id` route parameter, when it looks like an id (anything else cannot name a ticket). */
export function ticketIdParam(req: Request): string | undefined {
  const id: unknown = (req.params as Record<string, unknown> | undefined)?.id;
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : undefined;
}
