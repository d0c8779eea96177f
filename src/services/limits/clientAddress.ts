import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** How the client address of a request is found (TRUSTED_PROXIES). */
export type ClientAddressOf = (req: Pick<IncomingMessage, 'headers' | 'socket'>) => string;

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) → `10.0.0.1`. */
function plain(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

function family(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/**
 * TRUSTED_PROXIES: comma-separated IP addresses and CIDR ranges (`10.0.0.0/8`, `::1`).
 * Returns the list, or an error text for a bad entry.
 */
export function parseTrustedProxies(value: string | undefined): BlockList | string {
  const list = new BlockList();
  for (const entry of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const [address = '', prefix] = entry.split('/');
    const type = family(plain(address));
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (!type || (bits !== undefined && (!/^\d{1,3}$/.test(prefix ?? '') || bits > (type === 'ipv4' ? 32 : 128)))) {
      return `expected IP addresses or CIDR ranges separated by commas, got "${entry}"`;
    }
    if (bits === undefined) list.addAddress(plain(address), type);
    else list.addSubnet(plain(address), bits, type);
  }
  return list;
}

/** Whether an address is one of TRUSTED_PROXIES (throws on a bad value; the config has checked it). */
function trustedAddresses(trustedProxies: string | undefined): (address: string) => boolean {
  const parsed = parseTrustedProxies(trustedProxies);
  if (typeof parsed === 'string') throw new Error(`TRUSTED_PROXIES: ${parsed}`);
  return (address) => {
    const type = family(address);
    return type !== undefined && parsed.check(address, type);
  };
}

const peerChecks = new Map<string, (address: string) => boolean>();

/**
 * Whether the request's peer is a trusted proxy, so its other X-Forwarded-* headers (host, proto)
 * may be believed; anyone else could forge them.
 */
export function viaTrustedProxy(req: Pick<IncomingMessage, 'socket'>, trustedProxies: string | undefined): boolean {
  const key = trustedProxies ?? '';
  let check = peerChecks.get(key);
  if (!check) {
    check = trustedAddresses(trustedProxies);
    peerChecks.set(key, check);
  }
  return check(plain(req.socket?.remoteAddress ?? 'unknown'));
}

/**
 * The one way to tell who sent a request: the socket's peer, unless that peer is a trusted
 * proxy; then X-Forwarded-For is read from the right, skipping trusted proxies, and the first
 * address not trusted is the client (entries left of it could be forged by the client).
 */
export function clientAddressResolver(trustedProxies: string | undefined): ClientAddressOf {
  const trusted = trustedAddresses(trustedProxies);
  return (req) => {
    const peer = plain(req.socket?.remoteAddress ?? 'unknown');
    if (!trusted(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map(plain)
      .filter(Boolean);
    let client = peer;
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] ?? '';
      if (!family(hop)) break; // garbage in the header: stop at the last address we could trust
      client = hop;
      if (!trusted(hop)) break;
    }
    return client;
  };
}

/** The rate-limit key of a client address: every per-address count (web routes, chat turns) uses it. */
export function addressKey(clientAddress: string): string {
  return `ip:${clientAddress}`;
}
