import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DocumentStore } from '../store/documentStore';
import type { LinkTokens, RedeemResult, TokenPurpose } from './linkTokens';

/** Why a link token is refused. */
export type LinkTokenFailure = Extract<RedeemResult, { ok: false }>['reason'];

/** The signed part of a token. Short names keep links short. */
interface TokenPayload {
  /** purpose */
  p: TokenPurpose;
  /** installer id */
  i: string;
  /** random nonce, the token's identity */
  n: string;
  /** expiry, ms since the epoch */
  e: number;
}

const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SIGNATURE_BYTES = 32;
const MIN_SECRET_BYTES = 32;

/** Storage keys the tokens use (no token ever appears in a key, only its nonce). */
export const linkTokenKeys = {
  current: (purpose: TokenPurpose, installerId: string) => `token-current/${purpose}/${installerId}`,
  used: (nonce: string) => `token-used/${nonce}`,
};

/** Forgets which links of an installer are current (e.g. "delete my data"): their tokens then answer 'invalid'. */
export async function forgetLinkTokens(store: DocumentStore, installerId: string): Promise<void> {
  await store.delete(linkTokenKeys.current('password', installerId));
  await store.delete(linkTokenKeys.current('confirm', installerId));
  await store.delete(linkTokenKeys.current('station', installerId));
}

interface CurrentLink {
  nonce: string;
  /** Expiry of the current link (ms since the epoch), to hand the same link out again. */
  expiresAt?: number;
}

/** A current link is handed out again only while it has at least this long to live. */
export const LINK_REUSE_MARGIN_MS = 5 * 60 * 1000;

function isPurpose(value: unknown): value is TokenPurpose {
  return value === 'password' || value === 'confirm' || value === 'station';
}

function parsePayload(json: string): TokenPayload | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { p, i, n, e } = value as Record<string, unknown>;
  if (!isPurpose(p) || typeof i !== 'string' || i === '' || typeof n !== 'string' || !BASE64URL.test(n)) return undefined;
  if (typeof e !== 'number' || !Number.isSafeInteger(e)) return undefined;
  return { p, i, n, e };
}

/**
 * LinkTokens over HMAC-SHA256 signed tokens and a DocumentStore:
 * token = base64url(JSON payload) + '.' + base64url(HMAC-SHA256(secret, first part)).
 * The store remembers the current nonce per installer and purpose (a newer link replaces the older)
 * and, once redeemed, the used nonce until the token expires (an atomic create: one redeem wins).
 */
export function createLinkTokens(store: DocumentStore, secret: Buffer, now: () => number = Date.now): LinkTokens {
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`Link tokens: the secret must have at least ${MIN_SECRET_BYTES} bytes`);

  const sign = (encodedPayload: string): Buffer => createHmac('sha256', secret).update(encodedPayload, 'utf8').digest();

  /** The payload of a well-formed token with a good signature, else undefined. */
  function verify(token: string): TokenPayload | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const parts = token.split('.');
    if (parts.length !== 2) return undefined;
    const [encodedPayload, encodedSignature] = parts;
    if (!BASE64URL.test(encodedPayload) || !BASE64URL.test(encodedSignature)) return undefined;
    const given = Buffer.from(encodedSignature, 'base64url');
    if (given.length !== SIGNATURE_BYTES || given.toString('base64url') !== encodedSignature) return undefined;
    if (!timingSafeEqual(given, sign(encodedPayload))) return undefined;
    return parsePayload(Buffer.from(encodedPayload, 'base64url').toString('utf8'));
  }

  async function evaluate(token: string, purpose: TokenPurpose): Promise<{ payload: TokenPayload } | { reason: LinkTokenFailure }> {
    const payload = verify(token);
    if (!payload) return { reason: 'invalid' };
    if (payload.p !== purpose) return { reason: 'wrong_purpose' };
    if (await store.get(linkTokenKeys.used(payload.n))) return { reason: 'used' };
    if (now() >= payload.e) return { reason: 'expired' };
    const current = await store.get<CurrentLink>(linkTokenKeys.current(payload.p, payload.i));
    // No record of it: issued before the installer's data was deleted, or by another store.
    if (!current) return { reason: 'invalid' };
    // A newer link of the same purpose replaced this one.
    if (current.value.nonce !== payload.n) return { reason: 'replaced' };
    return { payload };
  }

  function encode(payload: TokenPayload): string {
    const encodedPayload = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${encodedPayload}.${sign(encodedPayload).toString('base64url')}`;
  }

  async function issue(purpose: TokenPurpose, installerId: string, ttlMs: number): Promise<string> {
    if (!isPurpose(purpose)) throw new Error('Link tokens: unknown purpose');
    if (installerId === '') throw new Error('Link tokens: installerId is empty');
    if (!(ttlMs > 0)) throw new Error('Link tokens: ttlMs must be positive');
    const payload: TokenPayload = { p: purpose, i: installerId, n: randomBytes(16).toString('base64url'), e: Math.ceil(now() + ttlMs) };
    await store.put<CurrentLink>(linkTokenKeys.current(purpose, installerId), { nonce: payload.n, expiresAt: payload.e }, { ttlMs });
    return encode(payload);
  }

  return {
    issue,

    async current(purpose, installerId, ttlMs) {
      const current = (await store.get<CurrentLink>(linkTokenKeys.current(purpose, installerId)))?.value;
      const fresh = current?.expiresAt !== undefined && current.expiresAt - now() > Math.min(LINK_REUSE_MARGIN_MS, ttlMs / 2);
      if (current && fresh && !(await store.get(linkTokenKeys.used(current.nonce)))) {
        return encode({ p: purpose, i: installerId, n: current.nonce, e: current.expiresAt! });
      }
      return issue(purpose, installerId, ttlMs);
    },

    async check(token, purpose) {
      const result = await evaluate(token, purpose);
      return 'reason' in result ? { ok: false, reason: result.reason } : { ok: true, installerId: result.payload.i };
    },

    async redeem(token, purpose) {
      const result = await evaluate(token, purpose);
      if ('reason' in result) return { ok: false, reason: result.reason };
      const { payload } = result;
      const ttlMs = Math.max(1000, payload.e - now());
      const created = await store.create(linkTokenKeys.used(payload.n), { purpose: payload.p }, { ttlMs });
      if (created === undefined) return { ok: false, reason: 'used' };
      return { ok: true, installerId: payload.i };
    },
    forget(installerId) {
      return forgetLinkTokens(store, installerId);
    },
  };
}
