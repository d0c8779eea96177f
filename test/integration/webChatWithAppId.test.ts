import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { TestChannel } from '../helpers/testChannel';

type ChatLocale = { root: { welcome: string; startQuestion: string }; help: { general: string } };
const locale = (language: 'nb' | 'en') => JSON.parse(fs.readFileSync(path.join(__dirname, `../../locales/${language}/chat.json`), 'utf8')) as ChatLocale;
const firstLine = (text: string) => text.split('\n')[0]!;

interface Grant {
  token: string;
  conversationId: string;
}

/**
 * Production shape without Azure Direct Line: MicrosoftAppId and a password are set (fake: there
 * is no network here, and none is needed), so /api/messages demands Bot Framework JWTs — and the
 * help page's local Direct Line still gets the bot's answers, because it talks to the bot in process.
 */
describe('local Direct Line with MicrosoftAppId set', () => {
  let h: Harness;
  const channel = new TestChannel();
  const outbound: string[] = [];
  const spies: jest.SpyInstance[] = [];

  const call = async (method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const res = await fetch(h.url + route, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };

  const botTextsUntil = async (grant: Grant, done: (texts: string[]) => boolean): Promise<string[]> => {
    const deadline = Date.now() + 15000;
    for (;;) {
      const res = await call('GET', `/v3/directline/conversations/${grant.conversationId}/activities`, grant.token);
      const texts = (res.json as { activities: Array<Partial<Activity>> }).activities
        .filter((a) => a.type === 'message' && a.from?.role === 'bot')
        .map((a) => a.text ?? '');
      if (done(texts)) return texts;
      if (Date.now() > deadline) throw new Error('the bot never answered in web chat: ' + JSON.stringify(texts));
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const startChat = async (pageLocale: string): Promise<Grant> => {
    const grant = (await call('POST', '/api/webchat/token', undefined, { locale: pageLocale })).json as Grant;
    expect((await call('POST', '/v3/directline/conversations', grant.token)).status).toBe(201);
    return grant;
  };

  beforeAll(async () => {
    await channel.start();
    h = await startApp({
      MicrosoftAppType: 'MultiTenant',
      MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppPassword: 'not-a-real-password-for-tests',
    });
    // every outbound HTTP request the app makes from here on (a token fetch would show up here)
    for (const module of [http, https]) {
      const original = module.request.bind(module) as (...args: unknown[]) => http.ClientRequest;
      spies.push(
        jest.spyOn(module, 'request').mockImplementation(((...args: unknown[]) => {
          const target = args[0];
          outbound.push(target instanceof URL ? target.host : typeof target === 'string' ? new URL(target).host : String((target as http.RequestOptions).host ?? (target as http.RequestOptions).hostname));
          return original(...args);
        }) as typeof http.request),
      );
    }
  });
  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await h.stop();
    await channel.stop();
  });

  it('refuses an unauthenticated post to /api/messages (401) and posts nothing', async () => {
    const res = await h.post(channelActivity(channel.serviceUrl, 'no-jwt', { text: 'hei', locale: 'nb-NO' }));
    expect(res.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(channel.messagesTo('no-jwt')).toEqual([]);
  });

  it.each([
    ['nb', 'nb-NO', 'hjelp'],
    ['en', 'en-US', 'help'],
  ] as const)('the web chat gets the welcome and answers in %s', async (language, pageLocale, help) => {
    const strings = locale(language);
    const grant = await startChat(pageLocale);
    const welcome = await botTextsUntil(grant, (texts) => texts.some((t) => t.includes(strings.root.startQuestion)));
    expect(welcome.map(firstLine)).toContain(firstLine(strings.root.welcome));

    const sent = await call('POST', `/v3/directline/conversations/${grant.conversationId}/activities`, grant.token, {
      type: 'message',
      text: help,
      from: { id: 'ignored' },
    });
    expect(sent.status).toBe(200);
    const texts = await botTextsUntil(grant, (all) => all.some((t) => t.includes(firstLine(strings.help.general))));
    expect(texts.length).toBeGreaterThan(welcome.length);
  });

  it('delivers a proactive message to the web chat in process too', async () => {
    const grant = await startChat('en-US');
    await botTextsUntil(grant, (texts) => texts.length >= 1);
    await h.app.adapter.continueConversationAsync(
      '00000000-0000-4000-8000-000000000001',
      {
        channelId: 'webchat',
        serviceUrl: `${h.url}/directline/connector`,
        conversation: { id: grant.conversationId, isGroup: false, conversationType: 'personal', name: '' },
        bot: { id: 'onboarding-bot', name: 'bot' },
        user: { id: 'user', name: '' },
      },
      async (context) => {
        await context.sendActivity('Your email address is confirmed.');
      },
    );
    await botTextsUntil(grant, (texts) => texts.includes('Your email address is confirmed.'));
  });

  it('needed no token and no network for any of it', () => {
    expect(outbound.filter((host) => !/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host))).toEqual([]);
    expect(h.logs.text).not.toContain('not-a-real-password-for-tests');
  });
});
