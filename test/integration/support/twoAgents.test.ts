import { createLogger } from '../../../src/logger';
import { InstallerRepository } from '../../../src/services/installers/installerRepository';
import type { Mailer } from '../../../src/services/mail/mailer';
import type { NotifyEvent } from '../../../src/services/notify/events';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import type { DocumentStore } from '../../../src/services/store/documentStore';
import type { TicketChange } from '../../../src/services/support/supportDesk';
import { SupportService } from '../../../src/services/support/supportService';
import { AVAILABLE_BACKENDS, BACKENDS } from '../../helpers/backends';
import { waitUntil } from '../../helpers/testSmtpServer';

/** No mail is due in these tests (no SUPPORT_EMAIL, open hours, no installer): any mail is a failure. */
const noMail: Mailer = {
  enqueue: () => Promise.reject(new Error('no mail expected')),
  start: () => undefined,
  stop: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  forget: () => Promise.resolve(0),
};

function instance(store: DocumentStore, notified: Array<{ key: string; event: NotifyEvent }>): SupportService {
  return new SupportService({
    store,
    mailer: noMail,
    installers: new InstallerRepository(store),
    account: { resendConfirmation: async () => ({ kind: 'sent' }), sendPasswordLink: async () => ({ kind: 'sent' }), correctEmail: async () => ({ kind: 'invalid' }) },
    notify: async (key, event) => {
      notified.push({ key, event });
      return 1;
    },
    forgetChat: async () => undefined,
    logger: createLogger({ level: 'silent' }),
    publicUrl: 'http://127.0.0.1:3978',
    hours: {},
    pickupMinutes: 10,
    pollMs: 50,
  });
}

const request = { language: 'nb' as const, region: 'global' as const, stage: 'registered' as const, stageHistory: [], stations: 0, transcript: [] };

it('runs on Redis and PostgreSQL (and SQLite)', () => {
  // the backends a run could not reach are named by test/globalSetup.ts; SQLite always runs
  expect(AVAILABLE_BACKENDS.map((b) => b.name)).toContain('sqlite');
  expect(BACKENDS.length).toBe(3);
});

describe.each(AVAILABLE_BACKENDS.filter((b) => b.name !== 'sqlite'))('two instances sharing $name', ({ url }) => {
  let storeA: DocumentStore;
  let storeB: DocumentStore;
  let a: SupportService;
  let b: SupportService;
  const notified: Array<{ key: string; event: NotifyEvent }> = [];

  beforeAll(async () => {
    storeA = await openDocumentStore(url);
    storeB = await openDocumentStore(url);
    a = instance(storeA, notified);
    b = instance(storeB, notified);
    a.start();
    b.start();
  });
  afterAll(async () => {
    await a.stop();
    await b.stop();
    await storeA.close();
    await storeB.close();
  });

  it('show the same queue, and of two agents accepting at once exactly one wins', async () => {
    const seenByB: TicketChange[] = [];
    const unsubscribe = b.subscribe((change) => seenByB.push(change));
    await b.tick();
    const { ticket } = await a.open(request);
    expect((await b.queue()).map((t) => t.id)).toContain(ticket.id);
    // B hears of A's ticket by polling the store
    await waitUntil(() => seenByB.some((c) => c.ticketId === ticket.id && c.kind === 'created'), 'B sees the new ticket', 5000);

    for (let round = 0; round < 5; round++) {
      const { ticket: raced } = await (round % 2 ? a : b).open(request);
      const results = await Promise.all([a.accept(raced.id, { id: 'kari', firstName: 'Kari' }), b.accept(raced.id, { id: 'ola', firstName: 'Ola' })]);
      const kinds = results.map((r) => r.kind).sort();
      expect(kinds).toEqual(['accepted', 'taken']);
      const detail = await a.ticket(raced.id);
      const winner = results[0]!.kind === 'accepted' ? 'kari' : 'ola';
      expect(detail?.agent?.id).toBe(winner);
      expect(detail?.actions.filter((x) => x.kind === 'accepted')).toHaveLength(1);
      expect(notified.filter((n) => n.event.name === 'agentJoined' && n.event.ticketId === raced.id)).toHaveLength(1);
      // the loser cannot reply or close; the winner can
      const loser = winner === 'kari' ? { id: 'ola', firstName: 'Ola' } : { id: 'kari', firstName: 'Kari' };
      expect(await b.reply(raced.id, loser, 'hei')).toEqual({ kind: 'not_yours' });
      expect(await b.close(raced.id, { id: winner, firstName: 'X' })).toEqual({ kind: 'ok' });
      expect((await a.queue()).map((t) => t.id)).not.toContain(raced.id);
    }
    unsubscribe();
    // nobody accepted the first one: it leaves the shared queue as an installer going back to the bot would
    expect(await a.leave(ticket.id)).toEqual({ kind: 'ok' });
    expect((await b.queue()).map((t) => t.id)).not.toContain(ticket.id);
  });
});
