import type { TurnContext } from 'botbuilder';
import { asksToChangeAddress, parseEmail, suggestEmailFix } from '../../domain/email';
import { readYesNo } from '../../domain/yesNo';
import type { ParsedEmail } from './emailQuestion';
import { type Choice, matchChoice, type Parsed, QuestionDialog, sendChoices, YES_NO } from './questionDialog';

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
  private choicesFor(options: EmailCheckOptions): { question: string; choices: ReadonlyArray<Choice<string>>; suggestion?: ParsedEmail } {
    const suggestion = suggestionFor(options.email);
    if (!suggestion) return { question: 'registration:email.check.question', choices: YES_NO };
    const button = (value: string, email: ParsedEmail): Choice<string> => ({
      value,
      label: ADDRESS_BUTTON,
      labelVars: { email: email.email },
      synonyms: [email.email],
    });
    return { question: 'registration:email.check.suggestion', choices: [button('suggestion', suggestion), button('typed', options.email)], suggestion };
  }

  protected async ask(context: TurnContext, options: EmailCheckOptions): Promise<void> {
    const { question, choices, suggestion } = this.choicesFor(options);
    const text = this.phrases.text(context, question, { email: options.email.email, suggestion: suggestion?.email });
    await sendChoices(context, this.phrases, text, choices);
  }

  protected parse(context: TurnContext, options: EmailCheckOptions): Parsed<EmailCheckAnswer> {
    const text = context.activity.text;
    const { choices, suggestion } = this.choicesFor(options);
    const typed = parsed(text ?? '');
    if (typed) {
      // the address shown (or the suggestion) typed again confirms it; any other is shown back in turn
      if (typed.id === options.email.id) return { ok: true, value: { kind: 'confirmed', email: options.email } };
      if (suggestion && typed.id === suggestion.id) return { ok: true, value: { kind: 'confirmed', email: suggestion } };
      return { ok: true, value: { kind: 'other', email: typed } };
    }
    // an address button is answered by its address (a synonym), not by its label's template
    const labels = (key: string) => (key === ADDRESS_BUTTON ? [] : this.phrases.translator.all(key));
    // a button, its number, or yes/no in a few words ("ja det stemmer"; "yes" to a suggestion takes the suggestion)
    const said = matchChoice(text, choices, labels) ?? matchChoice(text, YES_NO, labels) ?? readYesNo(text) ?? (asksToChangeAddress(text) ? 'no' : undefined);
    if (said === 'typed') return { ok: true, value: { kind: 'confirmed', email: options.email } };
    if (said === 'suggestion' || said === 'yes') return { ok: true, value: { kind: 'confirmed', email: suggestion ?? options.email } };
    if (said === 'no') return { ok: true, value: { kind: 'retype' } };
    return { ok: false, reason: 'registration:email.check.unclear' };
  }
}
