import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary } from '@zxcvbn-ts/language-en';
import { NORWEGIAN_PASSWORD_WORDS } from './data/norwegianPasswordWords';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwordLength';

/** Why a chosen password is refused. Codes, never sentences: the pages translate them. */
export type PasswordProblemCode = 'required' | 'too_short' | 'too_long' | 'is_email' | 'common' | 'in_chat' | 'mismatch' | 'portal_unavailable' | 'portal_refused';

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

/** The common-password list (zxcvbn-ts), lower-cased once. */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

/** How many distinct common passwords are refused. */
export const COMMON_PASSWORD_COUNT = COMMON_PASSWORDS.size;

/** The spellings of a Norwegian word without æ/ø/å, as people type them on an English keyboard. */
function withoutNorwegianLetters(word: string): string[] {
  const variants = [
    word.replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a'),
    word.replace(/æ/g, 'ae').replace(/ø/g, 'oe').replace(/å/g, 'aa'),
    word.replace(/æ/g, 'e').replace(/ø/g, 'o').replace(/å/g, 'a'),
  ];
  return [...new Set([word, ...variants])];
}

/** Characters zxcvbn looks at: a password longer than this that is not guessable in its first part is long enough anyway. */
const ESTIMATED_LENGTH = 24;
const L33T_MAX_SUBSTITUTIONS = 4;

/**
 * zxcvbn-ts with the common-password, English and Norwegian dictionaries: it sees through
 * `Sommer2024!`, `passord123` and `n0rge12345` (a word plus a year, digits, symbols, l33t).
 */
const estimator = new ZxcvbnFactory({
  dictionary: { ...dictionary, ...englishDictionary, norwegian: NORWEGIAN_PASSWORD_WORDS.flatMap(withoutNorwegianLetters) },
  graphs: adjacencyGraphs,
  // bounded work per check (the page is answered on the event loop): the l33t matcher is the costly part
  l33tMaxSubstitutions: L33T_MAX_SUBSTITUTIONS,
  maxLength: ESTIMATED_LENGTH,
});

/** zxcvbn's score (0–4) below which a password is refused as too easy to guess. */
export const PASSWORD_MIN_SCORE = 3;

/** Built from dictionary words, names, places and years (the exact common list is checked apart). */
function guessable(password: string, email: string): boolean {
  const userInputs = email.toLowerCase().split(/[@.+_-]/).filter((part) => part.length >= 3);
  return estimator.check(password.slice(0, ESTIMATED_LENGTH), userInputs).score < PASSWORD_MIN_SCORE;
}

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
    const isEmail = resemblesEmail(password, email);
    if (isEmail) problems.push({ field: 'password', code: 'is_email' });
    const lengthOk = length >= PASSWORD_MIN_LENGTH && length <= PASSWORD_MAX_LENGTH;
    if (COMMON_PASSWORDS.has(password.toLowerCase()) || (lengthOk && !isEmail && guessable(password, email))) {
      problems.push({ field: 'password', code: 'common' });
    }
  }

  if (confirmation === '') {
    if (password.trim() !== '') problems.push({ field: 'confirmation', code: 'required' });
  } else if (confirmation !== password) {
    problems.push({ field: 'confirmation', code: 'mismatch' });
  }
  return problems;
}
