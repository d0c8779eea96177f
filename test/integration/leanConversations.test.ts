import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConversationReference } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials } from 'botframework-connector';
import { OnboardingAdapter } from '../../src/web/inProcessAdapter';
import { proxyConfigured } from '../../src/web/leanConversations';
import { outcomeOf, statusOf } from '../../src/bot/notifyTurns';
import { ConnectorError } from '../../src/web/connectorResults';

interface Received {
  url: string;
  authorization?: string;
  contentType?: string;
  body: Record<string, unknown>;
}

/** A channel whose answers the test scripts, one per request (then 200 with an id). */
class ScriptedChannel {
  readonly received: Received[] = [];
  readonly answers: Array<{ status: number; body?: unknown; headers?: Record<string, string> }> = [];
  private server?: http.Server;
  serviceUrl = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        this.received.push({ url: req.url ?? '', authorization: req.headers.authorization, contentType: req.headers['content-type'], body: JSON.parse(body) as Record<string, unknown> });
        const answer = this.answers.shift() ?? { status: 200, body: { id: `activity-${this.received.length}` } };
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.serviceUrl = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/teams/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

const APP_ID = '00000000-0000-0000-0000-00000000b07a';

describe('sends and replies to a channel, as plain POSTs signed with the bot credential', () => {
  const channel = new ScriptedChannel();
  let adapter: OnboardingAdapter;
  beforeAll(async () => {
    await channel.start();
    // the token is Entra ID's business (MSAL inside the SDK's credentials); the signing is ours
    jest.spyOn(MicrosoftAppCredentials.prototype, 'getToken').mockResolvedValue('token-from-entra');
    adapter = new OnboardingAdapter({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppType: 'MultiTenant' });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await channel.stop();
  });
  beforeEach(() => {
    channel.received.length = 0;
    channel.answers.length = 0;
  });

  const reference = (activityId?: string): Partial<ConversationReference> => ({
    channelId: 'msteams',
    serviceUrl: channel.serviceUrl,
    conversation: { id: 'a:1Teams/conv;messageid=42', isGroup: false, conversationType: 'personal', name: '' },
    user: { id: '29:user', name: 'Kari' },
    bot: { id: `28:${APP_ID}`, name: 'bot' },
    ...(activityId ? { activityId } : {}),
  });

  async function say(text: string, activityId?: string): Promise<string | undefined> {
    let id: string | undefined;
    await adapter.continueConversationAsync(APP_ID, reference(activityId), async (context) => {
      // the continuation activity has an id of its own (a reply, then); a notice goes to the conversation
      context.activity.id = activityId;
      id = (await context.sendActivity(text))?.id;
    });
    return id;
  }

  it('posts a new message to the conversation with the bearer token, as JSON, and returns the channel\'s id', async () => {
    expect(await say('Hei Kari')).toBe('activity-1');
    expect(channel.received).toHaveLength(1);
    const [sent] = channel.received;
    expect(sent!.url).toBe(`/teams/v3/conversations/${encodeURIComponent('a:1Teams/conv;messageid=42')}/activities`);
    expect(sent!.authorization).toBe('Bearer token-from-entra');
    expect(sent!.contentType).toMatch(/^application\/json/);
    expect(sent!.body).toMatchObject({ type: 'message', text: 'Hei Kari', conversation: { id: 'a:1Teams/conv;messageid=42' }, recipient: { id: '29:user' } });
  });

  it('replies to an activity at its own path', async () => {
    await say('svar', '1700000000000/1');
    expect(channel.received[0]!.url).toBe(`/teams/v3/conversations/${encodeURIComponent('a:1Teams/conv;messageid=42')}/activities/${encodeURIComponent('1700000000000/1')}`);
    expect(channel.received[0]!.body).toMatchObject({ text: 'svar', replyToId: '1700000000000/1' });
  });

  it('tries again after a 429 (waiting as Retry-After says) and after a 502, and sends once', async () => {
    channel.answers.push({ status: 429, headers: { 'retry-after': '0' } }, { status: 502 });
    expect(await say('tredje gang')).toBe('activity-3');
    expect(channel.received.map((r) => r.body.text)).toEqual(['tredje gang', 'tredje gang', 'tredje gang']);
  });

  const failureOf = (text: string) =>
    say(text).then(
      () => undefined,
      (error: unknown) => error,
    );

  it.each([
    ['120', 120_000],
    ['99999999', 99_999_999_000],
    ['an HTTP date two minutes ahead', 120_000],
  ])('a 429 whose Retry-After (%s) is over a minute is not waited for inside the turn: it fails at once, the error saying how long the channel asked', async (header, asked) => {
    const value = header.startsWith('an HTTP date') ? new Date(Date.now() + 120_000).toUTCString() : header;
    channel.answers.push({ status: 429, headers: { 'retry-after': value } });
    const started = Date.now();
    const throttled = await failureOf('vent litt');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(channel.received).toHaveLength(1);
    expect(statusOf(throttled)).toBe(429);
    const { retryAfterMs } = throttled as { retryAfterMs?: number };
    // an HTTP date has whole seconds
    expect(retryAfterMs).toBeGreaterThan(asked - 2_000);
    expect(retryAfterMs).toBeLessThanOrEqual(asked);
  }, 10_000);

  it('after the last attempt the error carries the channel\'s last Retry-After; a garbled one is no wait asked (the backoff applies)', async () => {
    channel.answers.push(...Array.from({ length: 3 }, () => ({ status: 429, headers: { 'retry-after': '0' } })), { status: 503, headers: { 'retry-after': '30' } });
    const unavailable = await failureOf('x');
    expect(channel.received).toHaveLength(4);
    expect(unavailable).toMatchObject({ statusCode: 503, retryAfterMs: 30_000 });

    channel.received.length = 0;
    channel.answers.push(...Array.from({ length: 4 }, () => ({ status: 429, headers: { 'retry-after': 'soon, please' } })));
    const throttled = await failureOf('y');
    expect(channel.received).toHaveLength(4);
    expect(statusOf(throttled)).toBe(429);
    expect((throttled as { retryAfterMs?: number }).retryAfterMs).toBeUndefined();
  }, 30_000);

  it('gives up with the status (which the notifier reads) after four 503s, and at once on a 404 with its code', async () => {
    channel.answers.push(...Array.from({ length: 4 }, () => ({ status: 503 })));
    const unavailable = await say('x').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(statusOf(unavailable)).toBe(503);
    expect(channel.received).toHaveLength(4);

    channel.received.length = 0;
    channel.answers.push({ status: 404, body: { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } } });
    const gone = await say('borte').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(statusOf(gone)).toBe(404);
    expect(gone).toMatchObject({ code: 'ConversationNotFound' });
    expect(channel.received).toHaveLength(1);
  }, 30_000);
});

describe('anonymous (the Emulator on this machine)', () => {
  it('sends without an Authorization header', async () => {
    const channel = new ScriptedChannel();
    await channel.start();
    try {
      const adapter = new OnboardingAdapter({});
      await adapter.continueConversationAsync('', { channelId: 'emulator', serviceUrl: channel.serviceUrl, conversation: { id: 'c1', isGroup: false, conversationType: 'personal', name: '' }, user: { id: 'u1', name: '' } }, async (context) => {
        await context.sendActivity('hello');
      });
      expect(channel.received).toHaveLength(1);
      expect(channel.received[0]!.authorization).toBeUndefined();
      expect(channel.received[0]!.body).toMatchObject({ text: 'hello' });
    } finally {
      await channel.stop();
    }
  });
});

describe('with an HTTP proxy configured', () => {
  it('the SDK pipeline (which routes through the proxy) sends instead', () => {
    expect(proxyConfigured({ HTTPS_PROXY: 'http://proxy.internal:3128' })).toBe(true);
    expect(proxyConfigured({ http_proxy: 'http://proxy.internal:3128' })).toBe(true);
    expect(proxyConfigured({})).toBe(false);
  });
});

describe('how a refused send is reported to the notifier, with the channel\'s Retry-After', () => {
  it('from a lean send\'s ConnectorError, also wrapped as botbuilder-dialogs wraps it; a refusal of the conversation or a garbled header asks for no wait', () => {
    expect(outcomeOf(new ConnectorError(429, undefined, 2_000))).toEqual({ kind: 'failed', status: 429, error: 'ConnectorError', retryAfterMs: 2_000 });
    expect(outcomeOf({ error: new ConnectorError(503, undefined, 7_000) })).toMatchObject({ kind: 'failed', status: 503, retryAfterMs: 7_000 });
    expect(outcomeOf(new ConnectorError(429, undefined))).not.toHaveProperty('retryAfterMs');
    expect(outcomeOf(new ConnectorError(403, undefined, 2_000))).toEqual({ kind: 'unreachable', status: 403 });
  });

  it('from the SDK pipeline\'s RestError (an HTTP proxy configured): the header of the last answer', async () => {
    const channel = new ScriptedChannel();
    await channel.start();
    try {
      const client = new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: channel.serviceUrl });
      const send = () => client.conversations.sendToConversation('c1', { type: 'message', text: 'hei' }).then(() => undefined, (error: unknown) => error);
      // the SDK retries three times itself (Retry-After 0), then gives up with the fourth answer
      channel.answers.push(...Array.from({ length: 3 }, () => ({ status: 429, headers: { 'retry-after': '0' } })), { status: 503, headers: { 'retry-after': '7' } });
      expect(outcomeOf(await send())).toEqual({ kind: 'failed', status: 503, error: 'RestError', retryAfterMs: 7_000 });
      channel.answers.push(...Array.from({ length: 4 }, () => ({ status: 503, headers: { 'retry-after': 'later' } })));
      expect(outcomeOf(await send())).not.toHaveProperty('retryAfterMs');
    } finally {
      await channel.stop();
    }
  }, 30_000);
});
