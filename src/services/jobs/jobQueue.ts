/**
 * Durable background jobs shared by every instance on one store. Job types and their payloads are
 * a map (`{ notify: NotifyJob; … }`, see appJobs.ts): `enqueue('notify', payload)` only type-checks
 * with that type's payload, and a handler gets it typed.
 */
export type JobMap = object;

export interface JobInfo {
  id: string;
  /** 1 for the first run, 2 for the first retry … */
  attempt: number;
}

/**
 * Runs one attempt of a job. A thrown error makes it retry (or go dead). The error may ask for a
 * longer wait before the next attempt with a `retryAfterMs` of its own (a number ≥ 0, on the
 * error or one it wraps: a channel's or an API's Retry-After): the next attempt then comes no
 * sooner than that nor than the backoff, and at most MAX_RETRY_AFTER_MS (retryDelay.ts) later.
 */
export type JobHandler<P> = (payload: P, job: JobInfo) => Promise<void>;

export interface RetryPolicy {
  /** Attempts before the job is given up as dead. */
  maxAttempts?: number;
  /** Backoff between attempts: baseMs doubling up to maxMs (less up to 10 % jitter); longer when the error asks (retryAfterMs, see JobHandler). */
  retry?: { baseMs: number; maxMs: number };
}

export interface EnqueueOptions {
  /** Not before this time (ms since the epoch); default now. */
  runAt?: number;
  /**
   * At most one pending job per key (and type): enqueueing while one is pending adds nothing; while
   * one is running, it runs once more afterwards with the newest payload. The key is stored only
   * as a hash, so it may name a person.
   */
  key?: string;
  /**
   * Jobs of one group run one at a time, in the order they were enqueued, across instances (a
   * failed one holds the later ones back until it succeeds or is given up). Not with `key`.
   * Stored only as a hash.
   */
  group?: string;
}

/** A handler's error that no retry can fix (bad payload, the thing it works on is gone): the job goes dead at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

export interface DeadJob {
  id: string;
  type: string;
  attempts: number;
  createdAt: number;
  deadAt?: number;
  lastError?: string;
}

export interface JobQueue<Jobs extends JobMap> {
  /** Stores the job and returns its id at once; a worker runs it (on this instance or another). */
  enqueue<T extends keyof Jobs & string>(type: T, payload: Jobs[T], options?: EnqueueOptions): Promise<string>;
  /** How jobs of this type run; register before start(). A type without a handler here is left to instances that have one. */
  register<T extends keyof Jobs & string>(type: T, handler: JobHandler<Jobs[T]>, policy?: RetryPolicy): void;
  /**
   * Runs a job of this type every `intervalMs`, once per interval across every instance on the
   * store (the first run when the first worker starts). The type needs a handler too.
   */
  every<T extends keyof Jobs & string>(type: T, intervalMs: number, payload: Jobs[T]): void;
  /** Starts the worker loop (it also picks up what a previous run left). */
  start(): void;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
  /** Runs every job due now (and those that fall due meanwhile) and waits for them: tests and tools. Returns how many ran. */
  runDue(): Promise<number>;
  /** The jobs given up on, for the operator. */
  dead(): Promise<DeadJob[]>;
  /**
   * Drops jobs not finished and dead ones whose payload matches ("delete my data"); a job running
   * at this moment loses its payload in the store, finishes and is not retried. Returns how many.
   */
  forget(matches: (type: string, payload: unknown) => boolean): Promise<number>;
  /**
   * Re-files jobs not finished and dead ones (support corrected an installer's email address, which
   * is the id their payload names): `change` returns the new payload, or undefined to leave the job
   * as it is. A job running at this moment goes on with the payload its worker holds; a later
   * attempt has the new one. Returns how many were changed.
   */
  rewrite(change: (type: string, payload: unknown) => unknown): Promise<number>;
}
