import type { InstallerAccount } from './installer';

/** The version of the installer terms shown on the invitation page (locales: pages:invitation.terms.*); stored with the acceptance. */
export const TERMS_VERSION = '2026-11';

/** Longest name or company the installer account takes (the university portal's own limit is higher). */
export const ACCOUNT_FIELD_MAX = 100;

export type AccountField = 'firstName' | 'lastName' | 'company' | 'terms';
export interface AccountSetupProblem {
  field: AccountField;
  code: 'required' | 'too_long';
}

export interface AccountSetupInput {
  firstName: string;
  lastName: string;
  company: string;
  /** Whether the terms checkbox was ticked. */
  termsAccepted: boolean;
}

export type AccountSetupParse = { ok: true; account: InstallerAccount } | { ok: false; problems: AccountSetupProblem[] };

/** Spaces tidied (trimmed, runs collapsed) and control characters dropped, as a name is shown and stored. */
function tidy(value: string): string {
  return value.replace(/[\p{Cc}\p{Cf}]/gu, ' ').replace(/\s+/gu, ' ').trim();
}

/** The invitation page's form: name and company (confirmed or corrected) and the terms accepted. */
export function parseAccountSetup(input: AccountSetupInput): AccountSetupParse {
  const account: InstallerAccount = { firstName: tidy(input.firstName), lastName: tidy(input.lastName), company: tidy(input.company) };
  const problems: AccountSetupProblem[] = [];
  for (const field of ['firstName', 'lastName', 'company'] as const) {
    const value = account[field];
    if (value === '') problems.push({ field, code: 'required' });
    else if ([...value].length > ACCOUNT_FIELD_MAX) problems.push({ field, code: 'too_long' });
  }
  if (!input.termsAccepted) problems.push({ field: 'terms', code: 'required' });
  return problems.length === 0 ? { ok: true, account } : { ok: false, problems };
}
