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

/**
 * The ONE proactive path. It continues every conversation of the installer with an event
 * activity `onboarding.<event>` that the bot handles like any other turn. When no
 * conversation can be reached (blocked, uninstalled, gone), the fallback email is queued.
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
            if (!isUnreachable(error)) throw error;
            unreachable = error;
          }
        });
      } catch (error) {
        unreachable = error;
      }
      if (unreachable === undefined) reached += 1;
      else this.logger.warn({ channelId: reference.channelId, event, status: statusOf(unreachable) }, 'conversation unreachable');
    }
    if (reached === 0 && fallback) {
      this.logger.info({ event, conversations: references.length }, 'no conversation reached; falling back to email');
      await this.mailer.enqueue(fallback);
    }
    return reached;
  }
}
