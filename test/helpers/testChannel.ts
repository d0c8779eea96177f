import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';

/**
 * A small stand-in for a Bot Framework channel: the bot's replies (and proactive messages)
 * are posted here, to {serviceUrl}/v3/conversations/{id}/activities[/{replyToId}].
 */
export class TestChannel {
  readonly received: Array<Partial<Activity>> = [];
  private server?: http.Server;
  private waiters: Array<() => void> = [];
  serviceUrl = '';
  /** Status code returned for posts to a conversation (e.g. 403 to simulate a blocked bot). */
  readonly statusFor = new Map<string, number>();
  /** Retry-After header sent with a refusal (statusFor) of posts to a conversation (e.g. '2' with a 429). */
  readonly retryAfterFor = new Map<string, string>();
  /** Every post, answered or refused: to which conversation, when it arrived (Date.now) and the status answered. */
  readonly posts: Array<{ conversationId: string; at: number; status: number }> = [];
  /** Milliseconds to wait before answering a post (a slow channel keeps the bot's turn running). */
  delayMs = 0;
  /** Posts the bot gave up on (closed before they were answered). */
  aborted = 0;
  private gate?: Promise<void>;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      let answered = false;
      res.on('close', () => {
        if (!answered) this.aborted += 1;
      });
      req.on('end', () => void (this.gate ?? Promise.resolve()).then(() => setTimeout(() => {
        answered = true;
        const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
        const conversationId = match ? decodeURIComponent(match[1]!) : '';
        const status = this.statusFor.get(conversationId) ?? 200;
        this.posts.push({ conversationId, at: Date.now(), status });
        if (status === 200 && body) {
          this.received.push(JSON.parse(body) as Partial<Activity>);
          this.waiters.splice(0).forEach((wake) => wake());
        }
        const retryAfter = status === 200 ? undefined : this.retryAfterFor.get(conversationId);
        res.writeHead(status, { 'content-type': 'application/json', ...(retryAfter !== undefined ? { 'retry-after': retryAfter } : {}) });
        res.end(JSON.stringify({ id: `reply-${this.received.length}` }));
      }, this.delayMs)));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /**
   * Holds every post (taken in, not answered, like a channel that hangs) until the returned
   * release is called: a request that waits for the chat cannot finish while it is held.
   */
  hold(): () => void {
    let release: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = undefined;
      release();
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  messagesTo(conversationId: string): string[] {
    return this.received
      .filter((a) => a.conversation?.id === conversationId && a.type === 'message')
      .map((a) => a.text ?? '');
  }

  /** Waits until `count` messages have reached the conversation (fails after the timeout). */
  async waitForMessages(conversationId: string, count: number, timeoutMs = 10000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messagesTo(conversationId).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} messages to ${conversationId}, got: ${JSON.stringify(this.messagesTo(conversationId))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messagesTo(conversationId);
  }
}
