import { type TurnContext, TurnContext as Turn } from 'botbuilder';
import type { ConversationAddress } from '../../domain/conversationAddress';
import { addressOf } from '../notifyTurns';

/** The address the notify path needs to continue this conversation later (in the services' own terms). */
export function referenceOf(context: TurnContext): ConversationAddress {
  const reference = Turn.getConversationReference(context.activity);
  return addressOf({ ...reference, locale: context.activity.locale });
}
