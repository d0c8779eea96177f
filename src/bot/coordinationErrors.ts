import type { TurnContext } from 'botbuilder';
import { findCause } from '../domain/errorCause';
import { errorSummary, type Logger } from '../logger';
import { isEtagConflict } from '../services/store/documentStore';
import { LeaseLostError, LeaseTimeoutError } from '../services/store/leaseLock';
import type { Phrases } from './turnLanguage';

/**
 * A turn that failed because of another turn (state changed under it on every attempt, the
 * conversation stayed busy in another instance, or its lease was taken over), also when a dialog
 * wrapped the error. Nothing is wrong with the conversation's state, so it must be kept.
 */
export function isCoordinationError(error: unknown): boolean {
  return findCause(error, (e): e is Error => isEtagConflict(e) || e instanceof LeaseTimeoutError || e instanceof LeaseLostError) !== undefined;
}

/**
 * Wraps the turn error handler: a coordination failure keeps the conversation state (the generic
 * handler clears it) and asks the user to send the message again (the turn's changes were not
 * saved); everything else goes on to it.
 */
export function keepStateOnCoordinationErrors(
  handle: (context: TurnContext, error: Error) => Promise<void>,
  phrases: Phrases,
  logger: Logger,
): (context: TurnContext, error: Error) => Promise<void> {
  return async (context, error) => {
    if (!isCoordinationError(error)) return handle(context, error);
    logger.warn({ err: errorSummary(error), channelId: context.activity.channelId, activityType: context.activity.type }, 'turn not run: the conversation was busy elsewhere; state kept');
    try {
      await phrases.send(context, 'concurrency:busy');
    } catch (sendError) {
      logger.error({ err: errorSummary(sendError) }, 'could not tell the user to send the message again');
    }
  };
}
