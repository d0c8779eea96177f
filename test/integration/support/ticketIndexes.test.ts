import { randomUUID } from 'node:crypto';
import type { Installer } from '../../../src/domain/installer';
import { createLogger } from '../../../src/logger';
import { InstallerRepository } from '../../../src/services/installers/installerRepository';
import type { Mailer } from '../../../src/services/mail/mailer';
import { type DocumentStore, updateDocument } from '../../../src/services/store/documentStore';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { SupportService } from '../../../src/services/support/supportService';
import { installerTicketsKey, OPEN_KEY, ownerKey, type StoredTicket, supportChatKey, ticketKey } from '../../../src/services/support/ticketRecord';
import { AVAILABLE_BACKENDS } from '../../helpers/backends';
import { countingWrites } from '../../helpers/countingStore';
import { dumpStore } from '../../helpers/storeDump';

/** Open hours and no SUPPORT_EMAIL: no mail is due; any is accepted and ignored. */
const quietMail: Mailer = {
  enqueue: () => Promise.resolve('ignored'),
  start: () => undefined,
  stop: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  forget: () => Promise.resolve(0),
};

function support(store: DocumentStore): SupportService {
  return new SupportService({
    store,
    mailer: quietMail,
    installers: new InstallerRepository(store),
    account: { resendConfirmation: async () => ({ kind: 'sent' }), sendPasswordLink: async () => ({ kind: 'sent' }), correctEmail: async () => ({ kind: 'invalid' }) },
    notify: async () => 1,
    forgetChat: async () => undefined,
    logger: createLogger({ level: 'silent' }),
    publicUrl: 'http://127.0.0.1:3978',
    hours: {},
    pickupMinutes: 10,
  });
}

const request = { language: 'nb' as const, region: 'global' as const, stage: 'registered' as const, stageHistory: [], stations: 0, transcript: [] };

function installer(id: string): Installer {
  const at = new Date().toISOString();
  return { id, email: id, region: 'global', language: 'nb', stage: 'registered', createdAt: at, updatedAt: at, confirmationsSent: [], stationsLocalized: [] };
}

/** The lines of a store dump that name the installer. */
async function linesNaming(url: string, installerId: string): Promise<string[]> {
  return (await dumpStore(url)).split('\n').filter((line) => line.includes(installerId));
}

describe.each(AVAILABLE_BACKENDS)('support queue and an installer\'s tickets on $name', ({ url }) => {
  let store: DocumentStore;
  beforeAll(async () => {
    store = await openDocumentStore(url);
  });
  afterAll(async () => {
    await store.close();
  });

  it('20 tickets opened at once are all queued and listed for the installer, with no write to an index document; "delete my data" leaves no trace', async () => {
    const installerId = `busy.${randomUUID()}@firma.example`;
    const installers = new InstallerRepository(store);
    await installers.create(installer(installerId));
    const { store: counted, writesTo } = countingWrites(store);
    const desk = support(counted);

    const opened = await Promise.all(Array.from({ length: 20 }, () => desk.open({ ...request, installerId })));
    const ids = opened.map((o) => o.ticket.id);
    expect(writesTo(OPEN_KEY)).toBe(0);
    expect(writesTo(installerTicketsKey(installerId))).toBe(0);
    const queued = (await desk.queue()).map((t) => t.id);
    expect(ids.filter((id) => !queued.includes(id))).toEqual([]);
    expect([...(await store.setMembers(installerTicketsKey(installerId)))].sort()).toEqual([...ids].sort());

    await desk.anonymise(installerId);
    await installers.delete(installerId);
    const after = (await desk.queue()).map((t) => t.id);
    expect(ids.filter((id) => after.includes(id))).toEqual([]);
    expect(await linesNaming(url, installerId)).toEqual([]);
  });

  it('after an upgrade, tickets an earlier version listed in its one-document indexes are queued, and "delete my data" still reaches them', async () => {
    const installerId = `upgrade.${randomUUID()}@firma.example`;
    const desk = support(store);
    // as the earlier version left them: the tickets, their owner, and the two lists as array documents
    const at = new Date(Date.now() - 60_000).toISOString();
    const ids = [`legacy-a-${randomUUID()}`, `legacy-b-${randomUUID()}`];
    for (const id of ids) {
      const ticket: StoredTicket = {
        id,
        number: 1,
        status: 'waiting',
        language: 'nb',
        stage: 'registered',
        createdAt: at,
        waitingSince: at,
        context: { stageHistory: [], stations: 0 },
        transcript: [],
        actions: [],
        chatKey: supportChatKey(id),
      };
      await store.put(ticketKey(id), ticket);
      await store.put(ownerKey(id), { installerId });
    }
    await updateDocument<string[]>(store, OPEN_KEY, (open = []) => [...open, ...ids]);
    await store.put(installerTicketsKey(installerId), ids);

    // a new ticket meanwhile queues behind them
    const { ticket: fresh } = await desk.open(request);
    const queued = (await desk.queue()).map((t) => t.id);
    expect(queued.filter((id) => [...ids, fresh.id].includes(id))).toEqual([...ids, fresh.id]);
    expect(await desk.position(ids[0]!)).toBeLessThan(await desk.position(fresh.id));

    await desk.anonymise(installerId);
    for (const id of ids) expect((await desk.ticket(id))?.status).toBe('closed');
    expect((await desk.queue()).map((t) => t.id)).not.toContain(ids[0]);
    expect(await linesNaming(url, installerId)).toEqual([]);
    await desk.leave(fresh.id);
  });
});
