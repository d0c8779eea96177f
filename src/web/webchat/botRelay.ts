import type { Activity } from 'botbuilder';
import { errorSummary, type Logger } from '../../logger';
import { withClientAddress } from '../../bot/turnClientAddress';
import { withUploadsCountedOnArrival } from '../../bot/uploadsCountedOnArrival';
import { CONNECTOR_PREFIX } from './inProcessConnector';

/** Runs one turn for an activity in this process (the adapter's trusted in-process door). */
export type ProcessInProcess = (activity: Activity) => Promise<unknown>;

/**
 * An activity as the bot would have read it off the wire: a copy (the turn may change it), with
 * the timestamps botbuilder turns into Dates when it parses a request body.
 */
function asReceived(activity: Partial<Activity>, serviceUrl: string): Activity {
  const copy = JSON.parse(JSON.stringify({ ...activity, serviceUrl })) as Activity & Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['localTimestamp', 'rawLocalTimestamp'],
    ['expiration', 'rawExpiration'],
  ] as const) {
    const value = copy[field];
    if (typeof value === 'string') {
      copy[raw] = value;
      copy[field] = new Date(value);
    }
  }
  return copy;
}

/**
 * Hands the web chat's activities to the bot in this process, as a channel does (no HTTP, no
 * public endpoint). Every delivery is tracked so shutdown can wait for the ones under way.
 */
export class BotRelay {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly localUrl: () => string,
    private readonly process: ProcessInProcess,
    private readonly logger: Logger,
  ) {}

  /** This server as the bot reaches it (attachment URLs given to the bot are under it). */
  localBase(): string {
    return this.localUrl();
  }

  /** The serviceUrl the bot answers to: served by the in-process connector, not by an HTTP route. */
  serviceUrl(): string {
    return `${this.localUrl()}${CONNECTOR_PREFIX}`;
  }

  /**
   * Delivers in order; resolves when the bot has answered (never rejects: failures are logged).
   * `clientAddress`: where the request came from (after TRUSTED_PROXIES), given to the turn for
   * its per-address limits; `uploadsCounted`: the attachments are files the upload route saved and
   * counted against `uploads` (the turn does not count them again).
   */
  deliver(activities: Array<Partial<Activity>>, from: { clientAddress?: string; uploadsCounted?: boolean } = {}): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const delivery = this.deliverInOrder(activities, from).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
    return delivery;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.pending]);
  }

  private async deliverInOrder(activities: Array<Partial<Activity>>, from: { clientAddress?: string; uploadsCounted?: boolean }): Promise<void> {
    const { clientAddress, uploadsCounted = false } = from;
    for (const activity of activities) {
      if (this.stopped) return;
      const { type, conversation } = activity;
      try {
        const received = asReceived(activity, this.serviceUrl());
        if (uploadsCounted) withUploadsCountedOnArrival(received);
        await this.process(clientAddress === undefined ? received : withClientAddress(received, clientAddress));
      } catch (error) {
        this.logger.warn({ err: errorSummary(error), type, conversationId: conversation?.id }, 'web chat: the bot could not take an activity');
      }
    }
  }
}

/** Waits for a promise at most `ms`; the work carries on past that. */
export async function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
