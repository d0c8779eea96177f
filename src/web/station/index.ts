import type { Server } from 'restify';
import type { Logger } from '../../logger';
import type { Translator } from '../../services/i18n/translator';
import type { StationActions } from '../../services/stations/stationActions';
import type { LinkTokens } from '../../services/tokens/linkTokens';

export interface StationRouteDeps {
  tokens: LinkTokens;
  stations: StationActions;
  translator: Translator;
  logger: Logger;
}

/**
 * The on-site pages (Teams dialogs in Teams, browser tabs elsewhere): /station/scan identifies the
 * station, /station/location pinpoints it. (Stub: filled in by the station pages work.)
 */
export function registerStationRoutes(_server: Server, _deps: StationRouteDeps): void {
  return undefined;
}
