import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Logger } from '../../logger';
import type { Mailer, OutgoingMail } from '../mail/mailer';
import type { ConversationReferences } from './conversationReferences';

/** Events that happen outside a chat turn and continue the installer's conversations. */
export type OnboardingEvent = 'passwordSet' | 'emailConfirmed' | 'stationLocalized';

/** What runs a proactive turn: the adapter's continueConversation, with the bot's run as the logic. */
export type ContinueConversation = (
  reference: Partial<ConversationReference>,
  logic: (context: TurnContext) => Promise<void>,
) => Promise<void>;

export type RunTurn = (context: TurnContext) => Promise<void>;

/**
 * Set in turnState on every turn the notify path runs. Channels can send event activities too
 * (Direct Line does), so the bot trusts an onboarding.* event only when this mark is present.
 */
export const NOTIFY_TURN = Symbol('onboarding.notifyTurn');

export interface NotifyTurn {
  installerId: string;
  event: OnboardingEvent;
}

/** The HTTP status of a channel error, looking through wrappers (botbuilder-dialogs' DialogContextError keeps it in .error). */
function statusOf(error: unknown, depth = 0): number | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const e = error as { statusCode?: unknown; status?: unknown; error?: unknown; cause?: unknown };
  if (typeof e.statusCode === 'number') return e.statusCode;
  if (typeof e.status === 'number') return e.status;
  return statusOf(e.error, depth + 1) ?? statusOf(e.cause, depth + 1);
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

/**
 * The bot's own credential is refused (401 from the channel, or no token from Entra ID): an
 * operator's problem, the same for every conversation, so no email goes out in its place.
 */
function isBadCredential(error: unknown): boolean {
  return statusOf(error) === 401 || isTokenFailure(error);
}

/**
 * The ONE proactive path. It continues every conversation of the installer with an event
 * activity `onboarding.<event>` that the bot handles like any other turn. When no
 * conversation can be reached (blocked, uninstalled, gone: 403/404/410), the fallback email is
 * queued. A refused bot credential (401, token failure) is logged as an error and sends no email:
 * the operator must fix the credential, and every installer would otherwise get mail instead.
 */
export class Notifier {
  private runTurn?: RunTurn;

  constructor(
    private readonly continueConversation: ContinueConversation,
    private readonly references: ConversationReferences,
    private readonly mailer: Mailer,
    private readonly logger: Logger,
  ) {}

  /** The bot is built after the services; the composition root connects it here. */
  attach(runTurn: RunTurn): void {
    this.runTurn = runTurn;
  }

  /** Returns how many conversations were reached. */
  async notify(installerId: string, event: OnboardingEvent, fallback?: OutgoingMail): Promise<number> {
    const runTurn = this.runTurn;
    if (!runTurn) throw new Error('Notifier used before a bot was attached');
    const references = await this.references.linked(installerId);
    let reached = 0;
    let badCredential: unknown;
    for (const reference of references) {
      let unreachable: unknown;
      try {
        await this.continueConversation(reference, async (context) => {
          context.activity.type = 'event';
          context.activity.name = `onboarding.${event}`;
          context.activity.value = { installerId };
          context.turnState.set(NOTIFY_TURN, { installerId, event } satisfies NotifyTurn);
          try {
            await runTurn(context);
          } catch (error) {
            if (!isUnreachable(error) && !isBadCredential(error)) throw error;
            unreachable = error;
          }
        });
      } catch (error) {
        unreachable = error;
      }
      if (unreachable === undefined) reached += 1;
      else if (isBadCredential(unreachable)) badCredential = unreachable;
      else this.logger.warn({ channelId: reference.channelId, event, status: statusOf(unreachable) }, 'conversation unreachable');
    }
    if (badCredential !== undefined) {
      this.logger.error(
        { event, status: statusOf(badCredential), conversations: references.length, reached },
        'the channel refused the bot credential (MicrosoftAppId/MicrosoftAppPassword); no fallback email sent',
      );
      return reached;
    }
    if (reached === 0 && fallback) {
      this.logger.info({ event, conversations: references.length }, 'no conversation reached; falling back to email');
      await this.mailer.enqueue(fallback);
    }
    return reached;
  }
}
