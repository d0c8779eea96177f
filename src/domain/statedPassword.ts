import { PASSWORD_MAX_LENGTH } from './passwordLength';

/** Longer messages are not someone telling their password; they are not scanned. */
const MAX_MESSAGE = 400;

/**
 * "my password is X", "password: X", "passordet mitt er X", "passord = X", "passordet blir X":
 * the X someone typed into the chat as their password. Only a password word followed by "is"/"er"/
 * "blir"/":"/"=" counts, so a question ("what password should I choose?") is not taken for one.
 */
const STATEMENT =
  /\b(?:my\s+(?:new\s+)?password|the\s+password|password|passordet(?:\s+mitt)?|mitt\s+passord|passord)\s*(?:(?:is|will\s+be|er|blir|skal\s+være)\b\s*:?|[:=])\s*/i;

/**
 * Words that say how the password stands rather than what it is: "passordet er satt (nå)",
 * "my password is saved", "password: done". A message that states one of these (with at most
 * two words after it) tells that the password is set; it is not the password.
 */
const STATE_WORDS = new Set([
  'satt', 'lagret', 'valgt', 'laget', 'ferdig', 'klart', 'klar', 'ok', 'okei', 'endret', 'fikset', 'opprettet', 'oppdatert', 'registrert', 'greit', 'gjort',
  'set', 'saved', 'chosen', 'done', 'ready', 'changed', 'fixed', 'created', 'updated', 'sorted', 'registered', 'finished', 'good', 'fine',
]);

/** Whether the stated text is a state ("satt nå", "saved now!"), not a password. */
function isStateOfPassword(stated: string): boolean {
  const words = stated.split(/\s+/).map((word) => word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ''));
  return words.length <= 3 && STATE_WORDS.has(words[0] ?? '');
}

/** The password stated in a chat message, or undefined. */
export function parseStatedPassword(text: string | undefined): string | undefined {
  if (!text || text.length > MAX_MESSAGE) return undefined;
  const match = STATEMENT.exec(text);
  if (!match) return undefined;
  const stated = text
    .slice(match.index + match[0].length)
    .trim()
    .replace(/^["'«“‘]+|["'»”’]+$/g, '');
  if (isStateOfPassword(stated)) return undefined;
  return stated.length >= 4 && [...stated].length <= PASSWORD_MAX_LENGTH ? stated : undefined;
}
