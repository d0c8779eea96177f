import type { TurnContext } from 'botbuilder';
import { languageFromLocale } from '../domain/language';
import { errorSummary, type Logger } from '../logger';
import { isStoreUnavailable, storeErrorSummary } from '../services/store/storeUnavailableError';
import type { BotStates } from './state';
import { type Phrases, setTurnLanguage, turnLanguage } from './turnLanguage';

/**
 * Logs the failure (never the message text) and tells the user in their language.
 * When the store cannot be reached, the user is asked to try again in a moment and the state is
 * left alone (it is fine, only unreachable). Any other failure clears the conversation's dialog
 * stack so the next message starts cleanly from where the journey stands (the installer record
 * is kept, nothing of the registration is lost).
 */
export function createTurnErrorHandler(states: BotStates, phrases: Phrases, logger: Logger) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const storeUnavailable = isStoreUnavailable(error);
    const where = { channelId: context.activity.channelId, activityType: context.activity.type };
    if (storeUnavailable) {
      logger.warn({ err: storeErrorSummary(error), ...where }, 'turn failed: storage unavailable');
    } else {
      logger.error({ err: errorSummary(error), ...where }, 'turn failed');
      try {
        await states.conversationState.delete(context);
      } catch (cleanupError) {
        logger.error({ err: errorSummary(cleanupError) }, 'could not clear conversation state after a failed turn');
      }
    }
    // the language middleware may not have run (it reads the store): fall back to the channel's locale
    if (!turnLanguage(context)) setTurnLanguage(context, languageFromLocale(context.activity.locale));
    try {
      const key = storeUnavailable ? 'store:unavailable' : 'chat:error.generic';
      await context.sendActivity(phrases.message(context, phrases.text(context, key)));
    } catch (sendError) {
      logger.error({ err: errorSummary(sendError) }, 'could not tell the user about the failed turn');
    }
  };
}
