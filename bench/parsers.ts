/**
 * Every parser of user input, and inputs built to make a backtracking regular expression take
 * super-linear time. `npm run bench` prints the slowest parser on them (slowestParser); the
 * adversarial-input test (test/unit/adversarialInput.test.ts) feeds the same inputs and checks
 * each answer.
 */
import { parseAccountSetup } from '../src/domain/accountSetup';
import { maskEmail, parseEmail, suggestEmailFix, withAddressSlips } from '../src/domain/email';
import { parseSupportHours } from '../src/domain/supportHours';
import { isTooLong } from '../src/domain/input';
import { suggestRegion } from '../src/domain/journey';
import { languageFromAcceptLanguage, languageFromLocale } from '../src/domain/language';
import { checkPassword } from '../src/domain/passwordPolicy';
import { macFromQrPayload, parseMacAddress, parsePosition } from '../src/domain/station';
import type { Choice as UnderstandingChoice } from '../src/domain/understanding';
import { foldText, isFreeTextAnswer, looksLikeQuestion, matchChoice } from '../src/domain/understandingDecision';
import { loggableId, redactText, transcriptText } from '../src/logger';
import { CONFIRM_OPTION_CHOICES } from '../src/bot/dialogs/awaitConfirmationDialog';
import { type Choice, YES_NO } from '../src/bot/dialogs/questionDialog';
import { REGION_CHOICES } from '../src/bot/dialogs/registrationDialog';
import { CODE_ACTIONS } from '../src/bot/dialogs/awaitCodeDialog';
import { parseLinkCode } from '../src/domain/oneTimeCode';
import { parseStatedPassword } from '../src/domain/statedPassword';
import { parsePlace } from '../src/domain/place';
import { parseField, parsePhone, parsePostalCode, parsePreferredLanguage, PROFILE_FIELD_IDS } from '../src/domain/profileFields';
import fs from 'node:fs';
import { LANGUAGES } from '../src/domain/language';
import { localesDir, readLocaleResources } from '../src/services/i18n/translator';
import { nluDir } from '../src/services/understanding/trainingData';
import { identifyTypedCode, readPosition } from '../src/web/station/identify';
import { escapeHtml } from '../src/web/pages/layout';
import { messageFromName } from '../src/web/pages/messagePage';
import { formField, languageField } from '../src/web/pages/pageRequest';

export interface AdversarialInput {
  name: string;
  text: string;
}

/** A small deterministic generator (mulberry32): the same seed gives the same inputs on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Runs that patterns like `\s*…\s*`, `[^>]*`, `[\w.]+@`, `\d+` or `(\.[\w-]+)+` read again and again when they backtrack. */
const UNITS = [
  ' ', '\t', '\n', '\u00a0', '\u200b', '1', '<', '>', '@', '.', ':', '-', ',', ';', '%', 'a', 'å', '😀',
  '1 ', '1.', '1,', '1, ', '1;', ' ,', 'a@', '@a', 'a.', '<a', 'a-', '1:', '11:', '0a-', '-1.1,', '@1.1',
  '?q=1.1', 'mac ', 'password ', 'passord ', 'token=', 'a%40', '<a href="mailto:', '{{',
];

/**
 * Adversarial inputs of `length` characters: the ones that were slow (station coordinates, the
 * email prompt, the log redaction), every unit of UNITS repeated (alone and between a starting
 * "1"/"a" and a character no pattern expects), and seeded random mixes of the characters that
 * matter to the patterns (spaces, digits, '<', '@', '.', ':', '-').
 */
export function adversarialInputs(length = 100_000, seed = 11): AdversarialInput[] {
  const run = (unit: string, reserved = 0) => fill(unit, length - reserved);
  const known: AdversarialInput[] = [
    { name: 'coordinates: "1" + spaces + "x"', text: '1' + run(' ', 2) + 'x' },
    { name: 'coordinates: "1," + spaces + "x"', text: '1,' + run(' ', 3) + 'x' },
    { name: 'email: "<" repeated', text: run('<') },
    { name: 'email: "a" + dots + "x"', text: 'a' + run('.', 2) + 'x' },
    { name: 'email: word + closing punctuation + "x"', text: 'ola@firma.no' + run('!', 13) + 'x' },
    { name: 'redaction: one long word', text: run('a') },
    { name: 'redaction: word characters + "@"', text: run('a.', 1) + '@' },
    { name: 'redaction: "password" + spaces', text: 'password' + run(' ', 8) },
    { name: 'map link: "@1." + digits + "x"', text: '@1.' + run('1', 4) + 'x' },
    { name: 'map link: "?q=1." + digits + "x"', text: '?q=1.' + run('1', 6) + 'x' },
    { name: 'mac: "mac" + spaces + "x"', text: 'mac' + run(' ', 4) + 'x' },
  ];
  const generated = UNITS.flatMap((unit) => [
    { name: `${JSON.stringify(unit)} repeated`, text: run(unit) },
    { name: `"1" + ${JSON.stringify(unit)} repeated + "x"`, text: '1' + run(unit, 2) + 'x' },
  ]);
  const random = seededRandom(seed);
  const mixes = [' 1<@.:-', ' 1.,;', 'a@.-', '<>@ a.:'].map((alphabet) => ({
    name: `random mix of ${JSON.stringify(alphabet)}`,
    text: Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
  }));
  return [...known, ...generated, ...mixes];
}

type LocaleTree = { [key: string]: string | LocaleTree };
const LOCALES = readLocaleResources() as unknown as Record<string, Record<string, LocaleTree>>;

/** Every language's text of a locale key ("registration:region.na"), read from the locale files. */
export function localeLabels(key: string): string[] {
  const [namespace = '', path = ''] = key.split(':');
  return Object.values(LOCALES).flatMap((language) => {
    let node: string | LocaleTree | undefined = language[namespace];
    for (const part of path.split('.')) node = typeof node === 'object' ? node[part] : undefined;
    return typeof node === 'string' ? [node] : [];
  });
}

/** Every answer the chat's choice questions recognise, as the understanding port is given them. */
const CHOICE_LISTS: ReadonlyArray<readonly UnderstandingChoice[]> = [YES_NO, REGION_CHOICES, CODE_ACTIONS, CONFIRM_OPTION_CHOICES].map(
  (choices: ReadonlyArray<Choice<string>>) =>
    choices.map((choice) => {
      const phrases = [...localeLabels(choice.label), ...(choice.synonyms ?? [])];
      return { value: choice.value, utterances: { nb: phrases, en: phrases } };
    }),
);

/** The training utterances, folded, as the understander gives them to isFreeTextAnswer (read synchronously here). */
const KNOWN_PHRASES: ReadonlySet<string> = new Set(
  LANGUAGES.flatMap((language) => {
    const dir = nluDir(localesDir(), language);
    return fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .flatMap((name) => Object.values(JSON.parse(fs.readFileSync(`${dir}/${name}`, 'utf8')) as Record<string, string[]>).flat().map(foldText));
  }),
);

export interface Parser {
  name: string;
  parse(text: string): unknown;
}

/** Every function that reads text from outside: chat messages, form fields, headers, log lines. */
export const PARSERS: readonly Parser[] = [
  { name: 'domain/understandingDecision foldText', parse: foldText },
  { name: 'domain/understandingDecision looksLikeQuestion', parse: looksLikeQuestion },
  { name: 'domain/email parseEmail', parse: parseEmail },
  { name: 'domain/oneTimeCode parseLinkCode', parse: parseLinkCode },
  { name: 'domain/statedPassword parseStatedPassword', parse: parseStatedPassword },
  { name: 'domain/email maskEmail', parse: maskEmail },
  { name: 'domain/email suggestEmailFix', parse: suggestEmailFix },
  { name: 'domain/email withAddressSlips', parse: withAddressSlips },
  { name: 'domain/understandingDecision isFreeTextAnswer', parse: (text) => isFreeTextAnswer(text, KNOWN_PHRASES) },
  { name: 'domain/input isTooLong', parse: isTooLong },
  { name: 'domain/journey suggestRegion', parse: suggestRegion },
  { name: 'domain/language languageFromLocale', parse: languageFromLocale },
  { name: 'domain/language languageFromAcceptLanguage', parse: languageFromAcceptLanguage },
  { name: 'domain/place parsePlace', parse: parsePlace },
  { name: 'domain/accountSetup parseAccountSetup', parse: (text) => parseAccountSetup({ firstName: text, lastName: text, company: text, termsAccepted: true }) },
  { name: 'domain/supportHours parseSupportHours', parse: parseSupportHours },
  { name: 'domain/profileFields parseField', parse: (text) => PROFILE_FIELD_IDS.map((id) => parseField(id, text, 'global', { country: 'NO' })) },
  { name: 'domain/profileFields parsePhone', parse: (text) => parsePhone(text, { region: 'na' }) },
  { name: 'domain/profileFields parsePostalCode', parse: (text) => parsePostalCode(text, { region: 'global', country: 'GB' }) },
  { name: 'domain/profileFields parsePreferredLanguage', parse: (text) => parsePreferredLanguage(text) },
  { name: 'domain/passwordPolicy checkPassword', parse: (text) => checkPassword({ password: text, confirmation: text, email: text }) },
  { name: 'domain/station parseMacAddress', parse: parseMacAddress },
  { name: 'domain/station macFromQrPayload', parse: macFromQrPayload },
  { name: 'domain/station parsePosition', parse: parsePosition },
  { name: 'logger redactText', parse: redactText },
  { name: 'logger transcriptText', parse: transcriptText },
  { name: 'logger loggableId', parse: loggableId },
  { name: 'domain/understandingDecision matchChoice (the questions\' choices)', parse: (text) => CHOICE_LISTS.map((choices) => matchChoice(text, choices, 'nb')?.value) },
  { name: 'web identifyTypedCode', parse: identifyTypedCode },
  { name: 'web readPosition', parse: (text) => readPosition(text, text, text) },
  { name: 'web formField / languageField', parse: (text) => [formField({ code: text }, 'code'), languageField({ lang: text })] },
  { name: 'web messageFromName (page path)', parse: messageFromName },
  { name: 'web escapeHtml (a field shown again)', parse: escapeHtml },
];

export interface ParserTime {
  name: string;
  /** The input it was slowest on. */
  input: string;
  ms: number;
}

/** Runs every parser on every adversarial input; the slowest single call. */
export function slowestParser(length = 100_000): ParserTime {
  let slowest: ParserTime = { name: '', input: '', ms: -1 };
  for (const input of adversarialInputs(length)) {
    for (const parser of PARSERS) {
      const started = process.hrtime.bigint();
      parser.parse(input.text);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (ms > slowest.ms) slowest = { name: parser.name, input: input.name, ms };
    }
  }
  return slowest;
}
