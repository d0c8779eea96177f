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
