import type { InstallerAccount } from '../../domain/installer';
import type { Stage } from '../../domain/journey';
import type { Language } from '../../domain/language';

/** What the invitation page shows: the installer's language, stage, and the name and company to confirm. */
export interface InvitationView {
  language: Language;
  stage: Stage;
  /** From the saved profile (or an earlier set-up); empty when unknown, for the installer to fill in. */
  firstName: string;
  lastName: string;
  company: string;
}

export type AccountSetUpResult = 'activated' | 'already_active' | 'refused' | 'missing';

/** What the invitation page asks of the invitation service; the web layer only sees this port. */
export interface InvitationActions {
  describe(installerId: string): Promise<InvitationView | undefined>;
  /** Records the installer account (name, company, terms accepted now), moves the installer to `active` and continues the chat. */
  setUpAccount(installerId: string, account: InstallerAccount): Promise<AccountSetUpResult>;
}
