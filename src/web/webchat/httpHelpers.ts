import type { Request, Response } from 'restify';
import type { Config } from '../../config';
import { viaTrustedProxy } from '../../services/limits/clientAddress';

/** A route or query parameter as a string ('' when absent or not a string). */
export function param(req: Request, name: string): string {
  const params: unknown = req.params;
  const value = params && typeof params === 'object' ? (params as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

export function queryParam(req: Request, name: string): string | undefined {
  const query: unknown = req.query;
  const value = query && typeof query === 'object' ? (query as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/** The parsed JSON body, or undefined (bodyParser leaves a string or nothing for other content types). */
export function jsonBody(req: Request): unknown {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? body : undefined;
}

/** Direct Line's error shape: { error: { code, message } } (codes, never user-facing sentences). */
export function sendError(res: Response, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.json(status, { error: { code, message } }, { 'Cache-Control': 'no-store', ...headers });
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

function firstHeader(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  return first || undefined;
}

/**
 * The origin the browser reached this server at: PUBLIC_URL when the request came to its host,
 * otherwise the request's own host — so a test on a random port and a deployment behind a proxy
 * both get URLs the browser can open. X-Forwarded-Host and X-Forwarded-Proto count only from a
 * peer in TRUSTED_PROXIES (anyone else could aim the token's domain and attachment URLs elsewhere).
 */
export function publicOrigin(req: Request, config: Pick<Config, 'PUBLIC_URL' | 'TRUSTED_PROXIES'>): string {
  const forwarded = viaTrustedProxy(req, config.TRUSTED_PROXIES);
  const host = (forwarded ? firstHeader(req, 'x-forwarded-host') : undefined) ?? firstHeader(req, 'host');
  if (!host || !/^[A-Za-z0-9.\-:[\]]+$/.test(host)) return config.PUBLIC_URL;
  try {
    if (new URL(config.PUBLIC_URL).host === host) return config.PUBLIC_URL;
  } catch {
    // PUBLIC_URL is validated by the config; fall through to the request's host
  }
  const forwardedProto = forwarded ? firstHeader(req, 'x-forwarded-proto') : undefined;
  const proto = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : req.isSecure() ? 'https' : 'http';
  return `${proto}://${host}`;
}
