import type { TurnContext } from 'botbuilder';
import type { Guess } from '../../domain/understanding';
import { choiceMessage } from '../cards';
import { sendWithLead } from '../leadText';
import type { Language } from '../../domain/language';
import { type Phrases, turnLanguage } from '../turnLanguage';
import { type Offer, setTurnOffers, turnUnderstanding } from '../turnUnderstanding';

/** The key part of an intent's guess label ("language.nb" → "language_nb"). */
function guessKey(guess: Guess): string | undefined {
  if (guess.kind === 'intent') return `chat:guess.${guess.intent.replace('.', '_')}`;
  if (guess.kind === 'faq') return `chat:guess.faq.${guess.question}`;
  return undefined;
}

/** The button for a guess: the prompt's label for an answer it offers, else the intent's or question's short name. */
function labelFor(context: TurnContext, phrases: Phrases, guess: Guess, promptLabel: (guess: Guess) => string | undefined): string | undefined {
  if (guess.kind === 'answer') {
    const answer = guess.answer;
    if (answer.kind === 'yesNo') return promptLabel(guess) ?? phrases.text(context, answer.yes ? 'chat:choice.yes' : 'chat:choice.no');
    if (answer.kind === 'region') return phrases.text(context, `registration:region.${answer.region}`);
    if (answer.kind === 'email') return answer.email;
    return promptLabel(guess);
  }
  const key = guessKey(guess);
  return key ? phrases.text(context, key) : undefined;
}

/** An offer's label in a language: the intent's, question's or region's name in it; otherwise the label as the prompt gave it. */
function labelIn(language: Language, phrases: Phrases, offer: Offer): string {
  const key = guessKey(offer.guess);
  if (key) return phrases.in(language, key);
  if (offer.guess.kind === 'answer' && offer.guess.answer.kind === 'region') return phrases.in(language, `registration:region.${offer.guess.answer.region}`);
  return offer.label;
}

/**
 * "Did you mean A or B?" in the turn's language. Before a language is known, each language's
 * sentence names the guesses in that language (not «Snakk med et menneske / Talk to a person»
 * inside the Norwegian quotes).
 */
function didYouMean(context: TurnContext, phrases: Phrases, offers: readonly Offer[]): string {
  const sentence = (language: Language) => {
    const [first, second] = offers.map((offer) => labelIn(language, phrases, offer));
    return second ? phrases.in(language, 'chat:didYouMean.two', { first, second }) : phrases.in(language, 'chat:didYouMean.one', { first });
  };
  const language = turnLanguage(context);
  return language ? sentence(language) : `${sentence('nb')}\n\n${sentence('en')}`;
}

/**
 * How the prompt is answered, which decides what "I still don't understand" asks for: `choices`
 * (buttons to tap, or the answer typed), `typed` (an answer written out: an address, a code, a
 * postcode) or `waiting` (a step that asks nothing and waits for something to happen).
 */
export type AnswerShape = 'choices' | 'typed' | 'waiting';

const STILL_STUCK: Record<AnswerShape, string> = {
  choices: 'chat:question.stillStuck',
  typed: 'chat:question.stillStuckTyped',
  waiting: 'chat:question.stillStuckWaiting',
};

export interface Miss {
  /** Misses in a row at this prompt, this one included. */
  misses: number;
  shape: AnswerShape;
  /** Why the answer does not fit (the prompt's own words), used when there is nothing to guess; none: the prompt says it. */
  reason?: string;
  /** The message clearly tried to answer (an address with a typo): the reason, not a guess. */
  reasonFirst?: boolean;
  /** The prompt's label for a guessed answer. */
  labelOf: (guess: Guess) => string | undefined;
  /** Asks the prompt again. */
  reask: () => Promise<void>;
}

/**
 * The reply to a message a prompt could not take. With guesses: "did you mean A or B?" with them
 * as buttons (a tap acts on its guess). Otherwise the prompt's reason and the prompt again, in one message. The
 * second miss in a row also offers help and a person; from the third on the wording alternates,
 * so the same "I didn't get that" is never sent three times in a row.
 */
export async function replyToMiss(context: TurnContext, phrases: Phrases, miss: Miss): Promise<void> {
  const understanding = turnUnderstanding(context);
  const offers: Offer[] = [];
  for (const guess of understanding?.kind === 'none' && !miss.reasonFirst ? understanding.guesses : []) {
    const label = labelFor(context, phrases, guess, miss.labelOf);
    if (label && !offers.some((offer) => offer.label === label)) offers.push({ label, guess });
  }
  if (miss.misses >= 3 && miss.misses % 2 === 1) {
    const stillStuck = phrases.text(context, STILL_STUCK[miss.shape]);
    // a waiting step asks nothing again: what it waits for comes after, so the message still says it
    const lead = miss.shape === 'waiting' && miss.reason ? `${stillStuck}\n\n${miss.reason}` : stillStuck;
    await sendWithLead(context, phrases, lead, miss.reask);
    return;
  }
  const stuck = miss.misses >= 2 ? `\n\n${phrases.text(context, 'chat:question.stuck')}` : '';
  if (offers.length > 0) {
    const question = didYouMean(context, phrases, offers);
    // the guesses are no answers to number: a tap (or the label typed) acts on one
    // from the second miss on, a person is one tap away too (the label is understood as asking for one)
    const person = stuck ? [phrases.text(context, 'chat:guess.human')] : [];
    await context.sendActivity(choiceMessage(context, phrases, question + stuck, [...offers.map((offer) => offer.label), ...person], { numbered: false }));
    setTurnOffers(context, offers);
    return;
  }
  // the reason and the prompt again, as one message
  const lead = (miss.reason ?? '') + (miss.reason ? stuck : stuck.trimStart());
  if (lead) await sendWithLead(context, phrases, lead, miss.reask);
  else await miss.reask();
}

/** A waiting step's reply to a message it cannot take: its reminder (or "did you mean"), counting the misses in its state. */
export async function remindAfterMiss(context: TurnContext, phrases: Phrases, state: { misses?: number }, reminderKey: string): Promise<void> {
  state.misses = (state.misses ?? 0) + 1;
  await replyToMiss(context, phrases, { misses: state.misses, shape: 'waiting', reason: phrases.text(context, reminderKey), labelOf: () => undefined, reask: async () => undefined });
}
