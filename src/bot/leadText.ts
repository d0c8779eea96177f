import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Phrases } from './turnLanguage';

/**
 * Sends `lead` (why an answer was not taken) and the question that `ask` sends as one message:
 * the lead goes in front of the text of the first message `ask` sends, so a phone shows one
 * bubble, the reason above the question, instead of two. Sent alone when `ask` sends nothing;
 * dropped when `ask` fails (the message about the failure is not prefixed with it).
 */
export async function sendWithLead(context: TurnContext, phrases: Phrases, lead: string, ask: () => Promise<void>): Promise<void> {
  let pending = true;
  context.onSendActivities(async (_context, activities, next) => {
    const first = pending ? activities.find((a) => a.type === ActivityTypes.Message) : undefined;
    if (first) {
      pending = false;
      first.text = first.text ? `${lead}\n\n${first.text}` : lead;
    }
    return next();
  });
  try {
    await ask();
  } catch (error) {
    // the turn failed: the error handler's own message goes out as it is, without this lead
    pending = false;
    throw error;
  }
  if (pending) {
    pending = false;
    await context.sendActivity(phrases.message(context, lead));
  }
}
