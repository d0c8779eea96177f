import type { Language } from './language';
import type { Profile } from './profile';
import type { Region, Stage } from './journey';
import type { StageEntry } from './journeyTransitions';
import type { StationLocalization } from './station';

/** One installer, keyed by the normalised email address. */
export interface Installer {
  id: string;
  email: string;
  region: Region;
  language: Language;
  stage: Stage;
  /** When each stage was entered, oldest first (records from before it was kept have none). */
  stageHistory?: StageEntry[];
  /** scrypt hash of the chosen password (never the password). */
  passwordHash?: string;
  /** scrypt hashes of passwords the installer typed into the chat (the page refuses them); the newest three. */
  passwordsTypedInChat?: string[];
  createdAt: string;
  updatedAt: string;
  passwordSetAt?: string;
  confirmedAt?: string;
  /** When every course was completed (the LMS reported it): certified. */
  certifiedAt?: string;
  /** When confirmation emails were (re)sent, newest last; used for the resend limit. */
  confirmationsSent: string[];
  /**
   * Stations as an earlier version kept them, on the record itself. They are kept apart now (one
   * document each, see stations/stationLocalizations.ts); reading them folds this list in and drops it.
   */
  stationsLocalized?: StationLocalization[];
  /** The profile fields as saved (the university portal's required fields). */
  profile?: Profile;
  /** When invitation emails were (re)sent, newest last; the first marks the invitation as sent (idempotent), the rest count for the resend limit. */
  invitationsSent?: string[];
  /** The installer account as set up on the invitation page: the name and company confirmed there. */
  account?: InstallerAccount;
  /** When the installer account was set up with the invitation link. */
  accountSetUpAt?: string;
  /** When the installer accepted the terms on the invitation page, and which version of them. */
  termsAcceptedAt?: string;
  termsVersion?: string;
}

/** Name and company as confirmed (or corrected) by the installer when setting up the installer account. */
export interface InstallerAccount {
  firstName: string;
  lastName: string;
  company: string;
}
