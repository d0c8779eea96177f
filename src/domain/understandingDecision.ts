import type { Language } from './language';
import {
  type AnswerValue,
  type Choice,
  type Expectation,
  type Extractors,
  type Guess,
  type Understanding,
  NONE_INTENT,
  faqIdOf,
  isGlobalIntent,
} from './understanding';

/** A class the model scored, 0..1. */
export interface Classification {
  intent: string;
  score: number;
}

/** Below this the best reading is only a guess ("did you mean …?"). Tuned on the held-out set. */
export const UNDERSTANDING_THRESHOLD = 0.5;

/**
 * The one text normalisation of understanding, used on training utterances and on input alike:
 * lower case, æ/ø/å folded (æ→ae, ø→o, å→a, and the "aa" spelling of å), punctuation out,
 * drawn-out letters shortened ("hellooo" → "helloo", close enough for the spell check).
 */
export function foldText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/[øö]/g, 'o')
    .replace(/[åä]/g, 'a')
    .replace(/aa/g, 'a')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}@]+/gu, ' ')
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .trim();
}

/** Edit distance, giving up (returning max + 1) once it exceeds max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowBest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowBest = Math.min(rowBest, current[j]);
    }
    if (rowBest > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Typos allowed in a phrase of this length: none below 4 letters, then one per 5 letters, at most 3. */
function allowedTypos(length: number): number {
  return length < 4 ? 0 : Math.min(3, Math.ceil(length / 5));
}

/** Longer messages are not an answer to a choice. */
const MAX_CHOICE_TEXT = 200;

/**
 * Whether the message's words hold the phrase's words in a row, each as written or, if of 4+
 * letters, with one typo ("same sted" for "samme sted"); for phrases of two or more words.
 */
function holdsWithWordTypos(words: readonly string[], phraseWords: readonly string[]): boolean {
  if (phraseWords.length < 2) return false;
  const fits = (typed: string, word: string) => typed === word || (word.length >= 4 && editDistance(word, typed, 1) <= 1);
  for (let start = 0; start + phraseWords.length <= words.length; start++) {
    if (phraseWords.every((word, i) => fits(words[start + i]!, word))) return true;
  }
  return false;
}

/** How well a message names one of the prompt's choices (matchChoice). */
export interface ChoiceMatch {
  value: string;
  score: number;
}

/**
 * Choice phrases, folded once: they come from the locale files (a bounded set) and every message
 * at a prompt is matched against all of them. The bound only guards against a caller that builds
 * phrases from something unbounded.
 */
const foldedPhrases = new Map<string, string>();
const MAX_FOLDED_PHRASES = 5000;

function foldPhrase(phrase: string): string {
  let folded = foldedPhrases.get(phrase);
  if (folded === undefined) {
    if (foldedPhrases.size >= MAX_FOLDED_PHRASES) foldedPhrases.clear();
    folded = foldText(phrase);
    foldedPhrases.set(phrase, folded);
  }
  return folded;
}

/** Words that open a question about something ("hvor mange …", "how many …", "what's …"). */
const WH_WORDS = new Set(['hva', 'hvordan', 'hvor', 'hvem', 'hvorfor', 'hvilken', 'hvilke', 'hvilket', 'nar', 'what', 'whats', 'how', 'hows', 'where', 'wheres', 'who', 'why', 'which', 'when']);

/** A choice's words inside a question: only a guess, below UNDERSTANDING_THRESHOLD, so the model's reading decides. */
const ASKED_ABOUT = 0.45;

/**
 * How well a message names a choice: its number (1-based), a phrase of it exactly (1), the phrase
 * inside a longer message (0.9; inside a question that opens with a question word, ASKED_ABOUT),
 * or the phrase with a few typos (0.8 falling with each typo; for a choice that takes `wordTypos`,
 * as inside the message with at most one typo per word, also within a longer message). A
 * `wholeMessage` choice is named by the whole message only.
 * The chat's language is tried first; the other language is understood too.
 */
export function matchChoice(text: string, choices: readonly Choice[], language: Language): ChoiceMatch | undefined {
  // a choice is named in a few words; a long message is about something else (and is not read through)
  if (text.length > MAX_CHOICE_TEXT) return undefined;
  // an address names no choice: "ola@firma.no" is not "no" (the words of one are left out)
  const folded = foldText(text.replace(/\S*@\S*/g, ' '));
  if (!folded) return undefined;
  const number = /^(?:nr |no |number |nummer )?(\d{1,2})$/.exec(folded);
  if (number) {
    const choice = choices[Number(number[1]) - 1];
    return choice ? { value: choice.value, score: 1 } : undefined;
  }
  const other: Language = language === 'nb' ? 'en' : 'nb';
  const words = folded.split(' ');
  // a question about something names its words without choosing them: "how many have i done" is not "done"
  const inside = WH_WORDS.has(words[0]!) ? ASKED_ABOUT : 0.9;
  let best: ChoiceMatch | undefined;
  for (const choice of choices) {
    for (const phrase of [...choice.utterances[language], ...choice.utterances[other]].map(foldPhrase)) {
      if (!phrase) continue;
      let score = 0;
      if (phrase === folded) score = 1;
      else if (!choice.wholeMessage && ` ${folded} `.includes(` ${phrase} `)) score = inside;
      else if (!choice.wholeMessage && choice.wordTypos && holdsWithWordTypos(words, phrase.split(' '))) score = inside;
      else {
        const typos = editDistance(phrase, folded, allowedTypos(phrase.length));
        if (typos <= allowedTypos(phrase.length)) score = 0.8 - 0.05 * typos;
      }
      if (score > (best?.score ?? 0)) best = { value: choice.value, score };
    }
  }
  return best;
}

/** The reading a model class stands for at this prompt, or undefined when it does not fit. */
function readingOf(classification: Classification, expectation: Expectation): Guess | undefined {
  const { intent, score } = classification;
  if (isGlobalIntent(intent)) return { kind: 'intent', intent, score };
  const question = faqIdOf(intent);
  if (question) return { kind: 'faq', question, score };
  if ((intent === 'yes' || intent === 'no') && expectation.kinds?.includes('yesNo')) {
    return { kind: 'answer', answer: { kind: 'yesNo', yes: intent === 'yes' }, score };
  }
  return undefined;
}

/** Below this a command is not taken when a second command comes within SPLIT_MARGIN of it: both are offered. */
const SURE_ALONE = 0.6;
const SPLIT_MARGIN = 0.15;

/** A guess below this is no guess worth offering ("did you mean …?"). */
export const GUESS_FLOOR = 0.2;

/**
 * Nor is a guess the out-of-scope class beats this many times over: "kan jeg ta det på mobilen"
 * (out of scope 0.78, "restart" 0.21) is a question the guide does not answer, not a restart to offer.
 */
const OUT_OF_SCOPE_MARGIN = 2;

/** Question words, and the verbs a question can open with ("kan jeg …", "do i …"). */
const QUESTION_WORDS = new Set([...WH_WORDS, 'kan', 'er', 'finnes', 'trenger', 'ma', 'skal', 'can', 'could', 'do', 'does', 'is', 'are', 'should', 'will', 'would']);

/**
 * Norwegian verbs that start a question only with their subject after them ("er det gratis",
 * "kan jeg", "må kurset tas", "koster det noe", "funker det på mobil"): without one the subject is left out of a statement, as people on a
 * site write ("er selvstendig", "kan ikke nå", "må gå", "skal på jobb").
 */
const VERBS_BEFORE_SUBJECT = new Set(['er', 'kan', 'ma', 'skal', 'trenger', 'koster', 'funker', 'virker', 'gar', 'blir']);
const SUBJECTS = new Set(['det', 'du', 'dere', 'dette', 'den', 'denne', 'disse', 'de', 'jeg', 'vi', 'man', 'noen', 'noe', 'han', 'hun', 'der', 'eg', 'me']);

/** Whether the word after such a verb is its subject: a pronoun, or a noun in its definite form ("kurset", "laderen", "kursene"). */
function isSubject(word: string | undefined): boolean {
  return word !== undefined && (SUBJECTS.has(word) || /\p{L}{2,}(?:et|en|ene)$/u.test(word));
}

/**
 * Whether a message reads as a question ("hva koster en lader?", "what's the weather"): it ends
 * with a question mark or starts with a question word, and has at least two words.
 */
export function looksLikeQuestion(text: string): boolean {
  const words = foldText(text).split(' ').filter(Boolean);
  if (words.length < 2) return false;
  if (/\?\s*$/.test(text)) return true;
  const first = words[0]!;
  if (VERBS_BEFORE_SUBJECT.has(first)) return isSubject(words[1]);
  return QUESTION_WORDS.has(first) || QUESTION_WORDS.has(first.replace(/s$/, ''));
}

/** Phrases this long or longer are still known with one typo ("endre telfon"). */
const MIN_TYPO_PHRASE = 6;

/**
 * Whether a message is the answer at a prompt that takes any text (a name, a company, a phone
 * number): a model reads "Kari" or "Elektro AS" as anything with confidence, so there only a
 * known phrase of an intent (as trained, or with one typo), a question, or what the prompt says is
 * clearly no answer to it (`notTextAnswer`: a sentence at the name question) is something else.
 * `knownPhrases` holds the folded training utterances.
 */
export function isFreeTextAnswer(text: string, knownPhrases: ReadonlySet<string>, notTextAnswer?: (text: string) => boolean): boolean {
  if (/^\s*\?+\s*$/.test(text) || looksLikeQuestion(text) || notTextAnswer?.(text)) return false;
  const folded = foldText(text);
  if (!folded) return false;
  if (knownPhrases.has(folded)) return false;
  if (folded.length < MIN_TYPO_PHRASE) return true;
  for (const phrase of knownPhrases) if (phrase.length >= MIN_TYPO_PHRASE && editDistance(phrase, folded, 1) <= 1) return false;
  return true;
}

/** A choice named this surely (exactly, or word for word inside the message) is the answer. */
const SURE_CHOICE = 0.9;

/** The prompt's choice a message names, if the prompt has choices. */
export function matchExpectedChoice(text: string, expectation: Expectation, language: Language): ChoiceMatch | undefined {
  return expectation.choices ? matchChoice(text, expectation.choices, language) : undefined;
}

/**
 * What a message means without the model, when that is certain: a lone "?" asks for help; a
 * choice named exactly ("Europa og Storbritannia", "2") is that choice; a value of a kind the
 * prompt expects read out of the text (an email, a code, a place, a station, a password) is the
 * answer. A password so never reaches the model (nor its caches).
 */
export function readWithoutModel(
  text: string,
  expectation: Expectation,
  language: Language,
  extractors: Extractors,
  choice: ChoiceMatch | undefined = matchExpectedChoice(text, expectation, language),
): Understanding | undefined {
  if (/^\s*\?+\s*$/.test(text)) return { kind: 'intent', intent: 'help', score: 1 };
  if (choice?.score === 1) return { kind: 'answer', answer: { kind: 'choice', value: choice.value }, score: 1 };
  for (const kind of expectation.kinds ?? []) {
    if (kind === 'yesNo') continue;
    const value: AnswerValue | undefined = extractors[kind]?.(text);
    if (value) return { kind: 'answer', answer: value, score: 1 };
  }
  return undefined;
}

/**
 * Decides what a message means at a prompt, from the model's classes and the prompt's expectation,
 * once `readWithoutModel` found nothing certain. `choice` is the prompt's choice the message names
 * (matchExpectedChoice, matched once per message). A choice named in the text comes first ("jeg er
 * i USA" at the region prompt is the answer, not "change region"). Otherwise the best scoring
 * reading, if it clears the threshold and beats out-of-scope; else `none` with the two best guesses.
 */
export function decideUnderstanding(
  text: string,
  expectation: Expectation,
  classifications: readonly Classification[],
  choice: ChoiceMatch | undefined,
): Understanding {
  const readings: Guess[] = [];
  if (choice) {
    const answer: Guess = { kind: 'answer', answer: { kind: 'choice', value: choice.value }, score: choice.score };
    if (choice.score >= SURE_CHOICE) return answer;
    readings.push(answer);
  }
  let noneScore = 0;
  // an address is not a yes or a no, whatever its words ("ola@firma.no")
  const mentionsAddress = text.length <= MAX_CHOICE_TEXT && /\S@\S/.test(text);
  // an address typed where one is asked for is an attempt at the answer (its problem is explained), never a command
  if (mentionsAddress && expectation.kinds?.includes('email') && readings.length === 0) return { kind: 'none', guesses: [] };
  for (const classification of classifications) {
    if (classification.intent === NONE_INTENT) noneScore = Math.max(noneScore, classification.score);
    const reading = readingOf(classification, expectation);
    if (reading && !(mentionsAddress && reading.kind === 'answer' && reading.answer.kind === 'yesNo')) readings.push(reading);
  }
  readings.sort((a, b) => b.score - a.score);
  const [best, runnerUp] = readings;
  // two commands about as likely, neither sure ("status eller hjelp"): ask which, rather than pick one
  // (a question's answer is read either way, so a guide question is still answered: "lenke til kurset")
  const split =
    best?.kind === 'intent' && runnerUp?.kind === 'intent' && best.score < SURE_ALONE && best.score - runnerUp.score < SPLIT_MARGIN;
  if (best && best.score >= UNDERSTANDING_THRESHOLD && best.score > noneScore && !split) return best;
  return { kind: 'none', guesses: readings.filter((r) => r.score >= GUESS_FLOOR && r.score * OUT_OF_SCOPE_MARGIN >= noneScore).slice(0, 2) };
}
