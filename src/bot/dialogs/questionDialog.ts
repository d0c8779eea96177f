import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import type { FaqId } from '../../domain/faq';
import type { FreeKind, GlobalIntent, Guess, Understanding } from '../../domain/understanding';
import type { TranslationVars, Translator } from '../../services/i18n/translator';
import type { Phrases } from '../turnLanguage';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { choiceMessage } from '../cards';
import { replyToMiss } from './missReply';

/** An answer, or why the message is none (`sure`: the message clearly tried to answer, so the reason beats any guess). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; vars?: TranslationVars; sure?: boolean };

interface QuestionState<O> {
  options: O;
  /** Answers in a row that were not understood. */
  attempts: number;
}

/**
 * One question of the journey. It is rendered anew from locale keys every time it is shown, so
 * help, a language switch or a retry re-asks it in the current language. Plain text always
 * works; buttons and cards are an extra. The dialog id is also the help topic
 * (chat:help.topics.<id>). It states what it expects; the base dialog has the message understood
 * once against that, and the question reads the answer from the understanding.
 */
export abstract class QuestionDialog<T, O extends object = object> extends Dialog<O> implements ExpectingDialog {
  constructor(
    id: string,
    protected readonly phrases: Phrases,
  ) {
    super(id);
  }

  /** Sends the question. */
  protected abstract ask(context: TurnContext, options: O): Promise<void>;

  /** What answers fit the question. */
  protected abstract expectation(context: TurnContext, options: O): PromptExpectation;

  /** Reads the answer from the understanding of the message (or the message itself, for the reason of a bad answer). */
  protected abstract parse(context: TurnContext, options: O, understanding: Understanding | undefined): Parsed<T> | Promise<Parsed<T>>;

  /** The button label of a guessed answer, for "did you mean …?". */
  protected labelOf(_context: TurnContext, _options: O, _guess: Guess): string | undefined {
    return undefined;
  }

  expects(context: TurnContext, state: unknown): PromptExpectation {
    return this.expectation(context, (state as QuestionState<O>).options);
  }

  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    const state: QuestionState<O | undefined> = { options, attempts: 0 };
    dc.activeDialog!.state = state;
    await this.ask(dc.context, options as O);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const state = dc.activeDialog!.state as QuestionState<O>;
    const parsed = await this.parse(dc.context, state.options, turnUnderstanding(dc.context));
    if (parsed.ok) return dc.endDialog(parsed.value);
    state.attempts += 1;
    const offered = this.expectation(dc.context, state.options).expectation.choices ?? [];
    await replyToMiss(dc.context, this.phrases, {
      misses: state.attempts,
      shape: offered.length > 0 ? 'choices' : 'typed',
      reason: this.phrases.text(dc.context, parsed.reason, parsed.vars),
      reasonFirst: parsed.sure,
      labelOf: (guess) => this.labelOf(dc.context, state.options, guess),
      reask: () => this.ask(dc.context, state.options),
    });
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.ask(context, (instance.state as QuestionState<O>).options);
  }
}

export interface Choice<V extends string> {
  value: V;
  /** Locale key of the button label; the label in either language is accepted as an answer. */
  label: string;
  /** Values that fill the label (an address on a button). */
  labelVars?: TranslationVars;
  /** Extra words accepted for this choice (besides the labels in both languages). */
  synonyms?: readonly string[];
  /** Intents that pick this choice here ("send it again" is the resend button). */
  intents?: readonly GlobalIntent[];
  /** Guide questions that pick this choice here (the course step answers "how long do the courses take?" with the list). */
  questions?: readonly FaqId[];
  /** A yes or a no in any words picks this choice. */
  yesNo?: boolean;
  /** Its phrases are named with a typo in a word too (understanding's Choice.wordTypos). */
  wordTypos?: boolean;
  /** Named by the whole message only (understanding's Choice.wholeMessage). */
  wholeMessage?: boolean;
}

/** What a question with these choices (and free answers of these kinds) expects, for the understanding port. */
export function choiceExpectation<V extends string>(translator: Translator, choices: ReadonlyArray<Choice<V>>, kinds: readonly FreeKind[] = []): PromptExpectation {
  const phrasesIn = (language: 'nb' | 'en', choice: Choice<V>) => [translator.t(language, choice.label, choice.labelVars), ...(choice.synonyms ?? [])];
  return {
    expectation: {
      choices: choices.map((choice) => ({
        value: choice.value,
        utterances: { nb: phrasesIn('nb', choice), en: phrasesIn('en', choice) },
        ...(choice.wordTypos ? { wordTypos: true } : {}),
        ...(choice.wholeMessage ? { wholeMessage: true } : {}),
      })),
      kinds: choices.some((choice) => choice.yesNo !== undefined) ? [...kinds, 'yesNo'] : kinds,
    },
    intents: Object.fromEntries(choices.flatMap((choice) => (choice.intents ?? []).map((intent) => [intent, choice.value]))),
    questions: Object.fromEntries(choices.flatMap((choice) => (choice.questions ?? []).map((question) => [question, choice.value]))),
  };
}

/** The choice an understanding picks: by value, by a yes/no, or undefined. */
export function chosenValue<V extends string>(understanding: Understanding | undefined, choices: ReadonlyArray<Choice<V>>): V | undefined {
  if (understanding?.kind !== 'answer') return undefined;
  const answer = understanding.answer;
  if (answer.kind === 'choice') return choices.find((choice) => choice.value === answer.value)?.value;
  if (answer.kind === 'yesNo') return choices.find((choice) => choice.yesNo === answer.yes)?.value;
  return undefined;
}

/** The label of a guessed choice, in the turn's language. */
export function choiceLabelOf<V extends string>(context: TurnContext, phrases: Phrases, choices: ReadonlyArray<Choice<V>>, guess: Guess): string | undefined {
  const chosen = guess.kind === 'answer' ? chosenValue(guess, choices) : undefined;
  const choice = choices.find((c) => c.value === chosen);
  return choice ? phrases.text(context, choice.label, choice.labelVars) : undefined;
}

/**
 * The question with its choices, shown the channel's way (cards module); typing a label or its number works too.
 * `withPerson`: "Talk to a person" besides the choices, a button that is not one of them (its words ask for a person anywhere).
 */
export async function sendChoices<V extends string>(
  context: TurnContext,
  phrases: Phrases,
  question: string,
  choices: ReadonlyArray<Choice<V>>,
  withPerson = false,
): Promise<void> {
  const commands = withPerson ? [phrases.text(context, 'chat:guess.human')] : [];
  await context.sendActivity(choiceMessage(context, phrases, question, choices.map((c) => phrases.text(context, c.label, c.labelVars)), { numbered: true, commands }));
}

export interface ChoiceQuestionOptions {
  /** Values that fill the question text. */
  vars?: TranslationVars;
  /** Values that are texts themselves (variable → locale key), rendered each time the question is shown, in the language of that turn. */
  textVars?: Record<string, string>;
  /** A person one tap away besides the choices ("didn't get the email": support can look into it). */
  withPerson?: boolean;
}

/** A question answered by picking one of a few choices; `vars` and `textVars` fill the question text. */
export class ChoiceQuestion<V extends string> extends QuestionDialog<V, ChoiceQuestionOptions> {
  constructor(
    id: string,
    phrases: Phrases,
    private readonly questionKey: string,
    protected readonly choices: ReadonlyArray<Choice<V>>,
    private readonly invalidKey = 'chat:question.pickOne',
    private readonly kinds: readonly FreeKind[] = [],
  ) {
    super(id, phrases);
  }

  protected async ask(context: TurnContext, options: ChoiceQuestionOptions | undefined): Promise<void> {
    const texts = Object.entries(options?.textVars ?? {}).map(([name, key]) => [name, this.phrases.text(context, key)]);
    const vars = { ...options?.vars, ...Object.fromEntries(texts) };
    await sendChoices(context, this.phrases, this.phrases.text(context, this.questionKey, vars), this.choices, options?.withPerson);
  }

  protected expectation(): PromptExpectation {
    return choiceExpectation(this.phrases.translator, this.choices, this.kinds);
  }

  protected parse(_context: TurnContext, _options: ChoiceQuestionOptions, understanding: Understanding | undefined): Parsed<V> {
    const value = chosenValue(understanding, this.choices);
    return value ? { ok: true, value } : { ok: false, reason: this.invalidKey };
  }

  protected override labelOf(context: TurnContext, _options: ChoiceQuestionOptions, guess: Guess): string | undefined {
    return choiceLabelOf(context, this.phrases, this.choices, guess);
  }
}

export const YES_NO: ReadonlyArray<Choice<'yes' | 'no'>> = [
  { value: 'yes', label: 'chat:choice.yes', yesNo: true },
  { value: 'no', label: 'chat:choice.no', yesNo: false },
];
