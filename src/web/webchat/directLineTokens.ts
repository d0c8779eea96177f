import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const TOKEN_LIFETIME_SECONDS = 30 * 60;

/** What a local Direct Line token grants: one user in one conversation, until `exp` (seconds). */
export interface DirectLineClaims {
  conv: string;
  /** Web Chat reads the user id from this claim (and warns if the page passes another one). */
  user: string;
  iat: number;
  exp: number;
}

export type TokenCheck = { ok: true; claims: DirectLineClaims } | { ok: false; reason: 'malformed' | 'invalid' | 'expired' };

const claimsSchema = z.object({
  conv: z.string().min(1).max(100),
  user: z.string().min(1).max(100),
  iat: z.number().int(),
  exp: z.number().int(),
});

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export function newConversationId(): string {
  return randomBytes(16).toString('base64url');
}

export function newUserId(): string {
  return 'dl_' + randomBytes(12).toString('base64url');
}

/** Conversation and user ids this Direct Line makes (and accepts in URLs). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,100}$/;

/** Signed, expiring tokens in JWT form (HS256), so Web Chat can read the user id as it does from Azure's tokens. */
export class DirectLineTokens {
  constructor(
    private readonly key: Buffer,
    private readonly lifetimeSeconds = TOKEN_LIFETIME_SECONDS,
  ) {}

  issue(grant: { conv: string; user: string }, nowMs = Date.now()): { token: string; expiresIn: number } {
    const iat = Math.floor(nowMs / 1000);
    const claims: DirectLineClaims = { conv: grant.conv, user: grant.user, iat, exp: iat + this.lifetimeSeconds };
    const body = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return { token: `${body}.${this.sign(body)}`, expiresIn: this.lifetimeSeconds };
  }

  verify(token: string, nowMs = Date.now()): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2] ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return { ok: false, reason: 'malformed' };
    if (claims.data.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
    return { ok: true, claims: claims.data };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
