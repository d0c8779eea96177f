import { notifyTurnDeliverer } from '../../src/bot/notifyTurns';
import type { ConversationAddress } from '../../src/domain/conversationAddress';
import { createLogger } from '../../src/logger';
import { InstallerRepository } from '../../src/services/installers/installerRepository';
import type { AppJobs } from '../../src/services/jobs/appJobs';
import { createJobQueue } from '../../src/services/jobs/createJobQueue';
import type { Mailer, OutgoingMail } from '../../src/services/mail/mailer';
import { ConversationReferences } from '../../src/services/notify/conversationReferences';
import { Notifier } from '../../src/services/notify/notifier';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { LogCapture, startApp, tempDir, type Harness } from '../helpers/appHarness';
import { TestChannel } from '../helpers/testChannel';

const FALLBACK: OutgoingMail = {
  to: 'eier@firma.example',
  template: 'accountConfirmed',
  language: 'nb',
  vars: { chatUrl: 'http://127.0.0.1/', supportUrl: 'https://support.example', faqUrl: 'https://faq.example' },
};

interface LogLine {
  level: number;
  msg: string;
}

const parsed = (logs: LogCapture): LogLine[] => logs.lines.map((line) => JSON.parse(line) as LogLine);

describe('the notifier over HTTP: a refused bot credential vs an unreachable conversation', () => {
  const channel = new TestChannel();
  let h: Harness;
  beforeAll(async () => {
    await channel.start();
    h = await startApp();
  });
  afterAll(async () => {
    await h.stop();
    await channel.stop();
  });

  async function notifyThrough(conversationId: string, status: number): Promise<{ reached: number; emails: number }> {
    channel.statusFor.set(conversationId, status);
    const installerId = `${conversationId}@firma.example`;
    const reference: ConversationAddress = {
      channelId: 'msteams',
      serviceUrl: channel.serviceUrl,
      conversation: { id: conversationId, isGroup: false, conversationType: 'personal' },
      user: { id: `u-${conversationId}` },
      bot: { id: 'bot' },
      locale: 'nb-NO',
    };
    await h.app.services.registration.start({ id: installerId, email: installerId, region: 'global', language: 'nb' }, reference);
    const enqueue = jest.spyOn(h.app.services.mailer, 'enqueue');
    try {
      // queued: the job runs the turn (in the background worker, or here)
      await h.app.services.notifier.notify(installerId, { name: 'emailConfirmed' }, { ...FALLBACK, to: installerId });
      await h.app.services.jobs.runDue();
      const reached = channel.received.filter((a) => a.conversation?.id === conversationId).length;
      return { reached, emails: enqueue.mock.calls.length };
    } finally {
      enqueue.mockRestore();
    }
  }

  it('401 from the channel: an error for the operator, and no email instead', async () => {
    const before = parsed(h.logs).length;
    expect(await notifyThrough('unauthorized', 401)).toEqual({ reached: 0, emails: 0 });
    const errors = parsed(h.logs).slice(before).filter((l) => l.level >= 50);
    expect(errors).toEqual([expect.objectContaining({ msg: expect.stringContaining('refused the bot credential') })]);
  });

  it.each([403, 404, 410])('%i from the channel: the conversation is unreachable, so the email goes out (a warning, no error)', async (status) => {
    const before = parsed(h.logs).length;
    expect(await notifyThrough(`gone-${status}`, status)).toEqual({ reached: 0, emails: 1 });
    const lines = parsed(h.logs).slice(before);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.map((l) => l.msg)).toContain('conversation unreachable');
  });
});

describe('the notifier when no token can be had for the bot (Entra ID refuses the app secret)', () => {
  it('logs an error and sends no email', async () => {
    const store = await openDocumentStore(`sqlite://${tempDir('notifier-')}/db.sqlite`);
    const logs = new LogCapture();
    const enqueued: OutgoingMail[] = [];
    const mailer: Mailer = {
      enqueue: async (mail) => {
        enqueued.push(mail);
        return 'id';
      },
      start: () => undefined,
      stop: async () => undefined,
      flush: async () => undefined,
      forget: async () => 0,
    };
    try {
      const references = new ConversationReferences(store);
      await references.link('eier@firma.example', { channelId: 'msteams', serviceUrl: 'https://smba.example/', conversation: { id: 'c1', isGroup: false, conversationType: 'personal' }, user: { id: 'u1' } });
      const tokenFailure = Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), { name: 'ServerError', errorCode: 'invalid_client' });
      const logger = createLogger({ level: 'debug', destination: logs });
      const jobs = createJobQueue<AppJobs>({ store, logger });
      const notifier = new Notifier({ jobs, references, mailer, installers: new InstallerRepository(store), publicUrl: 'http://127.0.0.1', logger });
      // the bot layer's deliverer over an adapter whose token request fails
      notifier.attach(notifyTurnDeliverer(async () => Promise.reject(tokenFailure), async () => undefined));
      await notifier.notify('eier@firma.example', { name: 'emailConfirmed' }, FALLBACK);
      expect(await jobs.runDue()).toBe(1);
      expect(enqueued).toEqual([]);
      expect(parsed(logs).filter((l) => l.level >= 50)).toEqual([expect.objectContaining({ msg: expect.stringContaining('refused the bot credential') })]);
    } finally {
      await store.close();
    }
  });
});
