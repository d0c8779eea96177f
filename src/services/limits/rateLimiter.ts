import { createHash } from 'node:crypto';
import { type DocumentStore, isEtagConflict } from '../store/documentStore';

/** What one limit allows: `limit` events per `windowMs`. */
export interface LimitRule {
  limit: number;
  windowMs: number;
}

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; /** The first refusal in this window (tell the person once). */ firstRefusal: boolean };

/** One fixed window's count, stored at `limits/<name>/<hashed key>` and expiring with the window. */
interface WindowCount {
  windowStart: number;
  count: number;
}

const ATTEMPTS = 25;

function hashed(key: string): string {
  // keys are user ids and client addresses: stored as a hash, never as they came
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Fixed-window counters in the DocumentStore, so every instance on one store shares them.
 * The count is a read-modify-write on the etag (atomic in every backend); a lost race retries
 * after a short random pause. When the store stays too busy for ATTEMPTS tries, the event is
 * refused: a key contended that hard is being flooded.
 */
export class RateLimiter {
  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one event for `key` under the named rule; refuses (with the wait) when the window is full. */
  async take(name: string, key: string, rule: LimitRule): Promise<LimitVerdict> {
    const docKey = `limits/${name}/${hashed(key)}`;
    for (let attempt = 1; ; attempt++) {
      const now = this.now();
      const windowStart = now - (now % rule.windowMs);
      const ttlMs = windowStart + rule.windowMs - now;
      const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
      const current = await this.store.get<WindowCount>(docKey);
      const count = current && current.value.windowStart === windowStart ? current.value.count : 0;
      if (count > rule.limit) return { allowed: false, retryAfterSeconds, firstRefusal: false };
      const next: WindowCount = { windowStart, count: count + 1 };
      let written: boolean;
      try {
        if (current) written = (await this.store.put(docKey, next, { etag: current.etag, ttlMs })) !== undefined;
        else written = (await this.store.create(docKey, next, { ttlMs })) !== undefined;
      } catch (error) {
        if (!isEtagConflict(error)) throw error;
        written = false;
      }
      // count + 1 == limit + 1 is the first event over the limit; it is counted, so later ones are not "first"
      if (written) return next.count <= rule.limit ? { allowed: true } : { allowed: false, retryAfterSeconds, firstRefusal: true };
      if (attempt >= ATTEMPTS) return { allowed: false, retryAfterSeconds, firstRefusal: false };
      await pause(2 + Math.random() * 8 * Math.min(attempt, 5));
    }
  }
}
