import type { Region } from './journey';
import { FAQ_IDS, type FaqId } from './faq';
import type { Language } from './language';

/**
 * What the bot can understand from a message: the vocabulary of the understanding port.
 * The utterances that teach it live in locales/<language>/nlu/*.json; only names live here.
 */

/** Intents recognised at every prompt; they interrupt the prompt, which is asked again after. */
export const GLOBAL_INTENTS = [
  'help',
  'cancel',
  'restart',
  'status',
  'language.nb',
  'language.en',
  /** Change language without saying to which: the bot offers the choice. */
  'language',
  'human',
  'didntGetEmail',
  'resend',
  'changeEmail',
  'changeRegion',
  'deleteData',
  'exportData',
  'greeting',
  'thanks',
  /** "jeg har et spørsmål", "got a question": the question itself is still to come. */
  'askQuestion',
  'onSite',
  'newLink',
  'newCode',
  /** Change the saved profile, or one field of it ("endre telefon", "wrong postcode"). */
  'changeProfile',
  /** "jeg tar det senere", "no time right now", "at work now": leaving for now, to carry on later. */
  'later',
] as const;
export type GlobalIntent = (typeof GLOBAL_INTENTS)[number];


/** Answers the model itself knows; they count only at a prompt that expects them. */
export const ANSWER_INTENTS = ['yes', 'no'] as const;
export type AnswerIntent = (typeof ANSWER_INTENTS)[number];

/** The out-of-scope class: "what's the weather", "what does a charger cost". */
export const NONE_INTENT = 'None';

/** Every class of the trained model, by the name used as the key in the utterance files. */
export const MODEL_INTENTS: readonly string[] = [
  ...GLOBAL_INTENTS,
  ...ANSWER_INTENTS,
  ...FAQ_IDS.map((id) => `faq.${id}`),
  NONE_INTENT,
];

/** Answers a prompt can take that are read out of the text rather than chosen from a list. */
export type FreeKind = 'yesNo' | 'email' | 'code' | 'region' | 'station' | 'password' | 'text';

/** One option of a prompt: its value and what people type for it, per language (the label first). */
export interface Choice {
  value: string;
  utterances: Readonly<Record<Language, readonly string[]>>;
  /**
   * A phrase of several words is named surely also with one typo in a word of 4+ letters
   * ("same som forrige"), alone or within a message. For phrases no intent of the model knows
   * (the model would read the typo as something else with confidence).
   */
  wordTypos?: boolean;
  /**
   * Named only by the whole message (with a typo or two), never inside a longer one: a single
   * everyday word ("samme" for "same spot") that a sentence uses for something else ("is it the same").
   */
  wholeMessage?: boolean;
}

/**
 * What a prompt expects. Global intents and FAQ questions are always understood besides;
 * a prompt lists only the answers that fit it.
 */
export interface Expectation {
  choices?: readonly Choice[];
  kinds?: readonly FreeKind[];
  /**
   * At a prompt that takes any text: whether a message is clearly no answer to it by its shape (a
   * sentence about something else at the name question); such a message is read by the model.
   */
  notTextAnswer?: (text: string) => boolean;
}

export type AnswerValue =
  | { kind: 'choice'; value: string }
  | { kind: 'yesNo'; yes: boolean }
  | { kind: 'email'; email: string }
  | { kind: 'code'; code: string }
  | { kind: 'region'; region: Region }
  /** A station's MAC address, its QR text or a position, read by the station step itself. */
  | { kind: 'station' }
  /** A password typed into the chat ("my password is …"): read by the password step, never by the model. */
  | { kind: 'password' }
  /**
   * Any text, at a prompt that takes it (a name, a company, a phone number): the prompt reads it
   * itself. A message is this only when it is no known phrase of an intent and no question.
   */
  | { kind: 'text' };

/** A reading of the message, with how sure the recogniser is (0..1). */
export type Guess =
  | { kind: 'answer'; answer: AnswerValue; score: number }
  | { kind: 'intent'; intent: GlobalIntent; score: number }
  | { kind: 'faq'; question: FaqId; score: number };

/**
 * The result: the best fitting reading, or `none` with the two best guesses (possibly fewer),
 * best first, so the bot can ask "did you mean …?" or say honestly it does not know.
 */
export type Understanding = Guess | { kind: 'none'; guesses: Guess[] };

/** Reads free kinds the model does not know (an email in a sentence, a code, a place). */
export type Extractor = (text: string) => AnswerValue | undefined;
export type Extractors = Partial<Record<Exclude<FreeKind, 'yesNo'>, Extractor>>;

export function isGlobalIntent(name: string): name is GlobalIntent {
  return (GLOBAL_INTENTS as readonly string[]).includes(name);
}

export function faqIdOf(name: string): FaqId | undefined {
  const id = name.startsWith('faq.') ? name.slice(4) : '';
  return (FAQ_IDS as readonly string[]).includes(id) ? (id as FaqId) : undefined;
}

/** The model class a reading stands for (the held-out evaluation compares these). */
export function intentNameOf(understanding: Understanding): string {
  switch (understanding.kind) {
    case 'intent':
      return understanding.intent;
    case 'faq':
      return `faq.${understanding.question}`;
    case 'none':
      return NONE_INTENT;
    case 'answer':
      return understanding.answer.kind === 'yesNo' ? (understanding.answer.yes ? 'yes' : 'no') : `answer.${understanding.answer.kind}`;
  }
}
