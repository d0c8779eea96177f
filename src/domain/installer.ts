import type { Language } from './language';
import type { Region, Stage } from './journey';
import type { StationLocalization } from './station';

/** One installer, keyed by the normalised email address. */
export interface Installer {
  id: string;
  email: string;
  region: Region;
  language: Language;
  stage: Stage;
  /** scrypt hash of the chosen password (never the password). */
  passwordHash?: string;
  /** scrypt hashes of passwords the installer typed into the chat (the page refuses them); the newest three. */
  passwordsTypedInChat?: string[];
  createdAt: string;
  updatedAt: string;
  passwordSetAt?: string;
  confirmedAt?: string;
  /** When confirmation emails were (re)sent, newest last; used for the resend limit. */
  confirmationsSent: string[];
  stationsLocalized: StationLocalization[];
}
