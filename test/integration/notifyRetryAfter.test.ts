import type { ConversationAddress } from '../../src/domain/conversationAddress';
import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { TestChannel } from '../helpers/testChannel';
import { TestSmtpServer } from '../helpers/testSmtpServer';

/** An agent's reply: the chat shows it as it is, whatever step the installer is at. */
const AGENT_MESSAGE = { name: 'agentMessage', ticketId: 'ticket-1', agentName: 'Kari', text: 'Prøv å logge inn nå' } as const;
const inChat = (language: Language) => localeText(language, 'support:agentSays', { name: AGENT_MESSAGE.agentName, text: AGENT_MESSAGE.text });

const MINUTE = 60_000;

/**
 * A channel that throttles a proactive notice (429, or 503, with Retry-After) is waited for as
 * long as it asked before the notice is tried again — at most 10 minutes, whatever it asked — and
 * the notice then reaches the chat, with no fallback email.
 */
describe('a proactive notice while the channel asks to wait (Retry-After)', () => {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  let h: Harness;
  // the job queue reads Date.now: the wait between attempts passes by moving the clock on
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

  const mailsTo = async (to: string) => (await smtp.parsed()).filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === to);
  const postsTo = (conversationId: string) => channel.posts.filter((post) => post.conversationId === conversationId);

  /** An installer whose chat answered once, then the channel refuses posts to it with `status` and `retryAfter`. */
  async function installerInThrottledChat(status: number, retryAfter: string, language: Language): Promise<{ installerId: string; conversationId: string }> {
    const conversationId = `throttled-${status}-${retryAfter}-${language}`;
    const installerId = `${conversationId}@firma.example`;
    const res = await h.post(channelActivity(channel.serviceUrl, conversationId, { text: language === 'nb' ? 'hei' : 'hello', locale: language === 'nb' ? 'nb-NO' : 'en-US' }));
    expect(res.status).toBeLessThan(300);
    await channel.waitForMessages(conversationId, 1);
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
    channel.retryAfterFor.set(conversationId, retryAfter);
    return { installerId, conversationId };
  }

  /** One attempt of the queued notice (if one is due): the job runs now, and any email it queued is sent. */
  async function attempt(): Promise<void> {
    await h.app.services.jobs.runDue();
    await h.app.services.mailer.flush();
  }

  it.each<[string, number, string, number, number, Language]>([
    // the connector client waits a short Retry-After itself (3 s, three times in the turn); the
    // job then waits it once more, not its own first backoff (2 s, less jitter)
    ['a short one, after the turn waited it in vain', 429, '3', 4, 3_000, 'nb'],
    // over a minute: not waited for inside the turn, the job waits it
    ['two minutes', 429, '120', 1, 2 * MINUTE, 'en'],
    // days: the job waits 10 minutes, no longer
    ['days (capped at 10 minutes)', 503, '99999999', 1, 10 * MINUTE, 'nb'],
  ])('Retry-After %s (%i: %s): %i post(s) refused, the next no sooner than %i ms later; it reaches the chat, no email (%s)', async (_what, status, retryAfter, refused, waitMs, language) => {
    const { installerId, conversationId } = await installerInThrottledChat(status, retryAfter, language);
    const messages = channel.messagesTo(conversationId).length;
    const before = postsTo(conversationId).length;
    await h.app.services.notifier.notify(installerId, AGENT_MESSAGE);
    await attempt();
    const refusals = postsTo(conversationId).slice(before);
    expect(refusals.map((post) => post.status)).toEqual(Array.from({ length: refused }, () => status));
    const lastRefusal = refusals[refusals.length - 1]!.at;

    // the channel is ready again, but asked for the wait: nothing is posted before it has passed
    channel.statusFor.delete(conversationId);
    laterBy(waitMs - 500 - (Date.now() - lastRefusal));
    await attempt();
    expect(postsTo(conversationId).slice(before)).toHaveLength(refused);

    laterBy(1_000);
    await attempt();
    const next = postsTo(conversationId).slice(before + refused);
    expect(next.map((post) => post.status)).toEqual([200]);
    expect(next[0]!.at - lastRefusal).toBeGreaterThanOrEqual(waitMs);
    expect(channel.messagesTo(conversationId).slice(messages)).toEqual([inChat(language)]);
    expect(await mailsTo(installerId)).toEqual([]);
  }, 40_000);
});
