import type { Activity } from 'botbuilder';
import type { Language } from '../../src/domain/language';
import { readLocaleResources } from '../../src/services/i18n/translator';

/**
 * Whether a reply is made of the locale files' texts, line by line: every non-empty line of its
 * text, and every button title and card text, must be a line of a locale value of an expected
 * language, with each `{{variable}}` read as a wildcard (plural forms are values of their own), or
 * part of what the user typed (the bot may quote it), or put together in code from such texts and
 * a piece of data ("Mobile number: +47 …"). What a wildcard with little fixed text around it takes
 * is checked the same way. The locale files are read as data, never through the bot's translator:
 * a hard-coded or library sentence added to a localized text fails.
 */

interface LinePattern {
  regex: RegExp;
  /** The longest fixed piece: a line without it cannot match (a cheap filter). */
  longest: string;
  /** Fewer than four letters of fixed text ("{{label}}: {{value}}"): what the wildcards take is checked too. */
  weak: boolean;
}

interface LanguageTexts {
  /** Every line of every value without variables, trimmed. */
  exact: Set<string>;
  patterns: LinePattern[];
}

/** A piece of data with letters (a name, a country) has at most this many words; a sentence has more. */
const MAX_DATA_WORDS = 2;
/** Data: number-like (a phone number, a time, a MAC address), or a name of at most MAX_DATA_WORDS words. */
const isData = (text: string) => !/\p{L}{2}/u.test(text) || text.trim().split(/\s+/).length <= MAX_DATA_WORDS;
/** Stands for the user's input where the reply quotes it (it may span lines). */
const ECHO = '\u{E000}';
/** Markup and marks that are no words: bold, code, the status list's ⬜ ➡️ ✅. */
const plain = (text: string) =>
  text
    .replace(/\*\*|__|`/g, '')
    .replace(/[\p{So}\p{Sk}\u{FE0F}\u{200D}]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/:$/, '');
/** "1. Ja" (a numbered choice in a text-only channel), "- item", "• item": the marker is not text. */
const LIST_MARKER = /^(?:\d+\.|[-•*])\s+/;
const VARIABLE = /\{\{[^}]*\}\}/g;

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function leaves(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (node && typeof node === 'object') return Object.values(node).flatMap(leaves);
  return [];
}

function textsOf(values: string[]): LanguageTexts {
  const exact = new Set<string>();
  const patterns = new Map<string, LinePattern>();
  for (const value of values) {
    for (const raw of value.split('\n')) {
      const line = raw.trim().replace(LIST_MARKER, '');
      if (!line) continue;
      if (!line.includes('{{')) {
        exact.add(line);
        exact.add(plain(line));
        continue;
      }
      const fixed = line.split(VARIABLE);
      // a value that is only a variable says nothing of its own: what fills it is checked as a line itself
      if (fixed.every((piece) => piece.trim() === '')) continue;
      // a variable may be empty, and the line is read trimmed: the blanks around a variable are optional
      const source = fixed.map((piece) => escapeRegex(piece.trim())).join('\\s*(.*?)\\s*');
      if (patterns.has(source)) continue;
      const letters = fixed.join('').replace(/[^\p{L}]/gu, '').length;
      const longest = fixed.map((piece) => piece.trim()).reduce((a, b) => (b.length > a.length ? b : a), '');
      patterns.set(source, { regex: new RegExp(`^${source}$`, 's'), longest, weak: letters < 4 });
    }
  }
  return { exact, patterns: [...patterns.values()] };
}

export class LocalizedReplies {
  private readonly texts: Record<Language, LanguageTexts>;
  private readonly known = new Map<string, boolean>();
  /** "registration:email.question": a locale key shown instead of its text. */
  private readonly rawKey: RegExp;

  /** `data`: names the bot may show besides its texts, by language (countries, what the user typed earlier). */
  constructor(data: Record<Language, readonly string[]> = { nb: [], en: [] }) {
    const resources = readLocaleResources() as unknown as Record<Language, Record<string, unknown>>;
    // the utterance files (what people say) are no texts of the bot
    const values = (language: Language) => Object.entries(resources[language]).flatMap(([namespace, tree]) => (namespace === 'nlu' ? [] : leaves(tree)));
    // the language question is asked in both languages at once, by design
    const bilingual = [...leaves(Reflect.get(Reflect.get(resources.nb.chat ?? {}, 'language') ?? {}, 'question')), ...leaves(Reflect.get(Reflect.get(resources.en.chat ?? {}, 'language') ?? {}, 'question'))];
    if (bilingual.length !== 2) throw new Error('chat:language.question is missing from the locale files');
    this.rawKey = new RegExp(String.raw`\b(?:${Object.keys(resources.nb).join('|')}):[A-Za-z_]+(?:\.[A-Za-z_]+)*`);
    this.texts = { nb: textsOf([...values('nb'), ...bilingual, ...data.nb]), en: textsOf([...values('en'), ...bilingual, ...data.en]) };
  }

  /** Why a reply is not made of locale texts of `languages` (or the user's input); none when it is. */
  problems(reply: Partial<Activity>, input: string, languages: readonly Language[]): string[] {
    const pieces = [...(reply.text ? [reply.text] : []), ...visibleTextsOf(reply)];
    if (pieces.length === 0) return ['a message with no text, no button and no card'];
    const marked = pieces.map((piece) => withEchoMarked(piece, input));
    // braces the user did not type are a variable left unfilled; a key is a text missing from the files
    if (marked.some((piece) => /\{\{|\}\}/.test(piece))) return ['an unrendered {{placeholder}}'];
    const key = marked.map((piece) => this.rawKey.exec(piece)?.[0]).find(Boolean);
    if (key) return [`a raw locale key ${key}`];
    // the input may be quoted (marked, so a wildcard takes it even across lines), or be words of a text itself ("start over")
    const asTyped = this.unlocalizedLines(pieces, input, languages);
    return asTyped.length === 0 ? [] : this.unlocalizedLines(marked, input, languages);
  }

  private unlocalizedLines(pieces: string[], input: string, languages: readonly Language[]): string[] {
    const lines = pieces
      .flatMap((piece) => piece.split('\n'))
      .map((line) => line.trim())
      .filter((line) => line && line !== ECHO);
    return lines.filter((line) => !this.isLocalized(line, input, languages)).map((line) => `not a locale text of ${languages.join('/')}: ${JSON.stringify(line.slice(0, 160))}`);
  }

  isLocalized(rawLine: string, input: string, languages: readonly Language[]): boolean {
    const line = rawLine.replace(LIST_MARKER, '');
    if (isEcho(line, input)) return true;
    return languages.some((language) => this.inLanguage(line, language, input));
  }

  private inLanguage(line: string, language: Language, input: string): boolean {
    const cacheKey = `${language}\u0000${line}`;
    const known = this.known.get(cacheKey);
    if (known !== undefined) return known;
    const texts = this.texts[language];
    let ok = texts.exact.has(line) || joinedLine(line, texts);
    let needsInput = false;
    for (const pattern of ok ? [] : texts.patterns) {
      if (!line.includes(pattern.longest)) continue;
      const match = pattern.regex.exec(line);
      if (!match) continue;
      if (!pattern.weak) {
        ok = true;
        break;
      }
      const captured = match.slice(1).map((c) => c.trim()).filter(Boolean);
      // what a wildcard of a weak pattern took: a locale text itself, the user's words, or a piece of data
      const data = (c: string) => c.includes(ECHO) || texts.exact.has(plain(c)) || joinedLine(c, texts) || isData(c);
      if (captured.every(data)) {
        ok = true;
        break;
      }
      if (captured.every((c) => data(c) || isEcho(c, input))) {
        ok = true;
        needsInput = true;
        break;
      }
    }
    // a line read with the user's input in it is not remembered (the next input differs)
    if (!needsInput) this.known.set(cacheKey, ok);
    return ok;
  }
}

/**
 * Whether a line is put together in code from locale texts and data ("➡️ **Complete your
 * profile** (you are here)", "Mobile number: +47 91 23 45 67"): split at blanks into pieces that
 * are each a locale text (markup and marks aside), a number-like token, or one piece of at most two
 * words (a name, a country); at least one piece is a locale text.
 */
function joinedLine(line: string, texts: LanguageTexts): boolean {
  const tokens = plain(line).split(' ');
  if (tokens.length > 40) return false;
  const isText = (from: number, to: number) => texts.exact.has(plain(tokens.slice(from, to).join(' ')));
  const isNumberLike = (token: string) => !/\p{L}{2}/u.test(token) || token.includes(ECHO);
  // reach[i]: the tokens before i are read, with [a locale text seen, letter data used]
  const reach: Array<Set<string>> = Array.from({ length: tokens.length + 1 }, () => new Set());
  reach[0]!.add('00');
  for (let i = 0; i < tokens.length; i++) {
    for (const state of reach[i]!) {
      const [text, data] = state;
      if (isNumberLike(tokens[i]!)) reach[i + 1]!.add(state);
      for (let j = i + 1; j <= tokens.length; j++) if (isText(i, j)) reach[j]!.add(`1${data}`);
      if (data === '0') for (let j = i + 1; j <= Math.min(tokens.length, i + MAX_DATA_WORDS); j++) reach[j]!.add(`${text}1`);
    }
  }
  return [...reach[tokens.length]!].some((state) => state.startsWith('1'));
}

/** The reply's text with the user's input (as typed, trimmed, or cut at 60 characters as the profile step quotes it) marked. */
function withEchoMarked(text: string, input: string): string {
  const quoted = [input, input.trim(), input.slice(0, 60), input.trim().slice(0, 60)].filter((q) => q.trim().length >= 2).sort((a, b) => b.length - a.length);
  let marked = text;
  for (const q of quoted) marked = marked.split(q).join(ECHO);
  return marked;
}

/** Part of what the user typed, shown back (trimmed; at least one character). */
function isEcho(text: string, input: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 0 && input.includes(trimmed);
}

/** The texts a user sees besides the message text: suggested actions, card titles, texts, buttons, inputs. */
export function visibleTextsOf(reply: Partial<Activity>): string[] {
  const out: string[] = [];
  for (const action of reply.suggestedActions?.actions ?? []) if (action.title) out.push(action.title);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' && VISIBLE_KEYS.has(key) && value.trim()) out.push(value);
        else walk(value);
      }
    }
  };
  for (const attachment of reply.attachments ?? []) walk(attachment.content);
  return out;
}

/** The card properties a user reads (Adaptive Card, hero card, task module): not ids, urls or values. */
const VISIBLE_KEYS = new Set(['text', 'title', 'subtitle', 'label', 'placeholder', 'altText', 'errorMessage', 'fallbackText']);
