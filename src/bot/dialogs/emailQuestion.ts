import type { TurnContext } from 'botbuilder';
import { parseEmail } from '../../domain/email';
import { type Parsed, QuestionDialog } from './questionDialog';

export interface ParsedEmail {
  email: string;
  id: string;
}

/** Asks for an email address; a bad one gets its reason explained and a new try. */
export class EmailQuestion extends QuestionDialog<ParsedEmail, { questionKey?: string }> {
  protected async ask(context: TurnContext, options: { questionKey?: string } | undefined): Promise<void> {
    await this.phrases.send(context, options?.questionKey ?? 'registration:email.question');
  }

  protected parse(context: TurnContext): Parsed<ParsedEmail> {
    const parsed = parseEmail(context.activity.text);
    return parsed.ok ? { ok: true, value: { email: parsed.email, id: parsed.id } } : { ok: false, reason: `registration:email.problem.${parsed.problem}` };
  }
}
