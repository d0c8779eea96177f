import { run as spellCheckEmail, POPULAR_DOMAINS, POPULAR_TLDS } from '@zootools/email-spell-checker';
import { z } from 'zod';
import { MAIL_TOP_LEVEL_DOMAINS, NORWEGIAN_MAIL_PROVIDERS } from './data/emailProviders';

export type EmailProblem =
  | 'empty'
  | 'missing_at'
  | 'several_at'
  | 'spaces'
  | 'missing_local'
  | 'missing_domain'
  | 'missing_tld'
  | 'double_dot'
  | 'edge_dot'
  | 'invalid_characters'
  | 'too_long';

export type EmailParse = { ok: true; email: string; id: string } | { ok: false; problem: EmailProblem };

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const LABEL = /^[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F-]*[A-Za-z0-9\u00C0-\u024F])?$/;
const zodEmail = z.email();

/** What may wrap an address at its start and its end ("<ola@firma.no>", «…», a full stop after it). */
const OPENERS = new Set(['"', "'", '<', '«']);
const CLOSERS = new Set(['"', "'", '>', '»', '.', ',', ';', ':', '!', '?']);

/** Removes wrapping characters from both ends, by scanning (a trailing-run regex backtracks quadratically). */
function trimWrapping(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && OPENERS.has(value[start]!)) start++;
  while (end > start && CLOSERS.has(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/**
 * An HTML tag (<a href="…">, </a>, <br/>, <at>), not an address in angle brackets (<ola@firma.no>).
 * A tag never contains '<', so each '<' is read up to the next one only (with `<[^>]*>` every '<'
 * of "<<<<…" was read to the end of the text: 100,000 of them took 8 s).
 */
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?\/?>/g;

/** Strips what chat clients wrap around an address: Teams' <a href="mailto:…">, a mailto: prefix, <…>, quotes. */
function unwrap(text: string): string {
  let value = text.replace(HTML_TAG, ' ').replace(/&nbsp;/g, ' ').trim();
  value = trimWrapping(value.replace(/^mailto:/i, '')).trim();
  if (/\s/.test(value)) {
    // "my email is ola@firma.no" → the one word with an @ in it
    // ("ola @firma.no" is a typo with a space, not a sentence: leave it to be explained)
    const candidates = value.split(/\s+/).filter((w) => w.includes('@'));
    if (candidates.length === 1 && /[^@\s]@[^@\s]/.test(candidates[0]!)) value = unwrap(candidates[0]!);
  }
  return value;
}

/**
 * Parses and normalises an email address: trimmed, the domain lower-cased. `id` (the installer
 * key) is the whole address lower-cased. A bad address gets a problem code that the chat
 * explains in the user's language.
 */
export function parseEmail(input: string | undefined): EmailParse {
  const value = unwrap(input ?? '');
  if (value === '') return { ok: false, problem: 'empty' };
  if (/\s/.test(value)) return { ok: false, problem: 'spaces' };
  const at = value.split('@');
  if (at.length === 1) return { ok: false, problem: 'missing_at' };
  if (at.length > 2) return { ok: false, problem: 'several_at' };
  const [local, domainRaw] = at as [string, string];
  if (local === '') return { ok: false, problem: 'missing_local' };
  if (domainRaw === '') return { ok: false, problem: 'missing_domain' };
  if (value.length > 254 || local.length > 64) return { ok: false, problem: 'too_long' };
  if (local.includes('..') || domainRaw.includes('..')) return { ok: false, problem: 'double_dot' };
  if (local.startsWith('.') || local.endsWith('.') || domainRaw.startsWith('.') || domainRaw.endsWith('.')) {
    return { ok: false, problem: 'edge_dot' };
  }
  // a local part of punctuation only ("'; DROP TABLE users; --@firma.no" leaves "--") is no mailbox anyone has
  if (!LOCAL.test(local) || !/[A-Za-z0-9]/.test(local)) return { ok: false, problem: 'invalid_characters' };
  const domain = domainRaw.toLowerCase();
  const labels = domain.split('.');
  if (labels.length < 2) return { ok: false, problem: 'missing_tld' };
  if (!labels.every((l) => l.length <= 63 && LABEL.test(l))) return { ok: false, problem: 'invalid_characters' };
  if (!/^[a-z]{2,}$/.test(labels[labels.length - 1]!)) return { ok: false, problem: 'missing_tld' };
  const email = `${local}@${domain}`;
  // zod's check as the final word on syntax (it rejects a few rare forms the rules above let through)
  if (!/[^\x00-\x7F]/.test(domain) && !zodEmail.safeParse(email).success) return { ok: false, problem: 'invalid_characters' };
  return { ok: true, email, id: email.toLowerCase() };
}

/** Words that stand for the @ when an address is written the way it is said or dictated. */
const AT_WORDS = new Set(['(at)', '[at]', '(@)', 'krøllalfa', 'krollalfa', 'alfakrøll', 'alfakroll']);
/** Words that stand for a dot in a said address ("ola punktum nordmann", "sparks dot co dot uk"). */
const DOT_WORDS = new Set(['dot', '(dot)', '[dot]', 'punktum']);

/**
 * The text with an address's common slips undone, for reading the address out of it:
 * - a comma typed for a dot after the @ ("ola@gmail,com", a phone keyboard's slip);
 * - a space before a dot after the @ ("ola@firma .no");
 * - the address as it is said or dictated: "ola punktum nordmann krøllalfa firma punktum no",
 *   "sam(at)sparks.co.uk", and "sam at sparks dot co dot uk" (a bare "at" only with a "dot" word
 *   and no @ in the message).
 * Whitespace comes back as single spaces. Safe to read the address this way: the chat always shows
 * it back and asks before sending anything to it. Linear in the text's length.
 */
export function withAddressSlips(text: string): string {
  const words = text.replace(/\((?:at|@)\)|\[(?:at|@)\]/gi, ' (at) ').split(/\s+/).filter((word) => word !== '');
  const isAt = (word: string) => AT_WORDS.has(word.toLowerCase());
  const isDot = (word: string) => DOT_WORDS.has(word.toLowerCase());
  const inside = (i: number) => i > 0 && i < words.length - 1;
  let at = words.findIndex((word, i) => isAt(word) && inside(i));
  if (at < 0 && !words.some((word) => word.includes('@')) && words.some(isDot)) at = words.findIndex((word, i) => word.toLowerCase() === 'at' && inside(i));
  if (at >= 0) {
    let start = at - 1;
    while (start >= 2 && isDot(words[start - 1]!)) start -= 2;
    let end = at + 1;
    while (end + 2 < words.length && isDot(words[end + 1]!)) end += 2;
    const address = words.slice(start, end + 1).map((word, i) => (start + i === at ? '@' : (start + i - at) % 2 === 0 ? '.' : word));
    words.splice(start, end - start + 1, address.join(''));
  }
  const joined: string[] = [];
  for (const word of words) {
    const last = joined.length - 1;
    if (last >= 0 && joined[last]!.includes('@') && word.startsWith('.') && word.length > 1) joined[last] += word;
    else joined.push(word);
  }
  return joined.map(withDomainCommasAsDots).join(' ');
}

/** "ola@gmail,com" → "ola@gmail.com": commas after the @ that a letter or digit follows (a comma that ends the address stays punctuation). */
function withDomainCommasAsDots(word: string): string {
  const at = word.indexOf('@');
  return at < 0 ? word : word.slice(0, at + 1) + word.slice(at + 1).replace(/,(?=[A-Za-z0-9])/g, '.');
}

/** "ola.nordmann@firma.no" → "o***n@firma.no": enough for the owner to recognise, not enough to read it out. */
export function maskEmail(email: string): string {
  const [local = '', domain = ''] = email.split('@');
  const masked = local.length <= 2 ? `${local.slice(0, 1)}*` : `${local[0]}***${local[local.length - 1]}`;
  return `${masked}@${domain}`;
}

const KNOWN_DOMAINS = [...new Set([...POPULAR_DOMAINS, ...NORWEGIAN_MAIL_PROVIDERS])];
const KNOWN_TLDS = [...new Set([...POPULAR_TLDS, ...MAIL_TOP_LEVEL_DOMAINS])];

/**
 * A likely correction of a misspelt provider domain (kari@gmial.com → kari@gmail.com,
 * hotmial.no → hotmail.no), from @zootools/email-spell-checker with the Norwegian providers
 * added; undefined when the domain looks right or is nobody's typo (a company's own domain).
 */
export function suggestEmailFix(email: string): string | undefined {
  const suggestion = spellCheckEmail({ email, domains: KNOWN_DOMAINS, topLevelDomains: KNOWN_TLDS });
  if (!suggestion) return undefined;
  // the part before @ as it was typed (the checker lower-cases it)
  const fixed = parseEmail(`${email.slice(0, email.lastIndexOf('@'))}@${suggestion.domain}`);
  return fixed.ok && fixed.id !== email.toLowerCase() ? fixed.email : undefined;
}
