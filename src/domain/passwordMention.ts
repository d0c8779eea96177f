/**
 * Where a message gives a password after a password word ("my password is Hunter2", "pw=abc",
 * "passordet mitt er sommerfugl"), as against talking about the password ("the password link
 * expired", "passordet funker ikke på siden"). The transcript redaction masks what follows such a
 * word unless the words after it plainly talk about it.
 *
 * The rule reads the text once, word by word (runs of non-space characters), and after a
 * password word looks at most at WINDOW words more: linear in the length of the text, and no
 * pattern ever runs over more than one word of at most MAX_PASSWORD_WORD characters.
 */

/** A word that introduces a password or a code ("password", "passordet", "pwd", "pin", "engangskoden"). */
export const PASSWORD_WORD =
  /\b(?:passwords?|passord(?:et|ene|a)?|passwd|pwd|pw|pass|passphrase|passfrase|pin|pin-?kode(?:n)?|engangskode(?:n)?)\b/i;

/** Longer words are not read for a password word (the log masks them whole anyway). */
export const MAX_PASSWORD_WORD = 200;

/** How many words after a password word are read (to the end of its sentence). */
const WINDOW = 4;

/** The characters \s matches. */
export const SPACE = new Set([9, 10, 11, 12, 13, 32, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i)]);

/** The next run of non-space characters at or after `from` ([start, end)), or undefined. */
export function nextWord(text: string, from: number): [number, number] | undefined {
  let start = from;
  while (start < text.length && SPACE.has(text.charCodeAt(start))) start++;
  if (start >= text.length) return undefined;
  let end = start;
  while (end < text.length && !SPACE.has(text.charCodeAt(end))) end++;
  return [start, end];
}

/**
 * The first word after a password word that makes the rest talk about the password, not give
 * it: what the password does ("funker", "expired", "won't"), or the thing it belongs to ("link",
 * "siden", "reset"). A closed list: any other word there masks the rest.
 */
const TALK_WORDS = new Set([
  // English
  'link', 'links', 'page', 'pages', 'site', 'website', 'reset', 'field', 'box', 'form', 'screen', 'button', 'email', 'emails', 'mail',
  'rules', 'requirements', 'policy', 'message', 'error', 'problem', 'problems', 'issue', 'thing',
  'expired', 'expires', 'expiring', 'works', 'work', 'worked', 'working', 'fails', 'failed', 'failing', 'keeps', 'kept', 'stopped',
  'says', 'said', 'shows', 'has', "hasn't", 'got', 'gets', 'never', 'just', 'still', 'also', 'again', 'either', 'anymore', 'not',
  "doesn't", 'doesnt', "didn't", 'didnt', "don't", 'dont', "won't", 'wont', "can't", 'cant', 'does', 'did', 'wrong', 'incorrect', 'rejected', 'accepted',
  // Norwegian
  'lenke', 'lenken', 'lenka', 'lenker', 'linken', 'side', 'siden', 'sida', 'nettsiden', 'felt', 'feltet', 'skjema', 'skjemaet',
  'e-post', 'e-posten', 'epost', 'eposten', 'mailen', 'krav', 'kravene', 'regler', 'reglene', 'melding', 'meldingen', 'knapp', 'knappen', 'feilmelding',
  'funker', 'funket', 'fungerer', 'fungerte', 'virker', 'virket', 'har', 'hadde', 'gikk', 'går', 'godtas', 'godkjennes', 'stemmer', 'passer',
  'kommer', 'kom', 'mangler', 'forsvant', 'ikke', 'aldri', 'heller', 'igjen', 'også', 'fortsatt', 'lenger', 'feil',
]);

/** Words between the password word and what it says that say nothing themselves ("passordet mitt funker ikke"). */
const FILLERS = new Set(['mitt', 'min', 'mine', 'ditt', 'din', 'dine', 'sitt', 'sin', 'nye', 'gamle']);

/**
 * Words that introduce a value, wherever they stand in the window: "is", "er", "will (be)",
 * "blir", "to"/"til" ("reset to …"). Any ":" or "=" does too.
 */
const INTRODUCERS = new Set(['is', 'are', 'was', 'were', 'will', 'be', 'to', 'er', 'e', 'var', 'blir', 'ble', 'være', 'vere', 'skal', 'til']);

const isLetterOrDigit = (char: string) => /[\p{L}\p{N}]/u.test(char);

/** A word without the punctuation around it, in lower case ("«Siden»," → "siden"); straight apostrophes. */
function bare(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && !isLetterOrDigit(word[start]!)) start++;
  while (end > start && !isLetterOrDigit(word[end - 1]!)) end--;
  return word.slice(start, end).toLowerCase().replace(/\u2019/g, "'");
}

/** Whether a word ends its sentence ("expired.", "siden?!", "ut.»"). */
function endsSentence(word: string): boolean {
  let end = word.length;
  while (end > 0 && /[)\]»"'\u201d\u2019]/.test(word[end - 1]!)) end--;
  return end > 0 && /[.!?]/.test(word[end - 1]!);
}

type Reading = 'talk' | 'value';

/** What the words after a password word do: talk about it, or (anything else) give it. */
function readAfter(text: string, from: number): Reading {
  let first: string | undefined;
  let at = from;
  let read = 0;
  let fillers = 0;
  let ended = false;
  // at most WINDOW words, past at most two fillers and two lone commas
  for (let seen = 0; !ended && read < WINDOW && seen < WINDOW + 4; seen++) {
    const span = nextWord(text, at);
    if (!span) {
      ended = true;
      break;
    }
    at = span[1];
    if (span[1] - span[0] > MAX_PASSWORD_WORD) return 'value';
    const word = text.slice(span[0], span[1]);
    if (/[:=]/.test(word)) return 'value';
    const plain = bare(word);
    if (plain === '') {
      if (/^[.!?]+$/.test(word)) ended = true;
      else if (word !== ',') return 'value'; // "password - X", "passord -> X", a lone quote
      continue;
    }
    if (INTRODUCERS.has(plain)) return 'value';
    if (first === undefined && FILLERS.has(plain) && fillers < 2) fillers++;
    else first ??= plain;
    read++;
    ended = endsSentence(word);
  }
  // nothing after it ("jeg har glemt passordet"); only fillers ("Hunter2 er passordet mitt") give it
  if (first === undefined) return read === 0 && ended ? 'talk' : 'value';
  return TALK_WORDS.has(first) ? 'talk' : 'value';
}

/**
 * Where the masking starts: just after the first password word whose next words give a value
 * (the password someone typed), or undefined when every password word is talked about (or there
 * is none). A password word glued to more than closing punctuation ("pw=abc", "password:",
 * ".../password?token=…") gives a value.
 */
export function passwordValueStart(text: string): number | undefined {
  let at = 0;
  for (let span = nextWord(text, at); span; span = nextWord(text, at)) {
    at = span[1];
    if (span[1] - span[0] > MAX_PASSWORD_WORD) continue;
    const word = text.slice(span[0], span[1]);
    const found = PASSWORD_WORD.exec(word);
    if (!found) continue;
    const end = span[0] + found.index + found[0].length;
    const glued = word.slice(found.index + found[0].length);
    if (/[\p{L}\p{N}:=]/u.test(glued) || (glued !== '' && /[^.,!?)\]»"'\u201d\u2019]/.test(glued))) return end;
    if (/[.!?]/.test(glued)) continue; // "…glemt passordet. Kan du hjelpe?": its sentence ended there
    if (readAfter(text, span[1]) === 'value') return end;
  }
  return undefined;
}
