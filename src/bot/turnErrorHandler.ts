import type { TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import type { BotStates } from './state';
import type { Phrases } from './turnLanguage';

/**
 * Logs the failure (never the message text), tells the user in their language, and clears the
 * conversation's dialog stack so the next message starts cleanly from where the journey stands
 * (the installer record is kept, nothing of the registration is lost).
 */
export function createTurnErrorHandler(states: BotStates, phrases: Phrases, logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    logger.error(
      { err: { name: error.name, message: error.message, stack: error.stack }, channelId: context.activity.channelId, activityType: context.activity.type },
      'turn failed',
    );
    try {
      await states.conversationState.delete(context);
    } catch (cleanupError) {
      logger.error({ err: cleanupError }, 'could not clear conversation state after a failed turn');
    }
    try {
      await context.sendActivity(phrases.message(context, phrases.text(context, 'chat:error.generic')));
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not tell the user about the failed turn');
    }
  };
}
