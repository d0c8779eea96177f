import { createHmac } from 'node:crypto';
import nock from 'nock';
import { startApp, type Harness } from '../../helpers/appHarness';
import { rewriteInstaller } from '../../helpers/installerFixture';
import { localeText } from '../../helpers/localeText';
import { TestSmtpServer, waitUntil } from '../../helpers/testSmtpServer';

const PORTAL = 'https://cpglobal-journey.learnupon.com';
const API = '/api/v1';
const SECRET = 'global-webhook-signing-secret-certify-1';
const EMAIL = 'kari.nordmann@lade-test.no';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');
const completion = (courseId: number) =>
  JSON.stringify({ data: [{ enrollmentId: 9000 + courseId, courseId, user: { userId: 662, email: EMAIL }, enrollmentStatus: 'passed', percentage: 100, dateCompleted: '2026-11-24T08:15:00Z' }] });

/**
 * LearnUpon's webhook through to certification: the delivery is answered at once and handed to a
 * durable job; the job asks LearnUpon for the progress, and after the last course the installer is
 * certified and gets the invitation email (a real SMTP server receives it).
 */
describe('a LearnUpon course_completion webhook certifies the installer through a durable job', () => {
  let h: Harness;
  const smtp = new TestSmtpServer();

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    await smtp.listen();
    // the course titles (the adapter reads them once and keeps them a while)
    nock(PORTAL).get(`${API}/courses`).query(true).reply(200, { courses: [{ id: 201, name: 'Installing CP6000' }, { id: 202, name: 'Pinpointing stations' }] }, { 'LU-Has-Next-Page': 'false' }).persist();
    h = await startApp({
      SMTP_URL: smtp.url,
      LEARNUPON_GLOBAL_PORTAL_URL: PORTAL,
      LEARNUPON_GLOBAL_API_KEY: 'key-global',
      LEARNUPON_GLOBAL_API_SECRET: 'secret-global',
      LEARNUPON_GLOBAL_COURSE_IDS: '201,202',
      LEARNUPON_GLOBAL_WEBHOOK_SECRET: SECRET,
      LMS_POLL_INTERVAL_MS: '0',
    });
    await h.app.services.installers.create({
      id: EMAIL, email: EMAIL, region: 'global', language: 'nb', stage: 'new', createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), confirmationsSent: [], stationsLocalized: [],
    });
    await rewriteInstaller(h.app.store, EMAIL, (i) => ({
      ...i,
      stage: 'courses_in_progress',
      passwordHash: 'scrypt$x',
      profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Lade AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' },
    }));
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const post = (body: string, id: string) =>
    fetch(`${h.url}/webhooks/learnupon`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Webhook-Signature': sign(body), 'X-Webhook-Type': 'course_completion', 'X-Webhook-Id': id },
      body,
    });
  const progress = (items: Array<{ course_id: number; status: string; percentage_complete: number; date_completed?: string }>) => {
    // the adapter looks the user up unless it knows the id already
    nock(PORTAL).get(`${API}/users/search`).query({ email: EMAIL }).optionally().reply(200, { user: [{ id: 662, email: EMAIL }] });
    return nock(PORTAL).get(`${API}/enrollments/search`).query({ user_id: '662', page: 1 }).reply(200, { enrollments: items }, { 'LU-Has-Next-Page': 'false' });
  };

  it('the first completion keeps the installer in the courses; the last certifies and mails the invitation once', async () => {
    const asked = progress([
      { course_id: 201, status: 'passed', percentage_complete: 100, date_completed: '2026-11-24T08:15:00Z' },
      { course_id: 202, status: 'in_progress', percentage_complete: 40 },
    ]);
    const first = await post(completion(201), 'd-201');
    expect(first.status).toBe(200);
    await waitUntil(async () => asked.isDone(), 'the job asking LearnUpon for the progress');
    await h.app.services.jobs.runDue();
    expect((await h.app.services.installers.get(EMAIL))!.stage).toBe('courses_in_progress');

    progress([
      { course_id: 201, status: 'passed', percentage_complete: 100, date_completed: '2026-11-24T08:15:00Z' },
      { course_id: 202, status: 'completed', percentage_complete: 100, date_completed: '2026-11-24T09:30:00Z' },
    ]);
    const last = await post(completion(202), 'd-202');
    expect(last.status).toBe(200);
    await waitUntil(async () => (await h.app.services.installers.get(EMAIL))!.stage === 'certified', 'certified');
    const installer = (await h.app.services.installers.get(EMAIL))!;
    expect(installer.stageHistory!.map((e) => [e.stage, e.event])).toContainEqual(['certified', 'coursesCompleted']);

    const invitation = await smtp.withSubject(localeText('nb', 'email:invitation.subject'));
    expect(invitation.text).toContain('/account/invitation?token=');

    // the same delivery again (LearnUpon retries): answered, and nothing happens twice
    const replay = await post(completion(202), 'd-202-retry');
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ status: 'duplicate' });
    await h.app.services.jobs.runDue();
    const invitations = (await smtp.parsed()).filter((m) => m.subject === localeText('nb', 'email:invitation.subject'));
    expect(invitations).toHaveLength(1);
  });
});
