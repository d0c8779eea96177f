import type { Middleware, TurnContext } from 'botbuilder';
import type { HeldLease, LeaseLocks } from '../../services/store/leaseLock';

/** turnState key of the conversation's store lease, when the turn holds one. */
export const TURN_LEASE = Symbol('turnLease');

/**
 * Turns of one conversation run one at a time: a second activity of the same conversation waits
 * until the first has finished (proactive turns too, since they also pass through the adapter's
 * middleware). In this process the waiters queue in memory; with `leases` (a store shared by
 * several instances) the turn at the head of the queue also takes the conversation's lease in
 * the store, so turns are serialized across instances, and only that one turn polls the store.
 * A turn whose lease was lost (it ran longer than the lease while its renewals failed, and another
 * instance took over) sends nothing more of its own and saves nothing (see OnboardingBot.run).
 */
export class SerializeTurnsMiddleware implements Middleware {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly leases?: LeaseLocks) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const key = `${context.activity.channelId}/${context.activity.conversation?.id ?? ''}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    try {
      await previous;
      if (!this.leases) return await next();
      const lease = await this.leases.acquire(`turn/${key}`);
      const guard = guardSends(context, lease);
      try {
        await next();
      } finally {
        guard.turnOver = true;
        await lease.release();
      }
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Resolves when every turn that has started is finished (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.allSettled([...this.tails.values()]);
  }

  get activeConversations(): number {
    return this.tails.size;
  }
}

/**
 * While the turn runs, each send first checks that the lease is still held. Once the turn is over
 * (this middleware released the lease, or found it lost), what the turn error handler says about
 * the failed turn ("something went wrong", "try again in a moment", "send it again") is no part of
 * the turn's work and goes out.
 */
function guardSends(context: TurnContext, lease: HeldLease): { turnOver: boolean } {
  const guard = { turnOver: false };
  context.turnState.set(TURN_LEASE, lease);
  context.onSendActivities(async (_context, _activities, nextSend) => {
    if (!guard.turnOver) lease.assertHeld();
    return nextSend();
  });
  return guard;
}
