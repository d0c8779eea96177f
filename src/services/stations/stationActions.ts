import type { Language } from '../../domain/language';
import type { Position } from '../../domain/station';

/** What the station pages ask of the station service; the web layer only sees this port. */
export interface StationActions {
  /** Who the page is for (email, language); undefined when there is no such installer. */
  describe(installerId: string): Promise<{ email: string; language: Language } | undefined>;
  /** Records the station (normalised MAC) at the position and continues the chat. */
  localize(installerId: string, mac: string, position: Position): Promise<void>;
}
