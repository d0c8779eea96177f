import pino, { type Logger } from 'pino';
import { nextWord, PASSWORD_WORD, passwordValueStart } from './domain/passwordMention';

export type { Logger };

/** Field names whose values are never logged, wherever they appear. */
const SECRET_PATHS = [
  'password',
  'passwordConfirm',
  'token',
  'secret',
  'authorization',
  'text',
  'value',
  '*.password',
  '*.passwordConfirm',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.text',
  '*.value',
  'req.headers.authorization',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      base: { service: 'installer-onboarding-assistant' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** The most of a message a transcript line keeps (the rest is counted, not logged). */
export const MAX_TRANSCRIPT_CHARS = 500;

/** A link's secret query values: ?token=…, &code=…, secret=, key= (read inside one word). */
const QUERY_SECRET = /([?&](?:token|code|secret|key)=)[^&]+/gi;
/**
 * A word with an at sign (also the full-width ＠, the small ﹫ and URL-encoded %40) after a
 * character of a local part is taken for an address in any script (kåre@blåbær.no, 用户@例子.广告)
 * or a part of one: the whole word is masked. ("@keyv/sqlite" in a stack trace is not.)
 */
const AT_SIGN = /[\p{L}\p{N}\p{M}._+%!#$&'*=?^`{|}~-](?:[@\uFF20\uFE6B]|%40)/u;
/** Long runs of token characters (runs shorter than 24 fail within 24 steps); see randomLooking. */
const LONG_RUN = /[A-Za-z0-9_.-]{24,}/g;
/**
 * Longer words are masked whole: nobody reads them in a log, and the rules above then only ever
 * see short words (V8 runs a greedy pattern over megabytes of one word out of stack).
 */
const MAX_WORD = 200;

/** A token or key, not a long word ("ChargePoint-ladestasjoner"): it has a digit, or is longer than any word. */
const randomLooking = (run: string) => /\d/.test(run) || run.length >= 40;

const AT_SIGNS = ['@', '\uFF20', '\uFE6B', '%40'];

function redactWord(word: string): string {
  if (AT_SIGNS.some((at) => word.includes(at)) && AT_SIGN.test(word)) return '[email]';
  if (word.length > MAX_WORD) return '[redacted]';
  const value = word.includes('=') ? word.replace(QUERY_SECRET, '$1[redacted]') : word;
  return value.length < 24 ? value : value.replace(LONG_RUN, (run) => (randomLooking(run) ? '[redacted]' : run));
}

/** Each run of non-space characters through `redact`, the spaces kept; one pass, no pattern over the whole text. */
function mapWords(text: string, redact: (word: string) => string): string {
  const parts: string[] = [];
  let kept = 0;
  for (let span = nextWord(text, 0); span; span = nextWord(text, span[1])) {
    const word = text.slice(span[0], span[1]);
    const redacted = redact(word);
    if (redacted !== word) {
      parts.push(text.slice(kept, span[0]), redacted);
      kept = span[1];
    }
  }
  parts.push(text.slice(kept));
  return parts.join('');
}

/**
 * Text that may be logged when LOG_TRANSCRIPTS is on: link tokens, email addresses (any script),
 * long random-looking strings, and everything after a password word that gives a password ("my
 * password is X", "pw=abc"; not "the password link expired": see passwordValueStart) are masked.
 * Every rule reads the text in linear time (a 10 MB message is as safe as a short one).
 */
export function redactText(text: string): string {
  const secret = passwordValueStart(text);
  const value = secret === undefined ? text : `${text.slice(0, secret)} [redacted]`;
  return mapWords(value, redactWord);
}

/**
 * A message's text as a transcript line: at most MAX_TRANSCRIPT_CHARS (cut before a word, so no
 * half address slips past the email rule), redacted, with how much was left out.
 */
export function transcriptText(text: string): string {
  if (text.length <= MAX_TRANSCRIPT_CHARS) return redactMessage(text);
  const cut = text.slice(0, MAX_TRANSCRIPT_CHARS + 1);
  const lastSpace = cut.search(/\s\S*$/);
  const kept = lastSpace > 0 ? cut.slice(0, lastSpace) : '';
  return `${kept === '' ? '' : `${redactMessage(kept)} `}[+${text.length - kept.length} characters]`;
}

/**
 * Six digits or more, also in groups ("123 456", "123-456", "912 34 567"): in what a person
 * types, a one-time code or a phone number. Linear: a failed try backs off at most five digits.
 */
const DIGIT_RUN = /\d(?:[ -]?\d){5,}/g;

/** A MAC address (which mixes letters, digits and upper case like a password, and support needs to see). */
const MAC_LIKE = /^[0-9a-f]{2}(?:[:-]?[0-9a-f]{2}){5}[.,;!?]?$/i;

/**
 * A word that reads as a password someone typed: 8+ characters with letters and digits and either
 * both cases ("Sommer2024") or a symbol ("sommer2024!"). A MAC address, a date, coordinates, a
 * serial number in capitals ("2135WS1234") and a hyphenated word do not. In a message that speaks
 * of a password (`aboutPassword`: "Hunter2 er passordet mitt"), any word of 4+ characters with
 * letters and digits does.
 */
function looksLikePassword(word: string, aboutPassword: boolean): boolean {
  if (word.length < 4 || word.includes('[') || MAC_LIKE.test(word)) return false;
  const letters = /\p{L}/u.test(word);
  const digits = /\d/.test(word);
  if (aboutPassword) return letters && digits;
  if (word.length < 8) return false;
  const bothCases = /\p{Ll}/u.test(word) && /\p{Lu}/u.test(word);
  const symbol = /[!#$%&*+=?^_~|\\<>{}"§¤£€]/.test(word);
  return letters && digits && (bothCases || symbol);
}

/**
 * What a person typed, as it may be logged or kept in a support transcript: redacted, codes and
 * phone numbers masked, and a word that reads as a password masked too.
 */
function redactMessage(text: string): string {
  const aboutPassword = PASSWORD_WORD.test(text);
  return mapWords(redactText(text).replace(DIGIT_RUN, '[number]'), (word) => (looksLikePassword(word, aboutPassword) ? '[redacted]' : word));
}

/** The frames of a stack trace (its first line repeats the message), at most this many. */
const STACK_FRAMES = 12;

/**
 * An error as it may be logged (`logger.error({ err: errorSummary(error) }, …)`): its name, its
 * message redacted as a typed message is (an address in a store key, a password a user typed),
 * and the stack's frames (code locations, redacted too), never the error object itself.
 */
export function errorSummary(error: unknown): { name: string; message?: string; stack?: string } {
  if (!(error instanceof Error)) return { name: typeof error };
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, STACK_FRAMES)
    .map((line) => line.trim())
    .join('\n');
  return { name: redactText(error.name).slice(0, 80), message: redactMessage(error.message).slice(0, 2000), ...(frames ? { stack: redactText(frames) } : {}) };
}

/** A short identifying value from outside (an event name, a channel id) as it may be logged: bounded and redacted. */
export function loggableId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') return '[not a string]';
  // cut at a space well past what is kept, then redacted, then cut to size (a cut inside an
  // address could leave its start without its at sign)
  const space = value.length > 1000 ? value.lastIndexOf(' ', 1000) : -1;
  const redacted = redactText(value.length > 1000 ? (space > 80 ? value.slice(0, space) : '[redacted]') : value);
  return redacted.length > 80 ? `${redacted.slice(0, 80)}[+${redacted.length - 80}]` : redacted;
}

/** Scrubs a URL's query string for logging. */
export function redactUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const query = url.indexOf('?');
  return query === -1 || query === url.length - 1 ? url : `${url.slice(0, query)}?[redacted]`;
}
