import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type DocumentStore, updateDocument } from '../store/documentStore';
import type { LinkTokens, RedeemResult, TokenPurpose } from './linkTokens';

/** Why a link token is refused. */
export type LinkTokenFailure = Extract<RedeemResult, { ok: false }>['reason'];

/** What a link stands for: kept in the store under the link's random id, never in the URL. */
interface LinkRecord {
  /** purpose */
  p: TokenPurpose;
  /** installer id; absent once the registration was replaced (the link then says so, and names nobody) */
  i?: string;
  /** expiry, ms since the epoch */
  e: number;
}

interface CurrentLink {
  nonce: string;
  /** Expiry of the current link (ms since the epoch), to hand the same link out again. */
  expiresAt?: number;
}

interface InstallerLinks {
  /** Every link id issued to the installer that may still be in the store, with its expiry. */
  links: Array<{ n: string; e: number }>;
}

const MAX_TOKEN_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const NONCE_BYTES = 16;
const MAC_BYTES = 32;
const MIN_SECRET_BYTES = 32;
/** A link's record outlives the link a while, so a late click is told "expired", not "unknown". */
const RECORD_GRACE_MS = 7 * 24 * 60 * 60 * 1000;

/** A current link is handed out again only while it has at least this long to live. */
export const LINK_REUSE_MARGIN_MS = 5 * 60 * 1000;

/** Storage keys the tokens use (no token ever appears in a key, only its random id). */
export const linkTokenKeys = {
  link: (nonce: string) => `token-link/${nonce}`,
  current: (purpose: TokenPurpose, installerId: string) => `token-current/${purpose}/${installerId}`,
  used: (nonce: string) => `token-used/${nonce}`,
  ofInstaller: (installerId: string) => `token-links/${installerId}`,
};

const PURPOSES: readonly TokenPurpose[] = ['password', 'confirm', 'station', 'invitation', 'course'];

/** Forgets every link of an installer (e.g. "delete my data"): their tokens then answer 'invalid', and no record names the installer. */
export async function forgetLinkTokens(store: DocumentStore, installerId: string): Promise<void> {
  const issued = (await store.get<InstallerLinks>(linkTokenKeys.ofInstaller(installerId)))?.value.links ?? [];
  for (const { n } of issued) await store.delete(linkTokenKeys.link(n));
  for (const purpose of PURPOSES) await store.delete(linkTokenKeys.current(purpose, installerId));
  await store.delete(linkTokenKeys.ofInstaller(installerId));
}

/**
 * The links of a registration that was replaced (its address corrected before confirmation): each
 * answers 'replaced' until it would have expired, and no record names the installer any more.
 */
export async function replaceLinkTokens(store: DocumentStore, installerId: string, now: () => number = Date.now): Promise<void> {
  const issued = (await store.get<InstallerLinks>(linkTokenKeys.ofInstaller(installerId)))?.value.links ?? [];
  for (const { n } of issued) {
    const record = (await store.get<LinkRecord>(linkTokenKeys.link(n)))?.value;
    const keepMs = (record?.e ?? 0) + RECORD_GRACE_MS - now();
    if (record && keepMs > 0) await store.put<LinkRecord>(linkTokenKeys.link(n), { p: record.p, e: record.e }, { ttlMs: keepMs });
    else await store.delete(linkTokenKeys.link(n));
  }
  for (const purpose of PURPOSES) await store.delete(linkTokenKeys.current(purpose, installerId));
  await store.delete(linkTokenKeys.ofInstaller(installerId));
}

/**
 * LinkTokens as opaque ids: token = id + '.' + base64url(HMAC-SHA256(secret, id)), the id 16 random
 * bytes. The store maps the id to purpose, installer and expiry, so nothing personal is in a URL;
 * the HMAC lets a forged or mistyped token be refused without a store read. The store also keeps the
 * current id per installer and purpose (a newer link replaces the older) and, once redeemed, the
 * used id until the link expires (an atomic create: one redeem wins).
 */
export function createLinkTokens(store: DocumentStore, secret: Buffer, now: () => number = Date.now): LinkTokens {
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`Link tokens: the secret must have at least ${MIN_SECRET_BYTES} bytes`);

  const mac = (nonce: string): Buffer => createHmac('sha256', secret).update(nonce, 'utf8').digest();
  const tokenOf = (nonce: string): string => `${nonce}.${mac(nonce).toString('base64url')}`;

  /** The id of a well-formed token with a good MAC, else undefined. */
  function verify(token: string): string | undefined {
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return undefined;
    const parts = token.split('.');
    if (parts.length !== 2) return undefined;
    const [nonce, encodedMac] = parts as [string, string];
    if (!BASE64URL.test(nonce) || !BASE64URL.test(encodedMac)) return undefined;
    if (Buffer.from(nonce, 'base64url').length !== NONCE_BYTES) return undefined;
    const given = Buffer.from(encodedMac, 'base64url');
    if (given.length !== MAC_BYTES || given.toString('base64url') !== encodedMac) return undefined;
    return timingSafeEqual(given, mac(nonce)) ? nonce : undefined;
  }

  async function evaluate(token: string, purpose: TokenPurpose): Promise<{ nonce: string; record: Required<LinkRecord> } | { reason: LinkTokenFailure }> {
    const nonce = verify(token);
    if (!nonce) return { reason: 'invalid' };
    const record = (await store.get<LinkRecord>(linkTokenKeys.link(nonce)))?.value;
    // No record: issued by another store, or the installer's data was deleted.
    if (!record) return { reason: 'invalid' };
    if (record.p !== purpose) return { reason: 'wrong_purpose' };
    if (record.i === undefined) return { reason: 'replaced' };
    if (await store.get(linkTokenKeys.used(nonce))) return { reason: 'used' };
    if (now() >= record.e) return { reason: 'expired' };
    const current = await store.get<CurrentLink>(linkTokenKeys.current(record.p, record.i));
    if (!current) return { reason: 'invalid' };
    // A newer link of the same purpose replaced this one.
    if (current.value.nonce !== nonce) return { reason: 'replaced' };
    return { nonce, record: { ...record, i: record.i } };
  }

  async function issue(purpose: TokenPurpose, installerId: string, ttlMs: number): Promise<string> {
    if (!PURPOSES.includes(purpose)) throw new Error('Link tokens: unknown purpose');
    if (installerId === '') throw new Error('Link tokens: installerId is empty');
    if (!(ttlMs > 0)) throw new Error('Link tokens: ttlMs must be positive');
    const nonce = randomBytes(NONCE_BYTES).toString('base64url');
    const expiresAt = Math.ceil(now() + ttlMs);
    const keepMs = ttlMs + RECORD_GRACE_MS;
    await store.put<LinkRecord>(linkTokenKeys.link(nonce), { p: purpose, i: installerId, e: expiresAt }, { ttlMs: keepMs });
    await updateDocument<InstallerLinks>(
      store,
      linkTokenKeys.ofInstaller(installerId),
      (current) => ({ links: [...(current?.links ?? []).filter((l) => l.e + RECORD_GRACE_MS > now()), { n: nonce, e: expiresAt }] }),
      { ttlMs: keepMs },
    );
    await store.put<CurrentLink>(linkTokenKeys.current(purpose, installerId), { nonce, expiresAt }, { ttlMs });
    return tokenOf(nonce);
  }

  return {
    issue,

    async current(purpose, installerId, ttlMs) {
      const current = (await store.get<CurrentLink>(linkTokenKeys.current(purpose, installerId)))?.value;
      const fresh = current?.expiresAt !== undefined && current.expiresAt - now() > Math.min(LINK_REUSE_MARGIN_MS, ttlMs / 2);
      if (current && fresh && !(await store.get(linkTokenKeys.used(current.nonce)))) return tokenOf(current.nonce);
      return issue(purpose, installerId, ttlMs);
    },

    async check(token, purpose) {
      const result = await evaluate(token, purpose);
      return 'reason' in result ? { ok: false, reason: result.reason } : { ok: true, installerId: result.record.i };
    },

    async redeem(token, purpose) {
      const result = await evaluate(token, purpose);
      if ('reason' in result) return { ok: false, reason: result.reason };
      const ttlMs = Math.max(1000, result.record.e - now());
      const created = await store.create(linkTokenKeys.used(result.nonce), { purpose: result.record.p }, { ttlMs });
      if (created === undefined) return { ok: false, reason: 'used' };
      return { ok: true, installerId: result.record.i };
    },

    forget(installerId) {
      return forgetLinkTokens(store, installerId);
    },

    replace(installerId) {
      return replaceLinkTokens(store, installerId, now);
    },
  };
}
