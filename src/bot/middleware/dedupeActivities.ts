import { randomUUID } from 'node:crypto';
import { ActivityTypes, type Middleware, type TurnContext } from 'botbuilder';
import { errorSummary, type Logger } from '../../logger';
import { type DocumentStore, isEtagConflict } from '../../services/store/documentStore';

const REMEMBER_MS = 24 * 60 * 60 * 1000;

/**
 * The mark of one activity: `running` while a turn handles it (a lease: `until` is renewed while
 * the turn runs), `done` once the turn completed. Marks written before these states existed
 * (`{ at }` only) count as done.
 */
interface HandledMark {
  state?: 'running' | 'done';
  owner?: string;
  until?: number;
  at: number;
}

/**
 * An activity whose id was already handled in its conversation (Teams retries after 15 s, and
 * a client may post twice) is acknowledged and not handled again. The mark is written to the
 * shared store with create-if-absent, so it also holds across bot processes and restarts:
 * `running` while the turn runs (a duplicate delivered meanwhile is not run a second time), `done`
 * when it completed. A turn that failed removes its mark, and one whose process died leaves a
 * `running` mark that expires after `leaseMs`: in both cases a redelivery runs the turn.
 * Invokes are left alone: they need their own answer every time.
 *
 * With `singleInstance` (SQLite: one process, whose SerializeTurnsMiddleware already runs a
 * conversation's turns one after another, so a duplicate waits until the first has finished) no
 * `running` mark is needed: the turn reads the mark, and writes `done` once it completed. One
 * write per turn instead of two; a failed or crashed turn leaves no mark, so its redelivery runs.
 */
export class DedupeActivitiesMiddleware implements Middleware {
  private readonly owner = randomUUID();

  constructor(
    private readonly store: DocumentStore,
    private readonly logger: Logger,
    private readonly leaseMs = 10_000,
    private readonly singleInstance = false,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { id, type, channelId, conversation } = context.activity;
    if (!id || type === ActivityTypes.Invoke || !conversation?.id) return next();
    const key = `handled/${channelId}/${conversation.id}/${id}`;
    if (this.singleInstance) return this.runOnce(key, context, next);
    let etag = await this.claim(key);
    if (etag === undefined) {
      this.logger.info({ channelId, activityType: type }, 'duplicate activity ignored');
      return;
    }
    let renewing: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      renewing = renewing.then(async () => {
        try {
          etag = await this.store.put<HandledMark>(key, this.running(), { etag, ttlMs: REMEMBER_MS });
        } catch (error) {
          this.logger.warn({ err: errorSummary(error), channelId }, 'could not renew the in-progress mark of an activity');
        }
      });
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    timer.unref();
    try {
      await next();
    } catch (error) {
      clearInterval(timer);
      await renewing;
      await this.store.delete(key).catch((cleanup: unknown) => this.logger.warn({ err: errorSummary(cleanup) }, 'could not clear the mark of a failed activity'));
      throw error;
    }
    clearInterval(timer);
    await renewing;
    try {
      await this.store.put<HandledMark>(key, { state: 'done', at: Date.now() }, { etag, ttlMs: REMEMBER_MS });
    } catch (error) {
      if (!isEtagConflict(error)) throw error;
      this.logger.warn({ channelId, activityType: type }, 'an activity was taken over by another instance while it ran');
    }
  }

  private async runOnce(key: string, context: TurnContext, next: () => Promise<void>): Promise<void> {
    const { channelId, type } = context.activity;
    const current = await this.store.get<HandledMark>(key);
    if (current && !this.leftRunning(current.value)) {
      this.logger.info({ channelId, activityType: type }, 'duplicate activity ignored');
      return;
    }
    await next();
    await this.store.put<HandledMark>(key, { state: 'done', at: Date.now() }, { ttlMs: REMEMBER_MS });
  }

  /** A `running` mark whose lease ran out: its instance stopped before the turn completed. */
  private leftRunning(mark: HandledMark): boolean {
    return mark.state === 'running' && (mark.until ?? 0) <= Date.now();
  }

  /** The eTag of this turn's `running` mark, or undefined when the activity is done or running elsewhere. */
  private async claim(key: string): Promise<string | undefined> {
    let waited = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      const created = await this.store.create<HandledMark>(key, this.running(), { ttlMs: REMEMBER_MS });
      if (created !== undefined) return created;
      const current = await this.store.get<HandledMark>(key);
      if (!current) continue;
      const mark = current.value;
      // This turn holds the conversation's lease (SerializeTurns runs first), so a `running` mark
      // of another instance is either one that died (its lease on the mark runs out a moment after
      // the one on the conversation) or one that overran its lease: wait for the mark's lease once,
      // and if nobody renewed it, the turn is ours.
      if (mark.state === 'running' && !waited && (mark.until ?? 0) > Date.now()) {
        waited = true;
        await new Promise((resolve) => setTimeout(resolve, Math.min((mark.until ?? 0) - Date.now() + 25, this.leaseMs)));
        attempt -= 1;
        continue;
      }
      if (!this.leftRunning(mark)) return undefined;
      try {
        this.logger.warn({ channelId: key.split('/')[1] }, 'an activity left running by a stopped instance is handled again');
        return await this.store.put<HandledMark>(key, this.running(), { etag: current.etag, ttlMs: REMEMBER_MS });
      } catch (error) {
        if (isEtagConflict(error)) return undefined;
        throw error;
      }
    }
    return undefined;
  }

  private running(): HandledMark {
    return { state: 'running', owner: this.owner, until: Date.now() + this.leaseMs, at: Date.now() };
  }
}
