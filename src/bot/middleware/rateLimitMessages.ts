import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { findCause } from '../../domain/errorCause';
import { LANGUAGES } from '../../domain/language';
import type { Logger } from '../../logger';
import { isRateLimited, type Limits, type RateLimitedError } from '../../services/limits/limits';
import { limitText } from '../../services/limits/waitText';
import { type Phrases, turnLanguage } from '../turnLanguage';

/** The RateLimitedError behind a turn's failure, looking through wrappers (DialogContextError keeps it in .error). */
function rateLimitOf(error: unknown): RateLimitedError | undefined {
  return findCause(error, isRateLimited);
}

/**
 * Messages per conversation user (shared by every instance through the store). Over the limit a
 * message is not handled; the first one over is answered with when to try again, the rest get
 * nothing (a flood must not make the bot talk). A limit hit inside the turn (e.g. registrations)
 * is answered the same way, and the turn's state is not saved, so the question stays open.
 */
export class RateLimitMessagesMiddleware implements Middleware {
  constructor(
    private readonly limits: Pick<Limits, 'take'>,
    private readonly phrases: Phrases,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { activity } = context;
    if (activity.type === ActivityTypes.Message) {
      const verdict = await this.limits.take('messages', `${activity.channelId}:${activity.from?.id ?? activity.conversation?.id ?? ''}`);
      if (!verdict.allowed) {
        if (verdict.firstRefusal) {
          this.logger.warn({ channelId: activity.channelId, limit: 'messages', retryAfterSeconds: verdict.retryAfterSeconds }, 'rate limited');
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
    const language = turnLanguage(context);
    const text = (language ? [language] : LANGUAGES).map((l) => limitText(this.phrases.translator, l, key, retryAfterSeconds)).join('\n\n');
    await context.sendActivity(this.phrases.message(context, text));
  }
}
