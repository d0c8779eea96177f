import { VOCABULARY } from '../../domain/vocabulary';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import { normaliseInput } from '../../domain/commands';
import type { TranslationVars } from '../../services/i18n/translator';
import type { Phrases } from '../turnLanguage';
import { choiceMessage } from '../cards';
import { sendWithLead } from '../leadText';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string; vars?: TranslationVars };

interface QuestionState<O> {
  options: O;
  attempts: number;
}

/** After this many failed answers the question also offers help and a human. */
export const ATTEMPTS_BEFORE_HELP = 3;

/**
 * One question of the journey. It is rendered anew from locale keys every time it is shown, so
 * help, a language switch or a retry re-asks it in the current language. Plain text always
 * works; buttons and cards are an extra. The dialog id is also the help topic
 * (chat:help.topics.<id>).
 */
export abstract class QuestionDialog<T, O extends object = object> extends Dialog<O> {
  constructor(
    id: string,
    protected readonly phrases: Phrases,
  ) {
    super(id);
  }

  /** Sends the question. */
  protected abstract ask(context: TurnContext, options: O): Promise<void>;

  /** Reads the answer from the user's message (text, or a card's submitted value). */
  protected abstract parse(context: TurnContext, options: O): Parsed<T> | Promise<Parsed<T>>;

  override async beginDialog(dc: DialogContext, options?: O): Promise<DialogTurnResult> {
    const state: QuestionState<O | undefined> = { options, attempts: 0 };
    dc.activeDialog!.state = state;
    await this.ask(dc.context, options as O);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const state = dc.activeDialog!.state as QuestionState<O>;
    const parsed = await this.parse(dc.context, state.options);
    if (parsed.ok) return dc.endDialog(parsed.value);
    state.attempts += 1;
    const reason = this.phrases.text(dc.context, parsed.reason, parsed.vars);
    const offer = state.attempts >= ATTEMPTS_BEFORE_HELP ? '\n\n' + this.phrases.text(dc.context, 'chat:question.stuck') : '';
    // the reason and the question again, as one message
    await sendWithLead(dc.context, this.phrases, reason + offer, () => this.ask(dc.context, state.options));
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
  /** Extra words accepted for this choice (input vocabulary). */
  synonyms?: readonly string[];
}

/** Parses a choice from text: a label in any language, a synonym, the value, or its number in the list. */
export function matchChoice<V extends string>(
  text: string | undefined,
  choices: ReadonlyArray<Choice<V>>,
  labelsOf: (key: string) => string[],
): V | undefined {
  if (!text) return undefined;
  const said = normaliseInput(text);
  const asNumber = Number(said);
  if (Number.isInteger(asNumber) && asNumber >= 1 && asNumber <= choices.length) return choices[asNumber - 1]!.value;
  for (const choice of choices) {
    const words = [choice.value, ...labelsOf(choice.label), ...(choice.synonyms ?? [])].map(normaliseInput);
    if (words.includes(said)) return choice.value;
  }
  return undefined;
}

/** The question with its choices, shown the channel's way (cards module); typing a label or its number works too. */
export async function sendChoices<V extends string>(
  context: TurnContext,
  phrases: Phrases,
  question: string,
  choices: ReadonlyArray<Choice<V>>,
): Promise<void> {
  await context.sendActivity(choiceMessage(context, phrases, question, choices.map((c) => phrases.text(context, c.label, c.labelVars))));
}

export interface ChoiceQuestionOptions {
  /** Values that fill the question text. */
  vars?: TranslationVars;
  /** Values that are texts themselves (variable → locale key), rendered each time the question is shown, in the language of that turn. */
  textVars?: Record<string, string>;
}

/** A question answered by picking one of a few choices; `vars` and `textVars` fill the question text. */
export class ChoiceQuestion<V extends string> extends QuestionDialog<V, ChoiceQuestionOptions> {
  constructor(
    id: string,
    phrases: Phrases,
    private readonly questionKey: string,
    private readonly choices: ReadonlyArray<Choice<V>>,
    private readonly invalidKey = 'chat:question.pickOne',
  ) {
    super(id, phrases);
  }

  protected async ask(context: TurnContext, options: ChoiceQuestionOptions | undefined): Promise<void> {
    const texts = Object.entries(options?.textVars ?? {}).map(([name, key]) => [name, this.phrases.text(context, key)]);
    const vars = { ...options?.vars, ...Object.fromEntries(texts) };
    await sendChoices(context, this.phrases, this.phrases.text(context, this.questionKey, vars), this.choices);
  }

  protected parse(context: TurnContext): Parsed<V> {
    const value = matchChoice(context.activity.text, this.choices, (key) => this.phrases.translator.all(key));
    return value ? { ok: true, value } : { ok: false, reason: this.invalidKey };
  }
}

export const YES_NO: ReadonlyArray<Choice<'yes' | 'no'>> = [
  { value: 'yes', label: 'chat:choice.yes', synonyms: VOCABULARY.yes },
  { value: 'no', label: 'chat:choice.no', synonyms: VOCABULARY.no },
];
