/** Jittered exponential backoff for contention (a busy document, a held lease): the wait before retry `attempt` (1-based), spread over the upper half of min(max, base·2^(attempt-1)). */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Exponential backoff for retried work: base, 2×base, 4×base … capped at max, less up to 10 % jitter so workers spread out. */
export function backoffMs(attempts: number, retry: { baseMs: number; maxMs: number }, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** exponent);
  return Math.round(delay * (1 - 0.1 * random()));
}

/** A Retry-After header (seconds or an HTTP date) → milliseconds to wait; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
