import { dictionary } from '@zxcvbn-ts/language-common';

/** Why a chosen password is refused. Codes, never sentences: the pages translate them. */
export type PasswordProblemCode = 'required' | 'too_short' | 'too_long' | 'is_email' | 'common' | 'mismatch';

export interface PasswordProblem {
  field: 'password' | 'confirmation';
  code: PasswordProblemCode;
}

export interface PasswordInput {
  password: string;
  confirmation: string;
  /** The email of the account the password is for. */
  email: string;
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** The common-password list (zxcvbn-ts), lower-cased once. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** How many distinct common passwords are refused. */
export const COMMON_PASSWORD_COUNT = COMMON_PASSWORDS.size;

/** Length in characters as a person counts them (code points, so an emoji counts once). */
function characterCount(value: string): number {
  return [...value].length;
}

function resemblesEmail(password: string, email: string): boolean {
  const address = email.trim().toLowerCase();
  if (address === '') return false;
  const candidate = password.toLowerCase();
  const localPart = address.includes('@') ? address.slice(0, address.lastIndexOf('@')) : '';
  return candidate === address || (localPart !== '' && candidate === localPart) || candidate.includes(address);
}

/**
 * Checks a chosen password and its confirmation. Returns every problem found (an empty list
 * means the password is accepted). Blank-only input counts as missing.
 */
export function checkPassword(input: PasswordInput): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const { password, confirmation, email } = input;

  if (password.trim() === '') {
    problems.push({ field: 'password', code: 'required' });
  } else {
    const length = characterCount(password);
    if (length < PASSWORD_MIN_LENGTH) problems.push({ field: 'password', code: 'too_short' });
    if (length > PASSWORD_MAX_LENGTH) problems.push({ field: 'password', code: 'too_long' });
    if (resemblesEmail(password, email)) problems.push({ field: 'password', code: 'is_email' });
    if (COMMON_PASSWORDS.has(password.toLowerCase())) problems.push({ field: 'password', code: 'common' });
  }

  if (confirmation === '') {
    if (password.trim() !== '') problems.push({ field: 'confirmation', code: 'required' });
  } else if (confirmation !== password) {
    problems.push({ field: 'confirmation', code: 'mismatch' });
  }
  return problems;
}
