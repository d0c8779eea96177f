import type { StationLocalization } from './station';

/**
 * How long the station localized last stays "the last one" for "same spot as the last one": a
 * working session at one site (a garage of chargers side by side, with a break). Older than this,
 * the last station was most likely at another site, and its position is not offered.
 */
export const SAME_SPOT_WINDOW_MS = 4 * 60 * 60 * 1000;

/**
 * The station the installer localized last (in any chat, or on the location page), if that was
 * within `windowMs` before `now`; the one whose position "same spot" reuses.
 */
export function lastLocalizationWithin(
  localizations: readonly StationLocalization[],
  now: Date,
  windowMs: number = SAME_SPOT_WINDOW_MS,
): StationLocalization | undefined {
  let last: StationLocalization | undefined;
  for (const localization of localizations) if (!last || localization.localizedAt >= last.localizedAt) last = localization;
  if (!last) return undefined;
  const at = Date.parse(last.localizedAt);
  return Number.isFinite(at) && now.getTime() - at <= windowMs ? last : undefined;
}
