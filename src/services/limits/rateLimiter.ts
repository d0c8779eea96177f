import { createHash } from 'node:crypto';
import type { DocumentStore } from '../store/documentStore';

/** What one limit allows: `limit` events per `windowMs`. */
export interface LimitRule {
  limit: number;
  windowMs: number;
}

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; /** The first refusal in this window (tell the person once). */ firstRefusal: boolean };

function hashed(key: string): string {
  // keys are user ids and client addresses: stored as a hash, never as they came
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}

/**
 * Fixed-window counters in the DocumentStore, so every instance on one store shares them.
 * Each event is one atomic count in the backend (`countInWindow`: one statement or script, no
 * read-then-write race to retry), stored at `limits/<name>/<hashed key>` and expiring with its window.
 */
export class RateLimiter {
  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key` under the named rule; refuses (with the wait) when the window is full. */
  async take(name: string, key: string, rule: LimitRule): Promise<LimitVerdict> {
    const now = this.now();
    const windowStart = now - (now % rule.windowMs);
    const ttlMs = windowStart + rule.windowMs - now;
    const count = await this.store.countInWindow(`limits/${name}/${hashed(key)}`, windowStart, ttlMs);
    if (count <= rule.limit) return { allowed: true };
    // the event that makes count limit + 1 is the first over the limit: only it is told about the wait
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)), firstRefusal: count === rule.limit + 1 };
  }
}
