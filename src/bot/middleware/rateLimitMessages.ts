import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { findCause } from '../../domain/errorCause';
import type { Logger } from '../../logger';
import { isRateLimited, type Limits, type RateLimitedError } from '../../services/limits/limits';
import { limitTextFor } from '../../services/limits/waitText';
import { addressKey } from '../../services/limits/clientAddress';
import { clientAddressOf } from '../turnClientAddress';
import { type Phrases, turnLanguage } from '../turnLanguage';

/** The RateLimitedError behind a turn's failure, looking through wrappers (DialogContextError keeps it in .error). */
function rateLimitOf(error: unknown): RateLimitedError | undefined {
  return findCause(error, isRateLimited);
}

/**
 * Messages per conversation user and, in web chat, per client address (a new chat is a new user;
 * the address stays), shared by every instance through the store. Over the limit a message is not
 * handled; the first one over is answered with when to try again — once per user, also when the
 * address is over — the rest get nothing (a flood must not make the bot talk). A limit hit inside
 * the turn (e.g. registrations) is answered the same way, and the turn's state is not saved, so
 * the question stays open.
 */
export class RateLimitMessagesMiddleware implements Middleware {
  constructor(
    private readonly limits: Pick<Limits, 'takeAll' | 'firstNotice'>,
    private readonly phrases: Phrases,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === ActivityTypes.Message) {
      const user = `${activity.channelId}:${activity.from?.id ?? activity.conversation?.id ?? ''}`;
      const address = clientAddressOf(activity);
      const verdict = await this.limits.takeAll([
        { name: 'messages', key: user },
        ...(address === undefined ? [] : [{ name: 'messagesPerAddress' as const, key: addressKey(address) }]),
      ]);
      if (!verdict.allowed) {
        const tellThisUser = verdict.name === 'messages' ? verdict.firstRefusal : await this.limits.firstNotice(verdict.name, user, verdict.retryAfterSeconds);
        if (tellThisUser) {
          this.logger.warn({ channelId: activity.channelId, limit: verdict.name, retryAfterSeconds: verdict.retryAfterSeconds }, 'rate limited');
          await this.tell(context, 'limits:messages', verdict.retryAfterSeconds);
        }
        return;
      }
    }
    try {
      await next();
    } catch (error) {
      const limited = rateLimitOf(error);
      if (!limited) throw error;
      this.logger.warn({ channelId: activity.channelId, limit: limited.limit, retryAfterSeconds: limited.retryAfterSeconds }, 'rate limited');
      await this.tell(context, `limits:${limited.limit}`, limited.retryAfterSeconds);
    }
  }

  /** In the turn's language; before it is known, in both. */
  private async tell(context: TurnContext, key: string, retryAfterSeconds: number): Promise<void> {
    const text = limitTextFor(this.phrases.translator, turnLanguage(context), key, retryAfterSeconds);
    await context.sendActivity(this.phrases.message(context, text));
  }
}
