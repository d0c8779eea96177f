import { type ConversationReference, type TurnContext, TurnContext as Turn } from 'botbuilder';

/** The reference the notify path needs to continue this conversation later. */
export function referenceOf(context: TurnContext): Partial<ConversationReference> {
  const reference = Turn.getConversationReference(context.activity);
  return { ...reference, locale: context.activity.locale };
}
