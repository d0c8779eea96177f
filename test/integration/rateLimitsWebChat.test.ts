import type { Activity } from 'botbuilder';
import QRCode from 'qrcode';
import type { Language } from '../../src/domain/language';
import { startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { latestCodeIn } from '../helpers/mailCodes';
import { rewriteInstaller } from '../helpers/installerFixture';
import { limitTextsWithin, wellInsideRateWindow } from '../helpers/rateWindows';

/**
 * A new web chat is a new user (the page hands out a new user id with every conversation), so a
 * per-user limit alone resets with every chat. These tests go through the local Direct Line over
 * HTTP, as the help page's Web Chat does, and show the client address keeps the count.
 */

interface Grant {
  token: string;
  conversationId: string;
}

/** A client address of its own for this run (the store may keep another run's counts). */
function uniqueClient(): string {
  const n = Math.floor(Math.random() * 2 ** 24);
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** `texts` holds exactly one of the limit's sentences, with the wait the window had left between `before` and `after`. */
function expectToldOnce(texts: string[], language: Language, key: string, window: { seconds: number; before: number; after: number }): void {
  const told = limitTextsWithin(language, key, window);
  expect(texts.filter((text) => told.includes(text))).toHaveLength(1);
}

/** One person's Web Chat on the help page: a conversation from the token route, spoken to over Direct Line. */
class WebChat {
  private watermark = '';
  private readonly seen: Array<Partial<Activity>> = [];

  private constructor(
    private readonly url: string,
    private readonly client: string,
    private readonly locale: string,
    private readonly grant: Grant,
  ) {}

  static async open(url: string, client: string, locale: string): Promise<WebChat> {
    const res = await fetch(`${url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify({ locale }) });
    expect(res.status).toBe(200);
    const grant = (await res.json()) as Grant;
    const chat = new WebChat(url, client, locale, grant);
    expect((await chat.call('POST', '/v3/directline/conversations')).status).toBe(201);
    await chat.waitFor((texts) => texts.length > 0); // the welcome
    return chat;
  }

  private call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(this.url + path, {
      method,
      headers: { authorization: `Bearer ${this.grant.token}`, 'x-forwarded-for': this.client, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Sends a message; resolves when the bot's turn for it is over (the POST waits for it). */
  async say(text: string): Promise<void> {
    const res = await this.call('POST', `/v3/directline/conversations/${this.grant.conversationId}/activities`, { type: 'message', text, locale: this.locale, from: { id: 'ignored' } });
    expect(res.status).toBe(200);
  }

  /** Sends files through the upload route, as Web Chat does (one multipart POST); resolves when the bot's turn for them is over. */
  upload(files: Array<{ bytes: Buffer; type: string; name: string }>): Promise<Response> {
    const form = new FormData();
    form.append('activity', new Blob([JSON.stringify({ type: 'message', locale: this.locale })], { type: 'application/vnd.microsoft.activity' }));
    for (const file of files) form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
    return fetch(`${this.url}/v3/directline/conversations/${this.grant.conversationId}/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.grant.token}`, 'x-forwarded-for': this.client },
      body: form,
    });
  }

  /** Every bot message of the conversation so far. */
  async botTexts(): Promise<string[]> {
    const res = await this.call('GET', `/v3/directline/conversations/${this.grant.conversationId}/activities?watermark=${this.watermark}`);
    expect(res.status).toBe(200);
    const set = (await res.json()) as { activities: Array<Partial<Activity>>; watermark: string };
    this.watermark = set.watermark;
    this.seen.push(...set.activities);
    return this.seen.filter((a) => a.type === 'message' && a.from?.role === 'bot').map((a) => a.text ?? '');
  }

  async waitFor(done: (texts: string[]) => boolean, timeoutMs = 15_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const texts = await this.botTexts();
      if (done(texts)) return texts;
      if (Date.now() > deadline) throw new Error(`the bot never said it; it said: ${JSON.stringify(texts)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The bot messages after the first `count`, once nothing new has come for a moment. */
  async textsAfter(count: number): Promise<string[]> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return (await this.botTexts()).slice(count);
  }
}

describe.each<[Language, string, string]>([
  ['nb', 'nb-NO', 'hei'],
  ['en', 'en-GB', 'hi'],
])('web chat limits per client address in %s', (language, locale, greeting) => {
  const yes = localeText(language, 'chat:choice.yes');
  const region = localeText(language, 'registration:region.global');
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  // several turns per test: none may straddle the minute (the windows are aligned to it)
  beforeEach(() => wellInsideRateWindow(25_000));

  it('a new web chat from the same address is still limited, and is told once when to try again', async () => {
    h = await startApp({ TRUSTED_PROXIES: '127.0.0.1,::1', RATE_LIMITS: 'messages=100/60,messagesPerAddress=3/60' });
    const client = uniqueClient();
    const first = await WebChat.open(h.url, client, locale);
    for (let i = 0; i < 3; i++) await first.say(greeting);
    const answered = (await first.botTexts()).length;

    const second = await WebChat.open(h.url, client, locale); // a new conversation: a new user id
    const welcomed = (await second.botTexts()).length;
    const before = Date.now();
    await second.say(greeting);
    await second.say(greeting);
    await second.say(greeting);
    const after = Date.now();
    const toldSecond = await second.textsAfter(welcomed);
    expect(toldSecond).toHaveLength(1);
    expectToldOnce(toldSecond, language, 'limits:messages', { seconds: 60, before, after });

    // the first chat was under its own limit, its address is not: told once as well, then quiet
    const beforeFirst = Date.now();
    await first.say(greeting);
    await first.say(greeting);
    const toldFirst = await first.textsAfter(answered);
    expect(toldFirst).toHaveLength(1);
    expectToldOnce(toldFirst, language, 'limits:messages', { seconds: 60, before: beforeFirst, after: Date.now() });

    // a chat from another address is answered as usual
    const elsewhere = await WebChat.open(h.url, uniqueClient(), locale);
    const count = (await elsewhere.botTexts()).length;
    await elsewhere.say(greeting);
    const reply = await elsewhere.textsAfter(count);
    expect(reply.length).toBeGreaterThan(0);
    expect(reply.filter((text) => limitTextsWithin(language, 'limits:messages', { seconds: 60, before: 0, after: 59_999 }).includes(text))).toEqual([]);
  });

  it('the address is the one the server saw: a forged X-Forwarded-For (no trusted proxy) does not give a new chat a fresh budget', async () => {
    h = await startApp({ RATE_LIMITS: 'messagesPerAddress=2/60' });
    const first = await WebChat.open(h.url, uniqueClient(), locale);
    await first.say(greeting);
    await first.say(greeting);
    const second = await WebChat.open(h.url, uniqueClient(), locale); // "from" another address, says the header
    const welcomed = (await second.botTexts()).length;
    const before = Date.now();
    await second.say(greeting);
    const told = await second.textsAfter(welcomed);
    expect(told).toHaveLength(1);
    expectToldOnce(told, language, 'limits:messages', { seconds: 60, before, after: Date.now() });
  });

  /** Greeting → "yes, register" → region → the address → "yes, that's it": the bot mails a code (or refuses). */
  async function askForCode(chat: WebChat, email: string): Promise<void> {
    for (const text of [greeting, yes, region, email, yes]) await chat.say(text);
  }

  it('"send link": a new web chat from the same address asking for a code is told when to try again', async () => {
    h = await startApp({ TRUSTED_PROXIES: '127.0.0.1,::1', RATE_LIMITS: 'sendLinkPerAddress=1/60' });
    const client = uniqueClient();
    const first = await WebChat.open(h.url, client, locale);
    await askForCode(first, `forste.${language}@firma.example`);
    expect((await first.botTexts()).at(-1)).toContain(localeText(language, 'registration:code.sent', { email: `forste.${language}@firma.example`, minutes: 10 }).split('\n')[0]!);

    const second = await WebChat.open(h.url, client, locale);
    const before = Date.now();
    await askForCode(second, `andre.${language}@firma.example`);
    const after = Date.now();
    expectToldOnce(await second.textsAfter(0), language, 'limits:sendLink', { seconds: 60, before, after });
  });

  it('photos at the on-site step: each photo sent through the upload route is counted once, so `uploads` allows as many as it says', async () => {
    h = await startApp({ TRUSTED_PROXIES: '127.0.0.1,::1', RATE_LIMITS: 'uploads=4/600' });
    const chat = await WebChat.open(h.url, uniqueClient(), locale);
    const email = `foto.${language}@firma.example`;
    await askForCode(chat, email);
    await chat.say(await latestCodeIn(h.dataDir, h.app.services.mailer, email));
    await rewriteInstaller(h.app.store, email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'active' }));
    await chat.say('ok');
    const photo = { bytes: await QRCode.toBuffer('no mac here', { type: 'png', width: 200 }), type: 'image/png', name: 'IMG_1.png' };

    for (let i = 1; i <= 4; i++) {
      const told = (await chat.botTexts()).length;
      expect((await chat.upload([photo])).status).toBe(200);
      const answer = await chat.textsAfter(told);
      expect(answer).toHaveLength(1);
      expect(answer[0]).toContain(localeText(language, 'chat:station.noQrInPhoto'));
    }
    const told = (await chat.botTexts()).length;
    const before = Date.now();
    const refused = await chat.upload([photo]);
    const after = Date.now();
    expect(refused.status).toBe(429);
    const wait = await chat.textsAfter(told);
    expect(wait).toHaveLength(1);
    expectToldOnce(wait, language, 'limits:uploads', { seconds: 600, before, after });
  });

  it('registrations: a new web chat from the same address registering is told when to try again, and nothing is created', async () => {
    h = await startApp({ TRUSTED_PROXIES: '127.0.0.1,::1', RATE_LIMITS: 'registrationsPerAddress=1/3600' });
    const harness = h;
    const client = uniqueClient();
    const register = async (email: string): Promise<string[]> => {
      const chat = await WebChat.open(harness.url, client, locale);
      await askForCode(chat, email);
      await chat.say(await latestCodeIn(harness.dataDir, harness.app.services.mailer, email));
      return chat.botTexts();
    };
    const first = `reg.en.${language}@firma.example`;
    await register(first);
    expect(await harness.app.services.installers.get(first)).toBeDefined();

    const second = `reg.to.${language}@firma.example`;
    const before = Date.now();
    const texts = await register(second);
    const after = Date.now();
    expectToldOnce(texts, language, 'limits:registrations', { seconds: 3600, before, after });
    expect(await harness.app.services.installers.get(second)).toBeUndefined();
  });
});
