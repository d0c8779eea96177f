import { findCause } from '../../domain/errorCause';
import { backoffMs } from '../store/backoff';

/**
 * The longest a failed job waits because its error asked to (a channel's or an API's
 * Retry-After): the queue's own backoff ceiling (10 min), so a huge or mistaken Retry-After can
 * delay a job no more than the backoff of a long run of failures does, and a notice whose chat is
 * throttled still falls back to email within its attempts (about 40 min at worst) — not days later.
 */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

type AskingError = { retryAfterMs: number };

/**
 * How long the error (or an error it wraps) asked to wait before the next attempt: its
 * `retryAfterMs`, when that is a number ≥ 0. Undefined when it did not ask (NaN, a negative
 * number or a string is not asking).
 */
export function askedWaitMs(error: unknown): number | undefined {
  const asking = findCause(error, (e): e is AskingError => {
    const asked = typeof e === 'object' && e !== null ? (e as { retryAfterMs?: unknown }).retryAfterMs : undefined;
    return typeof asked === 'number' && asked >= 0;
  });
  return asking?.retryAfterMs;
}

/** The wait before a failed job's next attempt: its backoff, or what its error asked for when that is longer (at most MAX_RETRY_AFTER_MS). */
export function retryDelayMs(attempts: number, retry: { baseMs: number; maxMs: number }, error: unknown): number {
  const backoff = backoffMs(attempts, retry);
  const asked = askedWaitMs(error);
  return asked === undefined ? backoff : Math.max(backoff, Math.min(asked, MAX_RETRY_AFTER_MS));
}
