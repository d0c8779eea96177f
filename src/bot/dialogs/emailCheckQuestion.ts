import type { TurnContext } from 'botbuilder';
import { parseEmail, suggestEmailFix } from '../../domain/email';
import type { Guess, Understanding } from '../../domain/understanding';
import type { PromptExpectation } from '../turnUnderstanding';
import type { ParsedEmail } from './emailQuestion';
import { type Choice, choiceExpectation, choiceLabelOf, chosenValue, type Parsed, QuestionDialog, sendChoices } from './questionDialog';

/** The label of a button that carries an address. */
const ADDRESS_BUTTON = 'registration:email.check.button';

export interface EmailCheckOptions {
  /** The address as the user typed it. */
  email: ParsedEmail;
}

/** The answer to "Is kari@firma.no right?": this address, type it again, or another address typed instead. */
export type EmailCheckAnswer = { kind: 'confirmed'; email: ParsedEmail } | { kind: 'retype' } | { kind: 'other'; email: ParsedEmail };

function parsed(email: string): ParsedEmail | undefined {
  const result = parseEmail(email);
  return result.ok ? { email: result.email, id: result.id } : undefined;
}

/** The corrected address for a misspelt provider domain, if there is one. */
function suggestionFor(email: ParsedEmail): ParsedEmail | undefined {
  const fixed = suggestEmailFix(email.email);
  return fixed ? parsed(fixed) : undefined;
}

/**
 * Shows the address back before anything is sent to it: "Er kari@firma.no riktig?" (yes/no), or,
 * for a misspelt provider domain, "Mente du kari@gmail.com?" with the suggestion and the address as
 * typed as buttons. Yes, no, a button, or simply a new address typed all work.
 */
export class EmailCheckQuestion extends QuestionDialog<EmailCheckAnswer, EmailCheckOptions> {
  /** The buttons shown, and every answer taken (a "no" or "wrong address" in words besides). */
  private choicesFor(options: EmailCheckOptions): { question: string; choices: ReadonlyArray<Choice<string>>; accepted: ReadonlyArray<Choice<string>>; suggestion?: ParsedEmail } {
    const no: Choice<string> = { value: 'no', label: 'chat:choice.no', yesNo: false, intents: ['changeEmail'] };
    const suggestion = suggestionFor(options.email);
    if (!suggestion) {
      const choices: ReadonlyArray<Choice<string>> = [{ value: 'yes', label: 'chat:choice.yes', yesNo: true }, no];
      return { question: 'registration:email.check.question', choices, accepted: choices };
    }
    const button = (value: string, email: ParsedEmail, yesNo?: boolean): Choice<string> => ({
      value,
      label: ADDRESS_BUTTON,
      labelVars: { email: email.email },
      synonyms: [email.email],
      yesNo,
    });
    // "yes" to a suggestion takes the suggestion
    const choices = [button('suggestion', suggestion, true), button('typed', options.email)];
    return { question: 'registration:email.check.suggestion', choices, accepted: [...choices, no], suggestion };
  }

  protected expectation(_context: TurnContext, options: EmailCheckOptions): PromptExpectation {
    return choiceExpectation(this.phrases.translator, this.choicesFor(options).accepted, ['email']);
  }

  protected override labelOf(context: TurnContext, options: EmailCheckOptions, guess: Guess): string | undefined {
    return choiceLabelOf(context, this.phrases, this.choicesFor(options).accepted, guess);
  }

  protected async ask(context: TurnContext, options: EmailCheckOptions): Promise<void> {
    const { question, choices, suggestion } = this.choicesFor(options);
    const text = this.phrases.text(context, question, { email: options.email.email, suggestion: suggestion?.email });
    await sendChoices(context, this.phrases, text, choices);
  }

  protected parse(_context: TurnContext, options: EmailCheckOptions, understanding: Understanding | undefined): Parsed<EmailCheckAnswer> {
    const { accepted, suggestion } = this.choicesFor(options);
    const typed = understanding?.kind === 'answer' && understanding.answer.kind === 'email' ? parsed(understanding.answer.email) : undefined;
    if (typed) {
      // the address shown (or the suggestion) typed again confirms it; any other is shown back in turn
      if (typed.id === options.email.id) return { ok: true, value: { kind: 'confirmed', email: options.email } };
      if (suggestion && typed.id === suggestion.id) return { ok: true, value: { kind: 'confirmed', email: suggestion } };
      return { ok: true, value: { kind: 'other', email: typed } };
    }
    // a button, its number, or yes/no in a few words ("ja det stemmer"; "wrong address" is a no)
    const said = chosenValue(understanding, accepted);
    if (said === 'typed') return { ok: true, value: { kind: 'confirmed', email: options.email } };
    if (said === 'suggestion' || said === 'yes') return { ok: true, value: { kind: 'confirmed', email: suggestion ?? options.email } };
    if (said === 'no') return { ok: true, value: { kind: 'retype' } };
    return { ok: false, reason: 'registration:email.check.unclear' };
  }
}
