import http from 'node:http';
import https from 'node:https';
import type { Activity } from 'botbuilder';
import type { Logger } from '../../logger';

const RELAY_TIMEOUT_MS = 60_000;
/** The routes the bot's replies are posted to (its serviceUrl). */
export const CONNECTOR_PREFIX = '/directline/connector';

/** POSTs JSON without keep-alive (so shutting the server down never waits for an idle socket). */
function postJson(url: string, body: unknown, timeoutMs: number): Promise<number> {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        timeout: timeoutMs,
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(payload.length), Connection: 'close' },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer from the bot within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/**
 * Hands activities to the bot's Bot Framework endpoint (POST <localUrl>/api/messages), as a
 * channel does. Every delivery is tracked so shutdown can wait for the ones under way.
 */
export class BotRelay {
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly localUrl: () => string,
    private readonly logger: Logger,
  ) {}

  /** This server as the bot reaches it (attachment URLs given to the bot are under it). */
  localBase(): string {
    return this.localUrl();
  }

  /** The serviceUrl the bot answers to (the connector routes). */
  serviceUrl(): string {
    return `${this.localUrl()}${CONNECTOR_PREFIX}`;
  }

  /** Delivers in order; resolves when the bot has answered (never rejects: failures are logged). */
  deliver(activities: Array<Partial<Activity>>): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const delivery = this.deliverInOrder(activities).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
    return delivery;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.pending]);
  }

  private async deliverInOrder(activities: Array<Partial<Activity>>): Promise<void> {
    for (const activity of activities) {
      if (this.stopped) return;
      const { type, conversation } = activity;
      try {
        const status = await postJson(`${this.localUrl()}/api/messages`, { ...activity, serviceUrl: this.serviceUrl() }, RELAY_TIMEOUT_MS);
        if (status < 200 || status >= 300) this.logger.warn({ status, type, conversationId: conversation?.id }, 'web chat: the bot did not accept an activity');
      } catch (error) {
        this.logger.warn({ err: error, type, conversationId: conversation?.id }, 'web chat: could not reach the bot');
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
