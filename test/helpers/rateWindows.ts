import type { Language } from '../../src/domain/language';
import { localeText } from './localeText';

/**
 * The rate limits count in fixed windows aligned to the clock (a minute, ten or fifteen minutes, an
 * hour: every boundary is a minute's), so requests that straddle a boundary see the count start
 * over. A test that counts calls this first: it goes on at once, or at the next minute when fewer
 * than `marginMs` are left of this one.
 */
export async function wellInsideRateWindow(marginMs = 8_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** The seconds a fixed window of `windowSeconds` has left at `at` (as the limiter rounds them). */
function secondsLeft(at: number, windowSeconds: number): number {
  const windowMs = windowSeconds * 1000;
  return Math.ceil((windowMs - (at % windowMs)) / 1000);
}

/**
 * A `limits:` sentence (read from the locale files as data) with every wait the limiter can have
 * stated for a refusal between `before` and `after` (ms) in a window of `seconds`: "N seconds"
 * under two minutes, whole minutes above, as the user reads them.
 */
export function limitTextsWithin(language: Language, key: string, window: { seconds: number; before: number; after: number }): string[] {
  const texts = new Set<string>();
  for (let n = secondsLeft(window.after, window.seconds); n <= secondsLeft(window.before, window.seconds); n++) {
    texts.add(localeText(language, key, { wait: waitIn(language, n) }));
  }
  return [...texts];
}

/** "N seconds" under two minutes, whole minutes (rounded up) above: a wait of `seconds` as the user reads it. */
export function waitIn(language: Language, seconds: number): string {
  return seconds < 120
    ? localeText(language, `limits:wait.seconds_${seconds === 1 ? 'one' : 'other'}`, { count: seconds })
    : localeText(language, `limits:wait.minutes_${Math.ceil(seconds / 60) === 1 ? 'one' : 'other'}`, { count: Math.ceil(seconds / 60) });
}
