/**
 * Loopback checks for the doors that only this machine may open (anonymous Bot Framework
 * posts, the development mailbox). Pure functions: no DNS, no network.
 */

const LOOPBACK_ADDRESS = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;

/** A socket's remote address (as Node reports it) that is this machine. */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK_ADDRESS.test(address);
}

/** An http(s) URL whose host is this machine: localhost, 127.x.x.x or [::1]. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || isLoopbackAddress(host);
}

/** What a request shows of where it came from (a Node/restify request has both). */
export interface RequestOrigin {
  socket?: { remoteAddress?: string };
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A request opened on this machine: its own TCP peer is loopback and it passed no proxy
 * (no X-Forwarded-For or Forwarded header; a proxy on this machine would make every caller look local).
 */
export function isRequestFromThisMachine(req: RequestOrigin): boolean {
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) return false;
  return isLoopbackAddress(req.socket?.remoteAddress);
}
