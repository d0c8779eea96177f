import type { TurnContext } from 'botbuilder';
import type { FaqId } from '../domain/faq';
import type { Expectation, GlobalIntent, Guess, Understanding } from '../domain/understanding';

/**
 * What a prompt expects, as the understanding port reads it, and which global intents are answers
 * there ("send it again" is the resend button where one is shown; elsewhere it is a request).
 */
export interface PromptExpectation {
  expectation: Expectation;
  /** Intent → the choice value it picks at this prompt. */
  intents?: Partial<Record<GlobalIntent, string>>;
  /** Guide question → the choice value it picks at this prompt (at the course step a question about the courses is answered there, with the list). */
  questions?: Partial<Record<FaqId, string>>;
}

/** A dialog that says what its prompt expects; the base dialog understands the message once against it. */
export interface ExpectingDialog {
  expects(context: TurnContext, state: unknown): PromptExpectation;
}

export function isExpectingDialog(dialog: unknown): dialog is ExpectingDialog {
  return typeof (dialog as Partial<ExpectingDialog> | undefined)?.expects === 'function';
}

/** Buttons offered for a message that was not understood ("did you mean …?"): the label shown and what it stands for. */
export interface Offer {
  label: string;
  guess: Guess;
}

const UNDERSTANDING = Symbol('understanding');
const OFFERS = Symbol('offers');

/** The one reading of this turn's message (set by the base dialog before any prompt reads it). */
export function turnUnderstanding(context: TurnContext): Understanding | undefined {
  return context.turnState.get(UNDERSTANDING) as Understanding | undefined;
}

export function setTurnUnderstanding(context: TurnContext, understanding: Understanding | undefined): void {
  context.turnState.set(UNDERSTANDING, understanding);
}

/** The "did you mean" buttons this turn offered (kept until the next message, so a tap acts on its guess). */
export function turnOffers(context: TurnContext): Offer[] | undefined {
  return context.turnState.get(OFFERS) as Offer[] | undefined;
}

export function setTurnOffers(context: TurnContext, offers: Offer[]): void {
  context.turnState.set(OFFERS, offers);
}

/** The reading with an intent or a guide question the prompt takes as one of its choices turned into that answer (also among guesses). */
export function asPromptAnswer(understanding: Understanding, prompt: PromptExpectation | undefined): Understanding {
  const convert = (guess: Guess): Guess => {
    const value = guess.kind === 'intent' ? prompt?.intents?.[guess.intent] : guess.kind === 'faq' ? prompt?.questions?.[guess.question] : undefined;
    return value === undefined ? guess : { kind: 'answer', answer: { kind: 'choice', value }, score: guess.score };
  };
  if (understanding.kind === 'none') return { kind: 'none', guesses: understanding.guesses.map(convert) };
  return convert(understanding);
}
