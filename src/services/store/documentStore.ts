import { backoffDelayMs, sleep } from './backoff';

/** A stored value with the version tag it was read at. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

export interface PutOptions {
  /**
   * The etag the caller read. Undefined or '*' writes unconditionally. Any other value writes only
   * when the stored etag is still that one (or the key does not exist); otherwise EtagConflictError.
   */
  etag?: string;
  /**
   * With an etag: the key must still exist, too. A document deleted since it was read (an
   * installer's data erased meanwhile) is then a conflict, never written back.
   */
  mustExist?: boolean;
  /** Time to live in milliseconds; the key reads as missing afterwards. */
  ttlMs?: number;
}

/**
 * The one persistence port: JSON documents by key, with optimistic concurrency.
 * Every write produces a new etag; the check-and-write is atomic in the backend, so several
 * processes sharing one store see exactly one winner of a race on the same etag.
 */
export interface DocumentStore {
  get<T>(key: string): Promise<Versioned<T> | undefined>;
  /** Writes and returns the new etag; throws EtagConflictError on a stale etag. */
  put<T>(key: string, value: T, options?: PutOptions): Promise<string>;
  /** Writes only when the key is absent; returns the new etag, or undefined when it already exists. */
  create<T>(key: string, value: T, options?: { ttlMs?: number }): Promise<string | undefined>;
  /**
   * Counts one event in the fixed window that starts at `windowStart`, in one atomic step of the
   * backend: the document at `key` (`{ windowStart, count }`) gets count + 1 when it holds that
   * window, else count 1 (a new window), and expires after `ttlMs`. Returns the new count.
   */
  countInWindow(key: string, windowStart: number, ttlMs: number): Promise<number>;
  /** Deleting a missing key is fine. */
  delete(key: string): Promise<void>;
  /**
   * Adds members to the set at `setKey`, in one atomic step of the backend: a member already there
   * stays as it was (adding twice = once). Writers adding to one set never conflict and never retry,
   * unlike a list kept in one document. Sets are a namespace of their own, apart from documents.
   */
  addToSet(setKey: string, members: string[]): Promise<void>;
  /** Removes members from the set (missing ones are fine); a set without members is gone. */
  removeFromSet(setKey: string, members: string[]): Promise<void>;
  /** The set's members in the order they were added (oldest first); [] for a missing set. */
  setMembers(setKey: string): Promise<string[]>;
  /** Throws when the backend cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
  readonly backend: 'sqlite' | 'redis' | 'postgres';
}

export class EtagConflictError extends Error {
  constructor(public readonly key: string) {
    super(`Storage: eTag conflict writing "${key}"`);
    this.name = 'EtagConflictError';
  }
}

export function isEtagConflict(error: unknown): error is EtagConflictError {
  return error instanceof EtagConflictError;
}

/**
 * Read-modify-write with retries on conflict. `change` gets the current value (undefined when
 * missing) and returns the new value, or undefined to leave the document as it is.
 * Returns the value that was finally stored (or the unchanged current value).
 * Between attempts it waits a jittered, doubling delay, so writers racing on one busy document
 * spread out instead of colliding again at once.
 */
export async function updateDocument<T>(
  store: DocumentStore,
  key: string,
  change: (current: T | undefined) => T | undefined,
  options: { ttlMs?: number; attempts?: number; minRetryMs?: number; maxRetryMs?: number } = {},
): Promise<T | undefined> {
  const attempts = options.attempts ?? 30;
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<T>(key);
    const next = change(current?.value);
    if (next === undefined) return current?.value;
    try {
      if (current) await store.put(key, next, { etag: current.etag, mustExist: true, ttlMs: options.ttlMs });
      else if ((await store.create(key, next, { ttlMs: options.ttlMs })) === undefined) throw new EtagConflictError(key);
      return next;
    } catch (error) {
      if (!isEtagConflict(error) || attempt >= attempts) throw error;
    }
    await waitAfterConflict(attempt, options);
  }
}

/**
 * The wait after the `attempt`-th (1-based) write that lost a race on a document, before reading it
 * again: jittered, doubling from `minRetryMs` (2 ms) up to `maxRetryMs` (200 ms).
 */
export function waitAfterConflict(attempt: number, options: { minRetryMs?: number; maxRetryMs?: number } = {}): Promise<void> {
  return sleep(backoffDelayMs(attempt, options.minRetryMs ?? 2, options.maxRetryMs ?? 200));
}
