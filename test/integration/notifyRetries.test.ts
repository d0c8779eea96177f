import type { ConversationAddress } from '../../src/domain/conversationAddress';
import type { Language } from '../../src/domain/language';
import { NOTIFY_ATTEMPTS } from '../../src/services/notify/notifier';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { TestChannel } from '../helpers/testChannel';
import { TestSmtpServer } from '../helpers/testSmtpServer';

/** An agent's reply: the chat shows it as it is, whatever step the installer is at. */
const AGENT_MESSAGE = { name: 'agentMessage', ticketId: 'ticket-1', agentName: 'Kari', text: 'Prøv å logge inn nå' } as const;
const inChat = (language: Language) => localeText(language, 'support:agentSays', { name: AGENT_MESSAGE.agentName, text: AGENT_MESSAGE.text });

interface LogLine {
  level: number;
  msg: string;
}

/**
 * A channel that answers a proactive notice with 500, 503 or 429 is down for now: the notice is
 * tried again later (the job's backoff), the conversation's state is left as it was, and only when
 * the last attempt fails too does the notice go out by email.
 */
describe('a proactive notice while the channel fails for now (5xx, 429)', () => {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  let h: Harness;
  // the job queue reads Date.now: the backoff between attempts passes by moving the clock on
  const realNow = Date.now.bind(Date);
  let skewMs = 0;
  const laterBy = (ms: number) => {
    skewMs += ms;
  };
  beforeAll(async () => {
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url, MAIL_FROM: 'assistent@firma.example' });
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await channel.stop();
    await smtp.close();
    jest.restoreAllMocks();
  });

  const lines = (from: number): LogLine[] => h.logs.lines.slice(from).map((line) => JSON.parse(line) as LogLine);
  const stateKey = (conversationId: string) => `botstate/test/conversations/${conversationId}/`;
  const mailsTo = async (to: string) => (await smtp.parsed()).filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === to);

  /** An installer whose chat has state (one message answered), then the channel starts failing with `status`. */
  async function installerInFailingChat(name: string, status: number, language: Language): Promise<{ installerId: string; conversationId: string }> {
    const conversationId = `${name}-${status}-${language}`;
    const installerId = `${conversationId}@firma.example`;
    const res = await h.post(channelActivity(channel.serviceUrl, conversationId, { text: language === 'nb' ? 'hei' : 'hello', locale: language === 'nb' ? 'nb-NO' : 'en-US' }));
    expect(res.status).toBeLessThan(300);
    await channel.waitForMessages(conversationId, 1);
    expect(await h.app.store.get(stateKey(conversationId))).toBeDefined();
    const reference: ConversationAddress = {
      channelId: 'test',
      serviceUrl: channel.serviceUrl,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal' },
      user: { id: `user-${conversationId}` },
      bot: { id: 'bot' },
      locale: language === 'nb' ? 'nb-NO' : 'en-US',
    };
    await h.app.services.registration.start({ id: installerId, email: installerId, region: 'global', language }, reference);
    channel.statusFor.set(conversationId, status);
    return { installerId, conversationId };
  }

  /** One attempt of the queued notice: the job runs now, and any email it queued is sent. */
  async function attempt(): Promise<void> {
    await h.app.services.jobs.runDue();
    await h.app.services.mailer.flush();
  }

  it.each<[number, Language]>([
    [503, 'nb'],
    [500, 'en'],
    [429, 'nb'],
  ])('%i, then the channel recovers: the notice reaches the chat on a later attempt, no email, state kept (%s)', async (status, language) => {
    const { installerId, conversationId } = await installerInFailingChat('recovers', status, language);
    const before = h.logs.lines.length;
    const messages = channel.messagesTo(conversationId).length;
    await h.app.services.notifier.notify(installerId, AGENT_MESSAGE);
    await attempt();
    expect(channel.messagesTo(conversationId)).toHaveLength(messages);
    // the failed turn did not reach the turn error handler: no "turn failed", no state cleared
    expect(lines(before).map((l) => l.msg)).not.toContain('turn failed');
    expect(await h.app.store.get(stateKey(conversationId))).toBeDefined();

    channel.statusFor.delete(conversationId);
    laterBy(60 * 60 * 1000);
    await attempt();
    expect(channel.messagesTo(conversationId).slice(messages)).toEqual([inChat(language)]);
    expect(await mailsTo(installerId)).toEqual([]);
    expect(lines(before).filter((l) => l.level >= 50)).toEqual([]);
  }, 60_000);

  it.each<[number, Language]>([
    [503, 'nb'],
    [500, 'en'],
    [429, 'en'],
  ])('%i on every attempt: the email goes out after the last one, in the installer language (%s), state kept', async (status, language) => {
    const { installerId, conversationId } = await installerInFailingChat('down', status, language);
    const before = h.logs.lines.length;
    const messages = channel.messagesTo(conversationId).length;
    await h.app.services.notifier.notify(installerId, AGENT_MESSAGE);
    for (let n = 1; n < NOTIFY_ATTEMPTS; n++) {
      await attempt();
      expect(await mailsTo(installerId)).toEqual([]);
      laterBy(60 * 60 * 1000);
    }
    await attempt();
    const mails = await mailsTo(installerId);
    expect(mails.map((mail) => mail.subject)).toEqual([localeText(language, 'email:agentMessageNotice.subject', { agentName: AGENT_MESSAGE.agentName })]);
    expect(channel.messagesTo(conversationId)).toHaveLength(messages);
    expect(await h.app.store.get(stateKey(conversationId))).toBeDefined();
    const logged = lines(before);
    expect(logged.map((l) => l.msg)).not.toContain('turn failed');
    expect(logged.filter((l) => l.msg === 'notify turn failed')).toHaveLength(NOTIFY_ATTEMPTS);
    // a channel that fails for now is not an operator error (that is a refused credential)
    expect(logged.filter((l) => l.level >= 50)).toEqual([]);
  }, 180_000); // the connector client itself retries a 5xx/429 a few times: about 5 s per attempt
});
