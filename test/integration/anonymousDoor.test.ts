import fs from 'node:fs';
import path from 'node:path';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { TestChannel } from '../helpers/testChannel';

const nbLocale = JSON.parse(fs.readFileSync(path.join(__dirname, '../../locales/nb/chat.json'), 'utf8')) as { root: { startQuestion: string } };
const enLocale = JSON.parse(fs.readFileSync(path.join(__dirname, '../../locales/en/chat.json'), 'utf8')) as { root: { startQuestion: string } };

/** No turn ran for this activity: the activity log never saw its id (so the bot posted nothing anywhere). */
const noTurnFor = (h: Harness, activityId: string | undefined) => expect(h.logs.text).not.toContain(`"activityId":"${activityId}"`);

describe('anonymous /api/messages (no MicrosoftAppId): only the Emulator on this machine', () => {
  let h: Harness;
  const channel = new TestChannel();

  beforeAll(async () => {
    await channel.start();
    h = await startApp();
  });
  afterAll(async () => {
    await h.stop();
    await channel.stop();
  });

  it('answers a loopback caller whose serviceUrl is on this machine, in nb and en', async () => {
    for (const [conversation, text, locale, question] of [
      ['door-nb', 'hei', 'nb-NO', nbLocale.root.startQuestion],
      ['door-en', 'hello', 'en-US', enLocale.root.startQuestion],
    ] as const) {
      const res = await h.post(channelActivity(channel.serviceUrl, conversation, { text, locale }));
      expect(res.status).toBe(200);
      const messages = await channel.waitForMessages(conversation, 2);
      expect(messages.join('\n')).toContain(question.split('{{')[0]!.trim());
    }
  });

  it.each(['http://10.0.0.1', 'http://example.com', 'https://smba.trafficmanager.net/emea/', 'http://169.254.169.254/latest'])(
    'refuses a serviceUrl that is not on this machine (%s): 403, no turn, nothing posted',
    async (serviceUrl) => {
      const activity = channelActivity(serviceUrl, `elsewhere-${serviceUrl.length}`, { text: 'hei', locale: 'nb-NO' });
      const res = await h.post(activity);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'Forbidden', message: expect.stringContaining('serviceUrl is not on this machine') } });
      await new Promise((resolve) => setTimeout(resolve, 200));
      noTurnFor(h, activity.id);
    },
  );

  it('refuses a forged task/fetch that would post to another host', async () => {
    const activity = channelActivity('http://198.51.100.9', 'forged-fetch', {
      type: 'invoke',
      name: 'task/fetch',
      channelId: 'msteams',
      value: { data: { action: 'setPassword' } },
      text: undefined,
    });
    const res = await h.post(activity);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toMatch(/https?:\/\/127\.0\.0\.1[^"]*token=/);
    noTurnFor(h, activity.id);
  });

  it('refuses a caller behind a proxy (X-Forwarded-For): it is not on this machine', async () => {
    const activity = channelActivity(channel.serviceUrl, 'proxied', { text: 'hei', locale: 'nb-NO' });
    const res = await h.post(activity, { 'X-Forwarded-For': '203.0.113.7' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'Forbidden', message: expect.stringContaining('caller is not on this machine') } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(channel.messagesTo('proxied')).toEqual([]);
    noTurnFor(h, activity.id);
  });

  it.each([
    ['no type', { text: 'hei' }],
    ['a number as type', { type: 42 }],
    ['an empty type', { type: '' }],
    ['an object as type', { type: { message: true } }],
  ])('answers 400 (not 500) for an activity with %s', async (_label, fields) => {
    const activity: Record<string, unknown> = { ...channelActivity(channel.serviceUrl, 'typeless', { text: 'hei' }), ...fields };
    if (!('type' in fields)) delete activity.type;
    const res = await fetch(`${h.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'BadArgument', message: 'The activity has no valid type.' } });
    expect(body).not.toContain('validateAndFixActivity');
  });

  it('answers 400 for a body that is not a JSON object', async () => {
    for (const body of ['[1,2]', '"message"', 'null']) {
      const res = await fetch(`${h.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status).toBe(400);
    }
    const text = await fetch(`${h.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hei' });
    expect(text.status).toBe(400);
  });
});

describe('ALLOW_ANONYMOUS=true', () => {
  let h: Harness;
  const channel = new TestChannel();

  beforeAll(async () => {
    await channel.start();
    h = await startApp({ ALLOW_ANONYMOUS: 'true' });
  });
  afterAll(async () => {
    await h.stop();
    await channel.stop();
  });

  it('warns loudly at start', () => {
    const warning = h.logs.lines.find((line) => line.includes('ALLOW_ANONYMOUS=true'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, msg: expect.stringContaining('from ANY address') });
  });

  it('accepts a caller that is not on this machine', async () => {
    const res = await h.post(channelActivity(channel.serviceUrl, 'open-door', { text: 'hello', locale: 'en-US' }), { 'X-Forwarded-For': '203.0.113.7' });
    expect(res.status).toBe(200);
    await channel.waitForMessages('open-door', 2);
  });

  it('still never lets a caller name the in-process web chat connector as its serviceUrl', async () => {
    const res = await h.post(channelActivity(`${h.url}/directline/connector`, 'webchat-forged', { text: 'hei', channelId: 'webchat' }));
    expect(res.status).toBe(403);
  });
});
