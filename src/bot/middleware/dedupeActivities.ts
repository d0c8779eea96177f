import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import type { Logger } from '../../logger';
import type { DocumentStore } from '../../services/store/documentStore';

const REMEMBER_MS = 24 * 60 * 60 * 1000;

/**
 * An activity whose id was already handled in its conversation (Teams retries after 15 s, and
 * a client may post twice) is acknowledged and not handled again. The mark is written to the
 * shared store with create-if-absent, so it also holds across bot processes and restarts.
 * Invokes are left alone: they need their own answer every time.
 */
export class DedupeActivitiesMiddleware implements Middleware {
  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { id, type, channelId, conversation } = context.activity;
    if (!id || type === ActivityTypes.Invoke || !conversation?.id) return next();
    const key = `handled/${channelId}/${conversation.id}/${id}`;
    const first = await this.store.create(key, { at: Date.now() }, { ttlMs: REMEMBER_MS });
    if (first === undefined) {
      this.logger.info({ channelId, activityType: type }, 'duplicate activity ignored');
      return;
    }
    await next();
  }
}
