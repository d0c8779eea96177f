import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Logger } from '../../logger';
import { type RecentMessages, redactedEntry } from '../../services/support/recentMessages';
import type { TranscriptEntry } from '../../services/support/supportDesk';

/** Set in turnState by a turn that deleted the user's data: the conversation's recent messages go too (this turn's included). */
export const FORGET_RECENT_MESSAGES = Symbol('onboarding.forgetRecentMessages');

/**
 * Keeps the last messages of each conversation (the installer's and the bot's, redacted before
 * they are stored), written once per turn: a support ticket attaches them as what happened.
 */
export class RecordRecentMessagesMiddleware implements Middleware {
  constructor(
    private readonly recent: RecentMessages,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const entries: TranscriptEntry[] = [];
    const { activity } = context;
    if (activity.type === ActivityTypes.Message && typeof activity.text === 'string' && activity.text.trim()) entries.push(redactedEntry('installer', activity.text));
    context.onSendActivities(async (_context, activities, nextSend) => {
      for (const sent of activities) {
        if (sent.type === ActivityTypes.Message && typeof sent.text === 'string' && sent.text.trim()) entries.push(redactedEntry('bot', sent.text));
      }
      return nextSend();
    });
    await next();
    const conversationId = activity.conversation?.id;
    if (!conversationId) return;
    const conversation = { channelId: activity.channelId ?? '', conversationId };
    try {
      if (context.turnState.get(FORGET_RECENT_MESSAGES) === true) await this.recent.erase(conversation);
      else await this.recent.append(conversation, entries);
    } catch (error) {
      // a transcript line is worth less than the turn: the reply has gone out already
      this.logger.warn({ err: error instanceof Error ? error.name : 'error' }, 'recent messages not recorded');
    }
  }
}
