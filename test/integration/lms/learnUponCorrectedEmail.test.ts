import { createHmac } from 'node:crypto';
import nock from 'nock';
import { loadConfig } from '../../../src/config';
import type { Installer } from '../../../src/domain/installer';
import { createLogger } from '../../../src/logger';
import { buildServices, type Services } from '../../../src/services/buildServices';
import { createTranslator } from '../../../src/services/i18n/translator';
import type { DocumentStore } from '../../../src/services/store/documentStore';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { startApp, tempDir, type Harness } from '../../helpers/appHarness';
import { localMails, mailRecipient } from '../../helpers/mailCodes';
import { localeText } from '../../helpers/localeText';
import { dumpStore } from '../../helpers/storeDump';
import { TestSmtpServer, waitUntil } from '../../helpers/testSmtpServer';

jest.setTimeout(60_000);

const API = '/api/v1';
const USER_ID = 662;
const WEBHOOK_SECRET = 'global-webhook-signing-secret-corrected-1';

/**
 * One LearnUpon portal as far as these tests need it, answering as documented: the user 662 is found
 * by the address it has (`GET /users/search?email=`, 404 for any other), takes a new one by
 * `PUT /users/662` `{"User":{"email"}}` (or answers 503 while `failPuts` lasts, 422 with `refusePuts`), and has passed both
 * courses (`GET /enrollments/search?user_id=662`, each enrollment naming the user's address).
 */
function fakePortal(portal: string, startEmail: string) {
  const state = { email: startEmail, failPuts: 0, refusePuts: false, puts: [] as Array<{ status: number; body: unknown; authorization: string | undefined }> };
  nock(portal).persist().get(`${API}/courses`).query(true).reply(200, { courses: [{ id: 501, name: 'Installing CP6000' }, { id: 502, name: 'Pinpointing stations' }] }, { 'LU-Has-Next-Page': 'false' });
  nock(portal)
    .persist()
    .get(`${API}/users/search`)
    .query(true)
    .reply((uri) => {
      const asked = new URL(uri, portal).searchParams.get('email') ?? '';
      return asked.toLowerCase() === state.email.toLowerCase() ? [200, { user: [{ id: USER_ID, email: state.email, enabled: true, sign_in_count: 3 }] }] : [404, { message: 'User not found' }];
    });
  nock(portal)
    .persist()
    .put(`${API}/users/${USER_ID}`)
    .reply(function (_uri, body) {
      const authorization = this.req.headers.authorization;
      if (state.refusePuts) {
        state.puts.push({ status: 422, body, authorization });
        return [422, { message: 'Email has already been taken' }];
      }
      if (state.failPuts > 0) {
        state.failPuts -= 1;
        state.puts.push({ status: 503, body, authorization });
        return [503, { message: 'Service Unavailable' }];
      }
      state.puts.push({ status: 200, body, authorization });
      const email = (body as { User?: { email?: unknown } }).User?.email;
      if (typeof email === 'string') state.email = email;
      return [200, {}];
    });
  nock(portal)
    .persist()
    .get(`${API}/enrollments/search`)
    .query({ user_id: String(USER_ID), page: 1 })
    .reply(
      200,
      () => ({
        enrollments: [501, 502].map((courseId) => ({ id: 9000 + courseId, course_id: courseId, user_id: USER_ID, email: state.email, status: 'passed', percentage_complete: 100, date_completed: '2026-11-24T08:15:00Z' })),
      }),
      { 'LU-Has-Next-Page': 'false' },
    );
  return state;
}

/** An installer in the courses (password chosen on the page: the portal user was made then) at `id`. */
function inCourses(id: string, language: 'nb' | 'en'): Installer {
  const at = new Date().toISOString();
  return {
    id,
    email: id,
    region: 'global',
    language,
    stage: 'courses_in_progress',
    createdAt: at,
    updatedAt: at,
    confirmationsSent: [],
    passwordHash: 'scrypt$x',
    passwordSetAt: at,
    profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Lade AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language },
  };
}

/**
 * Support corrects an installer's address while they take the courses on LearnUpon: the app finds
 * LearnUpon users by address, so the portal user must get the new one (a queued job), and what
 * LearnUpon still reports for the old address must reach the moved installer.
 */
describe('a corrected address reaches the LearnUpon user, and a completion webhook naming the old one certifies the moved installer', () => {
  const PORTAL = 'https://cpglobal-corrected.learnupon.com';
  const OLD = 'kari.nordmann@lade-feil.no';
  const NEW = 'kari.nordmann@lade.no';
  let h: Harness;
  const smtp = new TestSmtpServer();
  const sign = (body: string) => createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    await smtp.listen();
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('the PUT carries the new address (HTTP Basic), and the completion LearnUpon reports for the old address sends the invitation to the new one', async () => {
    const portal = fakePortal(PORTAL, OLD);
    h = await startApp({
      SMTP_URL: smtp.url,
      LEARNUPON_GLOBAL_PORTAL_URL: PORTAL,
      LEARNUPON_GLOBAL_API_KEY: 'key-corrected',
      LEARNUPON_GLOBAL_API_SECRET: 'secret-corrected',
      LEARNUPON_GLOBAL_COURSE_IDS: '501,502',
      LEARNUPON_GLOBAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
      LMS_POLL_INTERVAL_MS: '0',
    });
    await h.app.services.installers.create(inCourses(OLD, 'nb'));

    expect(await h.app.services.registration.correctEmail(OLD, NEW)).toEqual({ kind: 'corrected', installerId: NEW });
    // the job (the app's worker runs it) finds the user by the old address and gives it the new one
    await waitUntil(() => portal.puts.length > 0, 'the PUT to LearnUpon');
    expect(portal.puts[0]).toEqual({ status: 200, body: { User: { email: NEW } }, authorization: 'Basic ' + Buffer.from('key-corrected:secret-corrected').toString('base64') });
    expect(portal.email).toBe(NEW);

    // a completion LearnUpon queued before it had the new address (or its retry) names the old one
    const body = JSON.stringify({ data: [{ enrollmentId: 9502, courseId: 502, user: { userId: USER_ID, email: OLD }, enrollmentStatus: 'passed', percentage: 100, dateCompleted: '2026-11-24T08:15:00Z' }] });
    const answer = await fetch(`${h.url}/webhooks/learnupon`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Webhook-Signature': sign(body), 'X-Webhook-Type': 'course_completion', 'X-Webhook-Id': 'd-502' },
      body,
    });
    expect(answer.status).toBe(200);
    await waitUntil(async () => (await h.app.services.installers.get(NEW))?.stage === 'certified', 'the moved installer certified', 15_000);

    const invitation = await smtp.withSubject(localeText('nb', 'email:invitation.subject'));
    expect((Array.isArray(invitation.to) ? invitation.to : [invitation.to]).flatMap((to) => to?.value.map((v) => v.address)).filter(Boolean)).toEqual([NEW]);
    expect(await h.app.services.installers.get(OLD)).toBeUndefined();
    expect(portal.puts).toHaveLength(1);
  });
});

describe('the change of address as a durable job (LearnUpon answering 5xx, refusing, or the installer deleting their data first)', () => {
  const OLD = 'sam.smith@sparks-wrong.co.uk';
  const NEW = 'sam.smith@sparks.co.uk';
  let store: DocumentStore | undefined;
  let services: Services | undefined;
  let dataDir: string;
  let url: string;

  beforeAll(() => nock.disableNetConnect());
  afterEach(async () => {
    await services?.jobs.stop();
    await services?.mailer.stop();
    await services?.qrPool.close();
    await services?.passwords.close();
    await store?.close();
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());

  /** The services on a fresh SQLite store with `portal` as the global region's LearnUpon, and an installer in the courses at OLD. */
  async function build(portal: string): Promise<Services> {
    dataDir = tempDir('lu-corrected-');
    url = `sqlite://${dataDir}/store.sqlite`;
    const config = loadConfig({
      DATA_DIR: dataDir,
      DATA_URL: url,
      LEARNUPON_GLOBAL_PORTAL_URL: portal,
      LEARNUPON_GLOBAL_API_KEY: 'key-retry',
      LEARNUPON_GLOBAL_API_SECRET: 'secret-retry',
      LEARNUPON_GLOBAL_COURSE_IDS: '501,502',
      // polling is how completions arrive here; the test asks for each poll
      LMS_POLL_INTERVAL_MS: '3600000',
    });
    store = await openDocumentStore(url);
    const built = buildServices({
      config,
      store,
      translator: await createTranslator(),
      logger: createLogger({ level: 'silent' }),
      // one try per call (no waiting inside it): a 5xx fails the job's attempt, which the queue retries shortly
      lms: { retry: { attempts: 1 } },
      jobs: { pollMs: 50, retry: { baseMs: 100, maxMs: 200 } },
    });
    built.notifier.attach(async () => ({ kind: 'unreachable', status: 403 }));
    await built.installers.create(inCourses(OLD, 'en'));
    services = built;
    return built;
  }

  const linesNamingOld = async () => (await dumpStore(url)).split('\n').filter((line) => line.includes(OLD));

  it('503 → the job is pending, not given up; its retry sends the PUT again, and the poll after it certifies the installer at the new address (invitation in English)', async () => {
    const portal = fakePortal('https://cpglobal-corrected-retry.learnupon.com', OLD);
    portal.failPuts = 1;
    const s = await build('https://cpglobal-corrected-retry.learnupon.com');

    expect(await s.registration.correctEmail(OLD, NEW)).toEqual({ kind: 'corrected', installerId: NEW });
    await s.jobs.runDue();
    expect(portal.puts.map((p) => p.status)).toEqual([503]);
    expect(portal.email).toBe(OLD);
    expect(await s.jobs.dead()).toEqual([]);
    // the job still holds the old address: the only thing in the store that does, until it has run
    expect((await linesNamingOld()).length).toBeGreaterThan(0);

    await waitUntil(async () => {
      await s.jobs.runDue();
      return portal.email === NEW;
    }, 'the retried PUT');
    expect(portal.puts.map((p) => [p.status, p.body])).toEqual([
      [503, { User: { email: NEW } }],
      [200, { User: { email: NEW } }],
    ]);
    expect(await linesNamingOld()).toEqual([]);

    await s.jobs.enqueue('lmsPoll', {});
    await s.jobs.runDue();
    await s.jobs.runDue();
    expect((await s.installers.get(NEW))?.stage).toBe('certified');
    await s.mailer.flush();
    const invitations = (await localMails(dataDir)).filter((m) => m.subject === localeText('en', 'email:invitation.subject'));
    expect(invitations.map(mailRecipient)).toEqual([NEW]);
  });

  it('LearnUpon refuses the change (422): no retry can fix that, so the job is given up at once and listed as dead', async () => {
    const portal = fakePortal('https://cpglobal-corrected-refused.learnupon.com', OLD);
    portal.refusePuts = true;
    const s = await build('https://cpglobal-corrected-refused.learnupon.com');

    expect(await s.registration.correctEmail(OLD, NEW)).toEqual({ kind: 'corrected', installerId: NEW });
    await s.jobs.runDue();
    expect(portal.puts.map((p) => p.status)).toEqual([422]);
    expect((await s.jobs.dead()).map((job) => [job.type, job.attempts])).toEqual([['lmsEmailChange', 1]]);
    expect(portal.email).toBe(OLD);
  });

  it('"delete my data" before the job ran: the job (it names the old address) goes, and nothing is sent to LearnUpon', async () => {
    const portal = fakePortal('https://cpglobal-corrected-deleted.learnupon.com', OLD);
    const s = await build('https://cpglobal-corrected-deleted.learnupon.com');

    expect(await s.registration.correctEmail(OLD, NEW)).toEqual({ kind: 'corrected', installerId: NEW });
    expect((await linesNamingOld()).length).toBeGreaterThan(0);
    await s.registration.deleteInstaller(NEW);
    expect((await dumpStore(url)).split('\n').filter((line) => line.includes(OLD) || line.includes(NEW))).toEqual([]);

    await s.jobs.runDue();
    expect(portal.puts).toEqual([]);
  });
});
