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
  /** False once a renewal found that the lease expired and someone else took it. */
  readonly held: boolean;
  /** Throws LeaseLostError when the lease is no longer held. */
  assertHeld(): void;
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
    this.options = { minRetryMs: 5, maxRetryMs: Math.max(5, Math.min(250, options.ttlMs / 4)), now: Date.now, ...options };
  }

  async acquire(name: string): Promise<HeldLease> {
    const key = `lease/${name}`;
    const { now, ttlMs, waitMs, minRetryMs, maxRetryMs } = this.options;
    const started = now();
    for (let attempt = 1; ; attempt++) {
      const taken = await this.tryTake(key, now(), ttlMs);
      if (taken) return this.hold(name, key, taken.fence, taken.etag);
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

  private hold(name: string, key: string, fence: number, firstEtag: string): HeldLease {
    const { ttlMs, now } = this.options;
    let etag = firstEtag;
    let held = true;
    let writing: Promise<void> = Promise.resolve();
    const write = (expiresAt: number): Promise<void> => {
      writing = writing.then(async () => {
        if (!held) return;
        try {
          etag = await this.store.put<LeaseRecord>(key, { owner: this.owner, fence, expiresAt }, { etag, ttlMs: RECORD_TTL_MS });
        } catch (error) {
          // a conflict: the lease expired and someone else took it; any other failure: the next renewal tries again
          if (isEtagConflict(error)) held = false;
        }
      });
      return writing;
    };
    const timer = setInterval(() => void write(now() + ttlMs), Math.max(10, Math.floor(ttlMs / 3)));
    timer.unref();
    return {
      name,
      fence,
      get held() {
        return held;
      },
      assertHeld() {
        if (!held) throw new LeaseLostError(name);
      },
      async release() {
        clearInterval(timer);
        await write(0);
        held = false;
      },
    };
  }
}
