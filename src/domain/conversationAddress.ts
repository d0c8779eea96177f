/**
 * Where a conversation lives, in the project's own terms (no SDK type): enough for the bot layer
 * to continue it later. It mirrors the fields of a Bot Framework ConversationReference that the
 * proactive path needs; bot/ converts between the two.
 */
export interface ConversationAddress {
  channelId: string;
  serviceUrl: string;
  conversation: { id: string; tenantId?: string; conversationType?: string; isGroup?: boolean };
  user?: { id: string; name?: string; aadObjectId?: string };
  bot?: { id: string; name?: string };
  locale?: string;
  activityId?: string;
}
