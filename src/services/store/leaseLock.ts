import { randomUUID } from 'node:crypto';
import { backoffDelayMs, sleep } from './backoff';
import { type DocumentStore, isEtagConflict } from './documentStore';

/** The lease document at lease/<name>. `expiresAt` 0 means released. */
interface LeaseRecord {
  owner: string;
  /** Grows by one at every acquisition: a holder can tell that someone else held the lease since. */
  fence: number;
  expiresAt: number;
}

export interface LeaseOptions {
  /** How long a lease lasts without renewal (a crashed holder blocks others at most this long). */
  ttlMs: number;
  /** How long acquire waits for a held lease before giving up with LeaseTimeoutError. */
  waitMs: number;
  /**
   * A holder counts its lease as lost this long before it would expire by its own clock since the
   * last successful acquire or renewal (covers clock drift and the time a write takes).
   * Default: a fifth of the ttl, at most one second.
   */
  safetyMs?: number;
  /** Backoff between attempts while waiting (jittered, doubling from min up to max). */
  minRetryMs?: number;
  maxRetryMs?: number;
  now?: () => number;
}

export class LeaseTimeoutError extends Error {
  constructor(public readonly leaseName: string, waitedMs: number) {
    super(`Lease "${leaseName}" still held by another instance after ${waitedMs} ms`);
    this.name = 'LeaseTimeoutError';
  }
}

export class LeaseLostError extends Error {
  constructor(public readonly leaseName: string) {
    super(`Lease "${leaseName}" was lost (it expired and another instance took it)`);
    this.name = 'LeaseLostError';
  }
}

/** A lease this process holds; renewed in the background until released. */
export interface HeldLease {
  readonly name: string;
  /** The fencing number of this acquisition. */
  readonly fence: number;
  /**
   * False once a renewal found that someone else took the lease, or once the last successful
   * acquire or renewal is so long ago (ttl less a safety margin) that the lease may have expired.
   */
  readonly held: boolean;
  /** Throws LeaseLostError when the lease is no longer held (see `held`). */
  assertHeld(): void;
  /**
   * For a commit point: reads the lease document and throws LeaseLostError unless it still carries
   * this holder and fence (and `held` is still true).
   */
  confirm(): Promise<void>;
  release(): Promise<void>;
}

/** Documents that outlive any holder, so the fence keeps growing; refreshed at every write. */
const RECORD_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Leases with expiry and fencing over the DocumentStore's atomic primitives, so they hold across
 * every process sharing the store: `create` takes a free name, `put` with the eTag read renews,
 * takes an expired lease (fence + 1) and releases (expiresAt 0, fence kept). No clock is shared:
 * each process compares the stored expiry with its own clock, so clocks should agree to well
 * within the ttl.
 */
export class LeaseLocks {
  private readonly owner = randomUUID();
  private readonly options: Required<LeaseOptions>;

  constructor(
    private readonly store: DocumentStore,
    options: LeaseOptions,
  ) {
    this.options = {
      minRetryMs: 5,
      maxRetryMs: Math.max(5, Math.min(250, options.ttlMs / 4)),
      safetyMs: Math.min(1000, Math.floor(options.ttlMs / 5)),
      now: Date.now,
      ...options,
    };
  }

  async acquire(name: string): Promise<HeldLease> {
    const key = `lease/${name}`;
    const { now, ttlMs, waitMs, minRetryMs, maxRetryMs } = this.options;
    const started = now();
    for (let attempt = 1; ; attempt++) {
      const at = now();
      const taken = await this.tryTake(key, at, ttlMs);
      if (taken) return this.hold(name, key, taken.fence, taken.etag, at);
      const waited = now() - started;
      if (waited >= waitMs) throw new LeaseTimeoutError(name, waited);
      await sleep(Math.min(backoffDelayMs(attempt, minRetryMs, maxRetryMs), Math.max(1, waitMs - waited)));
    }
  }

  /** One atomic attempt: the new fence and eTag, or undefined when someone holds it (or won the race). */
  private async tryTake(key: string, at: number, ttlMs: number): Promise<{ fence: number; etag: string } | undefined> {
    const current = await this.store.get<LeaseRecord>(key);
    if (!current) {
      const record: LeaseRecord = { owner: this.owner, fence: 1, expiresAt: at + ttlMs };
      const etag = await this.store.create(key, record, { ttlMs: RECORD_TTL_MS });
      return etag ? { fence: 1, etag } : undefined;
    }
    if (current.value.expiresAt > at) return undefined;
    const record: LeaseRecord = { owner: this.owner, fence: current.value.fence + 1, expiresAt: at + ttlMs };
    try {
      return { fence: record.fence, etag: await this.store.put(key, record, { etag: current.etag, ttlMs: RECORD_TTL_MS }) };
    } catch (error) {
      if (isEtagConflict(error)) return undefined;
      throw error;
    }
  }

  /** `since`: when the write that took the lease started (its expiry counts from then). */
  private hold(name: string, key: string, fence: number, firstEtag: string, since: number): HeldLease {
    const { ttlMs, safetyMs, now } = this.options;
    const owner = this.owner;
    let etag = firstEtag;
    let lost = false;
    let released = false;
    let confirmedAt = since;
    const held = (): boolean => !lost && !released && now() < confirmedAt + ttlMs - safetyMs;
    let writing: Promise<void> = Promise.resolve();
    const write = (at: number, expiresAt: number): Promise<void> => {
      writing = writing.then(async () => {
        if (lost || released) return;
        try {
          etag = await this.store.put<LeaseRecord>(key, { owner, fence, expiresAt }, { etag, ttlMs: RECORD_TTL_MS });
          confirmedAt = at;
        } catch (error) {
          // a conflict: the lease expired and someone else took it; any other failure: the next
          // renewal tries again (and without one in time, `held` turns false by the clock)
          if (isEtagConflict(error)) lost = true;
        }
      });
      return writing;
    };
    const timer = setInterval(() => {
      const at = now();
      void write(at, at + ttlMs);
    }, Math.max(10, Math.floor(ttlMs / 3)));
    timer.unref();
    const assertHeld = (): void => {
      if (!held()) throw new LeaseLostError(name);
    };
    return {
      name,
      fence,
      get held() {
        return held();
      },
      assertHeld,
      confirm: async () => {
        assertHeld();
        const current = await this.store.get<LeaseRecord>(key);
        if (current?.value.owner !== owner || current.value.fence !== fence) {
          lost = true;
          throw new LeaseLostError(name);
        }
        assertHeld();
      },
      async release() {
        clearInterval(timer);
        await write(now(), 0);
        released = true;
      },
    };
  }
}
