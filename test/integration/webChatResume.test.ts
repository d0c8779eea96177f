import type { Activity } from 'botbuilder';
import { loadConfig } from '../../src/config';
import { DirectLineTokens, TOKEN_LIFETIME_SECONDS } from '../../src/web/webchat/directLineTokens';
import { loadDirectLineKey } from '../../src/web/webchat/tokenKey';
import { startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';

interface PageGrant {
  token: string;
  conversationId: string;
  expires_in: number;
  resume: string;
  resumed: boolean;
}

const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { conv: string; user: string; iat: number; exp: number };

/** What the help page's script relies on to remember a chat on the device (local Direct Line). */
describe('web chat: continuing a conversation from the same device (local Direct Line)', () => {
  let h: Harness;

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(h.url + path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as unknown };
  };
  const pageToken = async (body: Record<string, unknown> = { locale: 'nb-NO' }) => {
    const res = await call('POST', '/api/webchat/token', undefined, body);
    expect(res.status).toBe(200);
    return res.json as PageGrant;
  };
  const activities = async (grant: { conversationId: string; token: string }) => {
    const res = await call('GET', `/v3/directline/conversations/${grant.conversationId}/activities`, grant.token);
    expect(res.status).toBe(200);
    return (res.json as { activities: Array<Partial<Activity>> }).activities;
  };
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    for (let i = 0; ; i++) {
      const value = await read();
      if (done(value) || i > 100) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  let first: PageGrant;

  beforeAll(async () => {
    h = await startApp();
    first = await pageToken();
    expect(first.resumed).toBe(false);
    expect((await call('POST', '/v3/directline/conversations', first.token)).status).toBe(201);
  });
  afterAll(async () => {
    await h.stop();
  });

  it('a refreshed token is for the same conversation and user, and lives the same bounded time from now', async () => {
    const refreshed = await call('POST', '/v3/directline/tokens/refresh', first.token);
    expect(refreshed.status).toBe(200);
    const claims = claimsOf((refreshed.json as PageGrant).token);
    expect(claims).toMatchObject({ conv: first.conversationId, user: claimsOf(first.token).user });
    expect(claims.exp - claims.iat).toBe(TOKEN_LIFETIME_SECONDS);
    expect(claims.exp * 1000).toBeLessThanOrEqual(Date.now() + TOKEN_LIFETIME_SECONDS * 1000 + 1000);
    expect((refreshed.json as PageGrant).expires_in).toBe(TOKEN_LIFETIME_SECONDS);
  });

  it('an expired token cannot be refreshed, and a token for a conversation that is gone gives 404', async () => {
    const key = loadDirectLineKey(loadConfig({ DATA_DIR: h.dataDir }));
    const expired = new DirectLineTokens(key).issue({ conv: first.conversationId, user: claimsOf(first.token).user }, Date.now() - 31 * 60 * 1000).token;
    expect((await call('POST', '/v3/directline/tokens/refresh', expired)).status).toBe(403);
    const gone = new DirectLineTokens(key).issue({ conv: 'goneConversation0001', user: 'dl_someone000000001' }).token;
    expect((await call('POST', '/v3/directline/tokens/refresh', gone)).status).toBe(404);
  });

  it('the resume grant continues the same conversation (no new one), and its token grants that conversation only', async () => {
    const again = await pageToken({ locale: 'en-US', resume: first.resume });
    expect(again).toMatchObject({ conversationId: first.conversationId, resumed: true });
    expect(claimsOf(again.token).user).toBe(claimsOf(first.token).user);
    expect((await call('GET', `/v3/directline/conversations/${first.conversationId}`, again.token)).status).toBe(200);
    const history = await until(
      () => activities(again),
      (all) => all.some((a) => a.from?.role === 'bot'),
    );
    expect(history.some((a) => a.from?.role === 'bot')).toBe(true);

    const other = await pageToken();
    expect(other.conversationId).not.toBe(first.conversationId);
    expect((await call('GET', `/v3/directline/conversations/${other.conversationId}/activities`, again.token)).status).toBe(403);
    expect((await call('POST', `/v3/directline/conversations/${other.conversationId}/activities`, again.token, { type: 'message', text: 'x' })).status).toBe(403);
  });

  it('a resume grant is no Direct Line token, and a Direct Line token no resume grant', async () => {
    expect((await call('GET', `/v3/directline/conversations/${first.conversationId}/activities`, first.resume)).status).toBe(403);
    expect((await call('POST', '/v3/directline/tokens/refresh', first.resume)).status).toBe(403);
    const withToken = await pageToken({ locale: 'nb-NO', resume: first.token });
    expect(withToken.resumed).toBe(false);
    expect(withToken.conversationId).not.toBe(first.conversationId);
    const forged = await pageToken({ locale: 'nb-NO', resume: first.resume.slice(0, -4) + 'AAAA' });
    expect(forged.resumed).toBe(false);
  });

  it('a reserved conversation reconnected to (never started) is started then: the bot welcomes', async () => {
    const reserved = await pageToken();
    const resumed = await pageToken({ resume: reserved.resume });
    expect(resumed).toMatchObject({ conversationId: reserved.conversationId, resumed: true });
    expect((await call('GET', `/v3/directline/conversations/${reserved.conversationId}`, resumed.token)).status).toBe(200);
    const welcome = localeText('nb', 'chat:root.welcome').split('\n')[0]!;
    const all = await until(
      () => activities(resumed),
      (list) => list.some((a) => (a.text ?? '').includes(welcome)),
    );
    expect(all.filter((a) => (a.text ?? '').includes(welcome))).toHaveLength(1);
  });

  it("the bot's activities reply only to activities of the stream that came before them", async () => {
    const grant = { conversationId: first.conversationId, token: first.token };
    await call('POST', `/v3/directline/conversations/${first.conversationId}/activities`, first.token, { type: 'message', text: 'hjelp' });
    const all = await until(
      () => activities(grant),
      (list) => list.filter((a) => a.from?.role === 'bot').length >= 3,
    );
    const seen = new Set<string>();
    for (const activity of all) {
      if (activity.replyToId !== undefined) expect(seen.has(activity.replyToId)).toBe(true);
      if (activity.id) seen.add(activity.id);
    }
    expect(all.some((a) => a.from?.role === 'bot' && a.replyToId !== undefined)).toBe(true);
  });
});
