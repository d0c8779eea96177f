import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { loadConfig } from '../../src/config';
import type { Installer } from '../../src/domain/installer';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services/buildServices';
import { CourseJourney, type CourseJourneyDeps, knownProgressKey, learnerOf } from '../../src/services/courses/courseJourney';
import type { Lms } from '../../src/services/lms/lmsPort';
import { localLmsKeys } from '../../src/services/lms/localLms';
import { createTranslator } from '../../src/services/i18n/translator';
import type { LocalizationPayload } from '../../src/services/stations/stationRegistry';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { tempDir } from '../helpers/appHarness';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS } from '../helpers/backends';
import { localeText } from '../helpers/localeText';
import { localMails, mailRecipient } from '../helpers/mailCodes';
import { dumpStore } from '../helpers/storeDump';
import { stopServices } from '../helpers/stopServices';

jest.setTimeout(60_000);

for (const skipped of SKIPPED_BACKENDS) console.log(`a corrected email address on ${skipped.name}: SKIPPED (the server is not reachable)`);

const REGISTRY = 'https://registry.chargepoint.example';
const HOOK_PATH = '/hooks/stations';
const SECRET = 'registry-shared-secret-0123456789abcdef';
const AGENT = { id: 'agent-ola', firstName: 'Ola' };
const here = { latitude: 59.9139, longitude: 10.7522 };

/** The people of one test: a wrong address, the corrected one, names no other run uses (a dump is searched for them). */
function person() {
  const tag = randomBytes(5).toString('hex');
  return {
    oldId: `feil.${tag}@firma.example`,
    newId: `riktig.${tag}@firma.example`,
    account: { firstName: `Kari${tag}`, lastName: `Nordmann${tag}`, company: `Elektro${tag} AS` },
    mac: ('00' + randomBytes(7).toString('hex').toUpperCase()).match(/.{4}/g)!.join(':'),
  };
}

function activeInstaller(id: string, account: Installer['account']): Installer {
  const at = new Date().toISOString();
  return { id, email: id, region: 'global', language: 'nb', stage: 'active', createdAt: at, updatedAt: at, confirmationsSent: [], ...(account ? { account } : {}) };
}

/** The lines of the store that name any of `words` (case-insensitive). */
async function linesNaming(url: string, words: string[]): Promise<string[]> {
  const lower = words.map((w) => w.toLowerCase());
  return (await dumpStore(url)).split('\n').filter((line) => lower.some((w) => line.toLowerCase().includes(w)));
}

describe.each(AVAILABLE_BACKENDS)('support corrects an installer\'s email address, on $name', ({ url }) => {
  let store: DocumentStore;
  let services: Services;
  let dataDir: string;
  let received: string[];

  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());

  beforeEach(async () => {
    dataDir = tempDir('corrected-email-');
    const config = loadConfig({ DATA_DIR: dataDir, DATA_URL: url, STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: SECRET });
    store = await openDocumentStore(url);
    services = buildServices({ config, store, translator: await createTranslator(), logger: createLogger({ level: 'silent' }), jobs: { pollMs: 50 } });
    // no chat can be reached: every notice falls back to its email (none may go to the old address)
    services.notifier.attach(async () => ({ kind: 'unreachable', status: 403 }));
    received = [];
    nock(REGISTRY)
      .persist()
      .post(HOOK_PATH)
      .reply(200, (_uri, body) => {
        received.push(typeof body === 'string' ? body : JSON.stringify(body));
        return { ok: true };
      });
  });
  afterEach(async () => {
    await stopServices(services);
    await store.close();
    nock.cleanAll();
  });

  /**
   * An active installer at the wrong address with something of every kind filed under it, nothing
   * delivered yet (no worker runs): a station and its registry delivery, the local LMS's user and
   * enrolments, course progress and an enrolment job, a mail, a linked chat, a support ticket with an
   * agent's reply (whose fallback email would go to the address); then the agent corrects the address.
   */
  async function correctedWithEverythingQueued(p: ReturnType<typeof person>): Promise<void> {
    const installer = activeInstaller(p.oldId, p.account);
    await services.installers.create(installer);
    await services.references.link(p.oldId, { channelId: 'test', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `c-${p.mac}` }, user: { id: `u-${p.mac}` } });
    await services.stations.localize(p.oldId, p.mac, here, false);
    const localLms = services.localLms!;
    await localLms.createUser(learnerOf(installer), 'not-kept');
    await localLms.enrolInRegionCourses(learnerOf(installer));
    await services.courses.recordProgress(p.oldId, await localLms.progress(learnerOf(installer)));
    await services.courseJobs.enrol(p.oldId);
    await services.registration.sendPasswordLink(p.oldId);
    const { ticket } = await services.support.open({ installerId: p.oldId, language: 'nb', region: 'global', stage: 'active', stageHistory: [], stations: 1, transcript: [] });
    expect(await services.support.accept(ticket.id, AGENT)).toEqual({ kind: 'accepted' });
    expect(await services.support.reply(ticket.id, AGENT, 'Jeg retter adressen din nå.')).toEqual({ kind: 'ok' });
    expect(await linesNaming(url, [p.oldId])).not.toEqual([]);

    expect(await services.support.act(ticket.id, AGENT, 'correctEmail', p.newId)).toEqual({ kind: 'ok', outcome: 'corrected' });
    expect(await services.installers.get(p.newId)).toMatchObject({ email: p.newId, account: p.account });
  }

  it('everything filed under the old address moves to the new one: nothing names the old address, the queued delivery goes out with the new one, no mail goes to the old one, and "export my data" lists the station and the chat', async () => {
    const p = person();
    await correctedWithEverythingQueued(p);

    // nothing in the store names the old address any more, in a key or a value
    expect(await linesNaming(url, [p.oldId, p.oldId.split('@')[0]!])).toEqual([]);
    // the course step goes on under the new id: the LMS, what the step did, the progress last known
    expect(await store.get(localLmsKeys.enrolments(p.newId))).toBeDefined();
    expect(await store.get(localLmsKeys.user(p.newId))).toMatchObject({ value: { installerId: p.newId, email: p.newId } });
    expect(await store.get(knownProgressKey(p.newId))).toBeDefined();

    await services.jobs.runDue();
    await services.mailer.flush();
    expect(received).toHaveLength(1);
    const delivered = JSON.parse(received[0]!) as LocalizationPayload;
    expect(delivered).toMatchObject({ station: { mac: p.mac }, installer: { email: p.newId, firstName: p.account.firstName, lastName: p.account.lastName, company: p.account.company } });
    expect(received[0]).not.toContain(p.oldId);
    // the password link and the agent's reply were queued for the old address: neither went there
    const recipients = (await localMails(dataDir)).map(mailRecipient);
    expect(recipients).not.toContain(p.oldId);
    expect(recipients).toContain(p.newId);

    expect(await services.registration.exportData(p.newId)).toEqual({ email: p.newId });
    await services.mailer.flush();
    const exportMail = (await localMails(dataDir)).filter((m) => mailRecipient(m) === p.newId && m.attachments.some((a) => a.filename === 'my-data.json')).at(-1)!;
    const exported = JSON.parse(exportMail.attachments.find((a) => a.filename === 'my-data.json')!.content.toString('utf8')) as {
      registration: { email: string; stationsLocalized: { mac: string }[] };
      chats: { conversation: string }[];
    };
    expect(exported.registration.email).toBe(p.newId);
    expect(exported.registration.stationsLocalized.map((s) => s.mac)).toEqual([p.mac]);
    expect(exported.chats.map((c) => c.conversation)).toEqual([`c-${p.mac}`]);
    expect(JSON.stringify(exported)).not.toContain(p.oldId);

    await services.registration.deleteInstaller(p.newId);
    await services.jobs.runDue();
  });

  it('"delete my data" after the correction: the registry delivery queued under the old address is dropped too, and the store names neither address nor the person', async () => {
    const p = person();
    await correctedWithEverythingQueued(p);

    await services.registration.deleteInstaller(p.newId);
    await services.jobs.runDue();
    await services.mailer.flush();

    expect(received).toEqual([]);
    const words = [p.oldId, p.newId, p.oldId.split('@')[0]!, p.newId.split('@')[0]!, p.account.firstName, p.account.lastName, p.account.company];
    expect(await linesNaming(url, words)).toEqual([]);
    expect(await services.installers.get(p.oldId)).toBeUndefined();
    expect(await services.installers.get(p.newId)).toBeUndefined();
    // nothing went to the old address either
    expect((await localMails(dataDir)).map(mailRecipient)).not.toContain(p.oldId);
  });

  /** An installer at the wrong address who has passed every course of the local LMS; the last completion is not handled yet. */
  async function passedEveryCourse(p: ReturnType<typeof person>): Promise<string> {
    const at = new Date().toISOString();
    const installer: Installer = {
      id: p.oldId, email: p.oldId, region: 'global', language: 'nb', stage: 'courses_in_progress', createdAt: at, updatedAt: at, confirmationsSent: [],
      profile: { firstName: p.account.firstName, lastName: p.account.lastName, company: p.account.company, phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' },
    };
    await services.installers.create(installer);
    const localLms = services.localLms!;
    await localLms.createUser(learnerOf(installer), 'not-kept');
    await localLms.enrolInRegionCourses(learnerOf(installer));
    const courses = localLms.coursesOf('global');
    for (const course of courses) await localLms.complete(learnerOf(installer), course.id);
    return courses.at(-1)!.id;
  }

  /** The course step as buildServices wires it, with `hooks` in place of its LMS or installer repository (to make a race certain). */
  function journeyWith(hooks: { lms?: Lms; installers?: CourseJourneyDeps['installers'] }): CourseJourney {
    return new CourseJourney({
      store,
      installers: hooks.installers ?? services.installers,
      lms: hooks.lms ?? services.lms,
      notifier: services.notifier,
      onCertified: async (installerId) => void (await services.invitations.send(installerId)),
      movedTo: (installerId) => services.formerAddresses.current(installerId),
      lmsData: services.localLms,
    });
  }

  async function invitationsTo(): Promise<string[]> {
    await services.jobs.runDue();
    await services.mailer.flush();
    return (await localMails(dataDir)).filter((m) => m.subject === localeText('nb', 'email:invitation.subject')).map(mailRecipient);
  }

  it('a course job reads the old record, support corrects the address, then the job writes the progress: nothing stays under the old id, and the job certifies the moved installer (invitation at the new address)', async () => {
    const p = person();
    const lastCourse = await passedEveryCourse(p);
    // the race, made certain: the correction happens while the job waits for the LMS's answer
    let corrected = false;
    const lms: Lms = Object.assign(Object.create(services.lms) as Lms, {
      progress: async (...args: Parameters<Lms['progress']>) => {
        const progress = await services.lms.progress(...args);
        if (!corrected) {
          corrected = true;
          expect(await services.registration.correctEmail(p.oldId, p.newId)).toEqual({ kind: 'corrected', installerId: p.newId });
        }
        return progress;
      },
    });

    expect(await journeyWith({ lms }).courseCompleted(p.oldId, lastCourse)).toBe('certified');

    expect(corrected).toBe(true);
    expect(await linesNaming(url, [p.oldId, p.oldId.split('@')[0]!])).toEqual([]);
    expect(await store.get(knownProgressKey(p.newId))).toBeDefined();
    expect((await services.installers.get(p.newId))?.stage).toBe('certified');
    expect(await invitationsTo()).toEqual([p.newId]);
  });

  it('a course job certifies the old record, support corrects the address, then the job claims the invitation: the claim does not stay under the old id or keep the moved installer from theirs', async () => {
    const p = person();
    const lastCourse = await passedEveryCourse(p);
    let corrected = false;
    const installers: CourseJourneyDeps['installers'] = {
      get: (id) => services.installers.get(id),
      advance: async (...args) => {
        const advanced = await services.installers.advance(...args);
        if (!corrected && args[1] === 'coursesCompleted') {
          corrected = true;
          expect(await services.registration.correctEmail(p.oldId, p.newId)).toEqual({ kind: 'corrected', installerId: p.newId });
        }
        return advanced;
      },
    };

    expect(await journeyWith({ installers }).courseCompleted(p.oldId, lastCourse)).toBe('certified');

    expect(corrected).toBe(true);
    expect(await linesNaming(url, [p.oldId, p.oldId.split('@')[0]!])).toEqual([]);
    expect((await services.installers.get(p.newId))?.stage).toBe('certified');
    expect(await invitationsTo()).toEqual([p.newId]);
  });

  it('corrected twice: each former address leads to the newest one (a report naming either finds the installer); corrected back to the first, or registered by someone, an address is a registration of its own again; "delete my data" leaves no way from them', async () => {
    const p = person();
    const third = `tredje.${p.newId}`;
    await services.installers.create(activeInstaller(p.oldId, p.account));
    expect((await services.registration.correctEmail(p.oldId, p.newId)).kind).toBe('corrected');
    expect((await services.registration.correctEmail(p.newId, third)).kind).toBe('corrected');
    expect([await services.formerAddresses.current(p.oldId), await services.formerAddresses.current(p.newId)]).toEqual([third, third]);

    expect((await services.registration.correctEmail(third, p.oldId)).kind).toBe('corrected');
    expect([await services.formerAddresses.current(p.oldId), await services.formerAddresses.current(p.newId), await services.formerAddresses.current(third)]).toEqual([undefined, p.oldId, p.oldId]);

    // someone registers the second address: it is theirs now, and leads nowhere else
    const chat = { channelId: 'test', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `c-${p.mac}` }, user: { id: `u-${p.mac}` } };
    await services.registration.start({ id: p.newId, email: p.newId, region: 'global', language: 'nb' }, chat);
    expect([await services.formerAddresses.current(p.newId), await services.formerAddresses.current(third)]).toEqual([undefined, p.oldId]);
    await services.registration.deleteInstaller(p.newId);

    await services.registration.deleteInstaller(p.oldId);
    expect([await services.formerAddresses.current(p.newId), await services.formerAddresses.current(third)]).toEqual([undefined, undefined]);
    expect(await linesNaming(url, [p.oldId, p.newId, p.oldId.split('@')[0]!, p.newId.split('@')[0]!])).toEqual([]);
  });

  it('the installer replaces a wrong address in the chat (before confirming it): the support ticket they opened goes with the registration, and "delete my data" leaves neither address', async () => {
    const p = person();
    const chat = { channelId: 'test', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: `c-${p.mac}` }, user: { id: `u-${p.mac}` } };
    await services.registration.start({ id: p.oldId, email: p.oldId, region: 'global', language: 'nb' }, chat);
    const { ticket } = await services.support.open({ installerId: p.oldId, language: 'nb', region: 'global', stage: 'new', stageHistory: [], stations: 0, transcript: [] });

    await services.registration.start({ id: p.newId, email: p.newId, region: 'global', language: 'nb' }, chat, { replacing: p.oldId });
    expect(await linesNaming(url, [p.oldId, p.oldId.split('@')[0]!])).toEqual([]);
    expect((await services.support.ticket(ticket.id))?.maskedEmail).toBe(p.newId.replace(/^(.)[^@]*(.)@/, '$1***$2@'));

    await services.registration.deleteInstaller(p.newId);
    expect(await linesNaming(url, [p.oldId, p.newId, p.oldId.split('@')[0]!, p.newId.split('@')[0]!])).toEqual([]);
    expect((await services.support.ticket(ticket.id))?.maskedEmail).toBeUndefined();
  });
});
