import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { TestChannel } from '../helpers/testChannel';
import { latestCodeIn } from '../helpers/mailCodes';
import { rewriteInstaller } from '../helpers/installerFixture';

const BOT = { id: '28:bot-id', name: 'Installer assistant' };

function teams(serviceUrl: string, conversationId: string, fields: Record<string, unknown>) {
  return channelActivity(serviceUrl, conversationId, {
    channelId: 'msteams',
    recipient: BOT,
    from: { id: `29:user-${conversationId}`, name: 'Kari', aadObjectId: '00000000-0000-0000-0000-000000000001' },
    conversation: { id: `a:${conversationId}`, conversationType: 'personal', isGroup: false, name: '', tenantId: 'tenant' },
    channelData: { tenant: { id: 'tenant' } },
    ...fields,
  });
}

describe('Microsoft Teams', () => {
  let t: Translator;
  let h: Harness;
  const channel = new TestChannel();

  beforeAll(async () => {
    t = await createTranslator();
    await channel.start();
    h = await startApp();
  });
  afterAll(async () => {
    await h.stop();
    await channel.stop();
  });

  it('welcomes on install although Teams sends no locale: asks the language with buttons', async () => {
    const res = await h.post(teams(channel.serviceUrl, 'install', { type: 'conversationUpdate', membersAdded: [BOT], text: undefined, locale: undefined }));
    expect(res.status).toBe(200);
    const [question] = await channel.waitForMessages('a:install', 1);
    expect(question).toContain(t.t('nb', 'chat:language.question'));
    expect(question).toContain(t.t('en', 'chat:language.question'));
    const sent = channel.received.find((a) => a.conversation?.id === 'a:install')!;
    const buttons = (sent.attachments?.[0]?.content as { buttons?: Array<{ title: string }> } | undefined)?.buttons?.map((b) => b.title);
    expect(buttons).toEqual([t.t('nb', 'chat:language.nb'), t.t('en', 'chat:language.en')]);
    // the user taps "English": the English welcome follows
    await h.post(teams(channel.serviceUrl, 'install', { text: 'English', locale: undefined }));
    const messages = await channel.waitForMessages('a:install', 3);
    expect(messages[1]!.split('\n')[0]).toBe(t.t('en', 'chat:root.welcome').split('\n')[0]);
    // a second conversationUpdate (Teams re-sends it) does not welcome again
    await h.post(teams(channel.serviceUrl, 'install', { type: 'conversationUpdate', membersAdded: [BOT], text: undefined }));
    await new Promise((r) => setTimeout(r, 200));
    expect(channel.messagesTo('a:install')).toHaveLength(3);
  });

  it('removes the @mention before reading the text', async () => {
    await h.post(
      teams(channel.serviceUrl, 'mention', {
        text: '<at>Installer assistant</at> hjelp',
        locale: 'nb-NO',
        entities: [{ type: 'mention', text: '<at>Installer assistant</at>', mentioned: BOT }],
      }),
    );
    const [first] = await channel.waitForMessages('a:mention', 1);
    // "hjelp" as the first message: help, then the journey begins
    expect(first).toContain(t.t('nb', 'chat:help.general'));
  });

  it('opens the password page as a Teams dialog: task/fetch answers with the page URL, task/submit closes it', async () => {
    const conversation = 'task';
    const say = (text: string) => h.post(teams(channel.serviceUrl, conversation, { text, locale: 'en-US' }));
    await say('hi');
    await channel.waitForMessages(`a:${conversation}`, 2);
    await say('yes');
    await channel.waitForMessages(`a:${conversation}`, 3);
    await say('1');
    await channel.waitForMessages(`a:${conversation}`, 4);
    await say('teams.user@example.com');
    await channel.waitForMessages(`a:${conversation}`, 5);
    // the address shown back, confirmed
    await say('yes');
    await channel.waitForMessages(`a:${conversation}`, 6);
    await say(await latestCodeIn(h.dataDir, h.app.services.mailer, 'teams.user@example.com'));
    await channel.waitForMessages(`a:${conversation}`, 7);
    const prompt = channel.received.filter((a) => a.conversation?.id === `a:${conversation}`).at(-1)!;
    const card = prompt.attachments?.[0];
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const action = (card?.content as { actions: Array<{ data: Record<string, unknown> }> }).actions[0]!;
    expect(action.data).toMatchObject({ msteams: { type: 'task/fetch' } });

    const fetchRes = await h.post(teams(channel.serviceUrl, conversation, { type: 'invoke', name: 'task/fetch', value: { data: action.data }, text: undefined }));
    expect(fetchRes.status).toBe(200);
    const body = (await fetchRes.json()) as { task: { type: string; value: { url: string; title: string } } };
    expect(body.task.type).toBe('continue');
    expect(body.task.value.title).toBe(t.t('en', 'registration:password.button'));
    // the page knows it is a Teams dialog: its success page closes the dialog
    expect(new URL(body.task.value.url).searchParams.get('host')).toBe('teams');
    const page = await fetch(body.task.value.url);
    expect(page.status).toBe(200);

    const submitRes = await h.post(teams(channel.serviceUrl, conversation, { type: 'invoke', name: 'task/submit', value: { data: { passwordSet: true } }, text: undefined }));
    expect(submitRes.status).toBe(200);
  });

  it('opens the station scan page as a Teams dialog for an installer with an account', async () => {
    const conversation = 'onsite';
    const say = (text: string) => h.post(teams(channel.serviceUrl, conversation, { text, locale: 'nb-NO' }));
    await say('hei');
    await channel.waitForMessages(`a:${conversation}`, 2);
    await say('ja');
    await channel.waitForMessages(`a:${conversation}`, 3);
    await say('1');
    await channel.waitForMessages(`a:${conversation}`, 4);
    await say('montor.teams@elektro.no');
    await channel.waitForMessages(`a:${conversation}`, 5);
    // the address shown back, confirmed
    await say('ja');
    await channel.waitForMessages(`a:${conversation}`, 6);
    await say(await latestCodeIn(h.dataDir, h.app.services.mailer, 'montor.teams@elektro.no'));
    await channel.waitForMessages(`a:${conversation}`, 7);
    await rewriteInstaller(h.app.store, 'montor.teams@elektro.no', (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'active' }));
    await say('ok');
    await channel.waitForMessages(`a:${conversation}`, 9);
    const identify = channel.received.filter((a) => a.conversation?.id === `a:${conversation}`).at(-1)!;
    const card = identify.attachments?.[0]?.content as { body: Array<{ text: string }>; actions: Array<{ data: Record<string, unknown> }> };
    expect(card.body[0]!.text).toBe(t.t('nb', 'chat:station.identify'));
    const fetchRes = await h.post(teams(channel.serviceUrl, conversation, { type: 'invoke', name: 'task/fetch', value: { data: card.actions[0]!.data }, text: undefined }));
    const body = (await fetchRes.json()) as { task: { type: string; value: { url: string; title: string } } };
    expect(body.task).toMatchObject({ type: 'continue', value: { title: t.t('nb', 'chat:station.scanButton') } });
    expect(body.task.value.url).toMatch(/\/station\/scan\?token=/);
    const page = await fetch(body.task.value.url);
    expect(page.status).toBe(200);
  });

  it('ignores an onboarding event that a client sends itself (only the notify path may move the journey)', async () => {
    await h.post(teams(channel.serviceUrl, 'forged', { type: 'event', name: 'onboarding.emailConfirmed', value: { installerId: 'teams.user@example.com' }, text: undefined }));
    await new Promise((r) => setTimeout(r, 200));
    expect(channel.messagesTo('a:forged')).toEqual([]);
    expect(h.logs.text).toContain('ignored an onboarding event');
  });
});
