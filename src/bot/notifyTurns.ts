import type { ConversationReference, TurnContext } from 'botbuilder';
import type { ConversationAddress } from '../domain/conversationAddress';
import { findCause } from '../domain/errorCause';
import { askedWaitMs } from '../services/jobs/retryDelay';
import { retryAfterMs } from '../services/store/backoff';
import type { DeliverNotifyTurn, NotifyOutcome, NotifyTurn } from '../services/notify/notifier';

/**
 * Set in turnState on every turn the notify path runs. Channels can send event activities too
 * (Direct Line does), so the bot trusts an onboarding.* event only when this mark is present.
 */
export const NOTIFY_TURN = Symbol('onboarding.notifyTurn');

export type { NotifyTurn };

/** The adapter's continueConversation (with the app id bound). */
export type ContinueConversation = (reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>) => Promise<void>;

/** A Bot Framework reference in the project's own terms (what the services keep). */
export function addressOf(reference: Partial<ConversationReference>): ConversationAddress {
  const { conversation, user, bot } = reference;
  return {
    channelId: reference.channelId ?? '',
    serviceUrl: reference.serviceUrl ?? '',
    conversation: {
      id: conversation?.id ?? '',
      ...(conversation?.tenantId ? { tenantId: conversation.tenantId } : {}),
      ...(conversation?.conversationType ? { conversationType: conversation.conversationType } : {}),
      ...(conversation?.isGroup !== undefined ? { isGroup: conversation.isGroup } : {}),
    },
    ...(user ? { user: { id: user.id, ...(user.name ? { name: user.name } : {}), ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}) } } : {}),
    ...(bot ? { bot: { id: bot.id, ...(bot.name ? { name: bot.name } : {}) } } : {}),
    ...(reference.locale ? { locale: reference.locale } : {}),
    ...(reference.activityId ? { activityId: reference.activityId } : {}),
  };
}

/** The Bot Framework reference the adapter continues. */
export function referenceTo(address: ConversationAddress): Partial<ConversationReference> {
  const { conversation, user, bot } = address;
  return {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    conversation: { isGroup: false, conversationType: 'personal', name: '', ...conversation },
    ...(user ? { user: { name: '', ...user } } : {}),
    ...(bot ? { bot: { name: '', ...bot } } : {}),
    ...(address.locale ? { locale: address.locale } : {}),
    ...(address.activityId ? { activityId: address.activityId } : {}),
  };
}

/** The HTTP status of a channel error, looking through wrappers (botbuilder-dialogs' DialogContextError keeps it in .error). */
export function statusOf(error: unknown): number | undefined {
  const statusIn = (e: { statusCode?: unknown; status?: unknown }) => (typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined);
  const found = findCause(error, (e): e is { statusCode?: unknown; status?: unknown } => typeof e === 'object' && e !== null && statusIn(e) !== undefined);
  return found && statusIn(found);
}

/**
 * How long the channel asked to wait (its Retry-After), looking through wrappers: the
 * `retryAfterMs` of a lean send's ConnectorError, or the header of the SDK pipeline's RestError
 * (`response.headers.get`, with an HTTP proxy configured). Undefined when it did not say.
 */
export function retryAfterOf(error: unknown): number | undefined {
  const asked = askedWaitMs(error);
  if (asked !== undefined) return asked;
  const withHeaders = findCause(error, (e): e is { response: { headers: { get(name: string): unknown } } } => {
    const headers = typeof e === 'object' && e !== null ? (e as { response?: { headers?: { get?: unknown } } }).response?.headers : undefined;
    return typeof headers?.get === 'function';
  });
  const header = withHeaders?.response.headers.get('retry-after');
  return typeof header === 'string' ? retryAfterMs(header) : undefined;
}

function isUnreachable(error: unknown): boolean {
  const status = statusOf(error);
  return status === 403 || status === 404 || status === 410;
}

/** An MSAL/Entra token failure (`errorCode`, `AADSTS…`), looking through wrappers. */
function isTokenFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { errorCode?: unknown; message?: unknown; error?: unknown; cause?: unknown };
  if (typeof e.errorCode === 'string' && e.errorCode !== '') return true;
  if (typeof e.message === 'string' && /\bAADSTS\d+|invalid_client|unauthorized_client/.test(e.message)) return true;
  return isTokenFailure(e.error, depth + 1) || isTokenFailure(e.cause, depth + 1);
}

/** The bot's own credential is refused (401 from the channel, or no token from Entra ID). */
function isBadCredential(error: unknown): boolean {
  return statusOf(error) === 401 || isTokenFailure(error);
}

/** How a failed proactive turn is reported to the notifier: the credential, the conversation, or for now (5xx, 429, network, anything else; with the channel's Retry-After). */
export function outcomeOf(error: unknown): NotifyOutcome {
  if (isBadCredential(error)) return { kind: 'badCredential', status: statusOf(error) };
  if (isUnreachable(error)) return { kind: 'unreachable', status: statusOf(error) };
  const retryAfterMs = retryAfterOf(error);
  return { kind: 'failed', status: statusOf(error), error: error instanceof Error ? error.name : typeof error, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/**
 * The bot layer's side of the notify path: continues the conversation with an event activity
 * `onboarding.<event>` (value `{ installerId, ...payload }`, NOTIFY_TURN in turnState) that the bot
 * handles like any other turn. Every failure is reported as an outcome, never thrown: an error of
 * the turn is caught inside it, so the adapter's turn error handler (which clears the conversation
 * state and tells the user something went wrong) never sees a channel refusing a proactive
 * message. A turn that did not run to its end without an error of its own (a middleware failed,
 * and the adapter's handler took that error) is a `failed` outcome too, so the notice is retried.
 */
export function notifyTurnDeliverer(continueConversation: ContinueConversation, runTurn: (context: TurnContext) => Promise<void>): DeliverNotifyTurn {
  return async (address, turn) => {
    let failure: unknown;
    let completed = false;
    try {
      await continueConversation(referenceTo(address), async (context) => {
        context.activity.type = 'event';
        context.activity.name = `onboarding.${turn.event.name}`;
        context.activity.value = { installerId: turn.installerId, ...turn.event };
        context.turnState.set(NOTIFY_TURN, turn);
        try {
          await runTurn(context);
          completed = true;
        } catch (error) {
          failure = error;
        }
      });
    } catch (error) {
      failure ??= error;
    }
    if (failure !== undefined) return outcomeOf(failure);
    return completed ? { kind: 'reached' } : { kind: 'failed', error: 'TurnNotCompleted' };
  };
}
