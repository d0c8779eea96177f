import type { TurnContext } from 'botbuilder';
import { parseEmail, withAddressSlips } from '../../domain/email';
import type { Understanding } from '../../domain/understanding';
import type { PromptExpectation } from '../turnUnderstanding';
import { type Parsed, QuestionDialog } from './questionDialog';

export interface ParsedEmail {
  email: string;
  id: string;
}

/** Whether a message is an attempt at an address: it has an @, or a domain ("firma.no", "sparks.co.uk"). */
function looksLikeAddress(text: string): boolean {
  return text.includes('@') || /[\p{L}\d-]\.\p{L}{2,}(?=[\s,;]|$)/u.test(text);
}

/** Asks for an email address; a bad one gets its reason explained and a new try. */
export class EmailQuestion extends QuestionDialog<ParsedEmail, { questionKey?: string }> {
  protected async ask(context: TurnContext, options: { questionKey?: string } | undefined): Promise<void> {
    await this.phrases.send(context, options?.questionKey ?? 'registration:email.question');
  }

  protected expectation(): PromptExpectation {
    // talk of the address here ("wrong address", "no email") is no interruption: the address is being asked for
    return { expectation: { kinds: ['email'] }, intents: { changeEmail: 'address', didntGetEmail: 'address' } };
  }

  /** The address read out of the message ("it's kari@firma.no"); otherwise why the message is no address. */
  protected parse(context: TurnContext, _options: unknown, understanding: Understanding | undefined): Parsed<ParsedEmail> {
    const given = understanding?.kind === 'answer' && understanding.answer.kind === 'email' ? understanding.answer.email : context.activity.text;
    const parsed = parseEmail(withAddressSlips(given ?? ''));
    if (parsed.ok) return { ok: true, value: { email: parsed.email, id: parsed.id } };
    // an @ or a domain ("ola firma.no") says the message is an address: its problem is the answer, not a guess at what else it means
    return { ok: false, reason: `registration:email.problem.${parsed.problem}`, sure: looksLikeAddress(context.activity.text ?? '') };
  }
}
