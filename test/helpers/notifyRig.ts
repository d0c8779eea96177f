import type { ParsedMail } from 'mailparser';
import type { ConversationAddress } from '../../src/domain/conversationAddress';
import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, type Harness } from './appHarness';
import { localeText } from './localeText';
import { TestChannel } from './testChannel';
import { TestSmtpServer } from './testSmtpServer';

/** An agent's reply: the chat shows it as it is, whatever step the installer is at. */
export const AGENT_MESSAGE = { name: 'agentMessage', ticketId: 'ticket-1', agentName: 'Kari', text: 'Prøv å logge inn nå' } as const;
export const agentMessageInChat = (language: Language) => localeText(language, 'support:agentSays', { name: AGENT_MESSAGE.agentName, text: AGENT_MESSAGE.text });

/** The app, a channel and an SMTP server for a suite about proactive notices, with a clock the suite moves on. */
export interface NotifyRig {
  channel: TestChannel;
  readonly h: Harness;
  /** Moves Date.now on (the job queue's backoff and Retry-After waits pass so). */
  laterBy(ms: number): void;
  mailsTo(to: string): Promise<ParsedMail[]>;
  /** An installer registered and linked to a chat that has answered once ("hei" / "hello"). */
  installerInChat(conversationId: string, language: Language): Promise<{ installerId: string; conversationId: string }>;
  /** One attempt of a queued notice (if one is due): the job runs now, and any email it queued is sent. */
  attempt(): Promise<void>;
}

/** Starts them in the suite's beforeAll and stops them in its afterAll. */
export function notifyRig(): NotifyRig {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  let harness: Harness | undefined;
  const realNow = Date.now.bind(Date);
  let skewMs = 0;
  beforeAll(async () => {
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + skewMs);
    await channel.start();
    await smtp.listen();
    harness = await startApp({ SMTP_URL: smtp.url, MAIL_FROM: 'assistent@firma.example' });
  }, 60_000);
  afterAll(async () => {
    await harness?.stop();
    await channel.stop();
    await smtp.close();
    jest.restoreAllMocks();
  });
  const rig: NotifyRig = {
    channel,
    get h() {
      if (!harness) throw new Error('notifyRig: the app is not started (use it inside the suite)');
      return harness;
    },
    laterBy: (ms) => {
      skewMs += ms;
    },
    mailsTo: async (to) => (await smtp.parsed()).filter((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === to),
    async installerInChat(conversationId, language) {
      const installerId = `${conversationId}@firma.example`;
      const locale = language === 'nb' ? 'nb-NO' : 'en-US';
      const res = await rig.h.post(channelActivity(channel.serviceUrl, conversationId, { text: language === 'nb' ? 'hei' : 'hello', locale }));
      expect(res.status).toBeLessThan(300);
      await channel.waitForMessages(conversationId, 1);
      const reference: ConversationAddress = {
        channelId: 'test',
        serviceUrl: channel.serviceUrl,
        conversation: { id: conversationId, isGroup: false, conversationType: 'personal' },
        user: { id: `user-${conversationId}` },
        bot: { id: 'bot' },
        locale,
      };
      await rig.h.app.services.registration.start({ id: installerId, email: installerId, region: 'global', language }, reference);
      return { installerId, conversationId };
    },
    async attempt() {
      await rig.h.app.services.jobs.runDue();
      await rig.h.app.services.mailer.flush();
    },
  };
  return rig;
}
