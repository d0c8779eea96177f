import nock from 'nock';
import type { Language } from '../../../src/domain/language';
import { knownProgressKey } from '../../../src/services/courses/courseJourney';
import { startApp, type Harness } from '../../helpers/appHarness';
import { rewriteInstaller } from '../../helpers/installerFixture';
import { localeText } from '../../helpers/localeText';
import { TestSmtpServer, waitUntil } from '../../helpers/testSmtpServer';

const PORTAL = 'https://cpglobal-polling.learnupon.com';
const API = '/api/v1';

interface Learner {
  email: string;
  language: Language;
  userId: number;
}

const KARI: Learner = { email: 'kari@poll-test.no', language: 'nb', userId: 881 };
const SAM: Learner = { email: 'sam@poll-test.co.uk', language: 'en', userId: 882 };

type Enrollment = { id: number; course_id: number; user_id: number; status: string; percentage_complete: number; date_completed?: string };

/** What LearnUpon's enrollments search answers for each user now (the test moves it on). */
const enrolled = new Map<number, Enrollment[]>();
const halfway = (userId: number): Enrollment[] => [
  { id: userId * 10 + 1, course_id: 401, user_id: userId, status: 'passed', percentage_complete: 100, date_completed: '2026-11-24T08:15:00Z' },
  { id: userId * 10 + 2, course_id: 402, user_id: userId, status: 'in_progress', percentage_complete: 60 },
];
const finished = (userId: number): Enrollment[] => [
  { id: userId * 10 + 1, course_id: 401, user_id: userId, status: 'passed', percentage_complete: 100, date_completed: '2026-11-24T08:15:00Z' },
  { id: userId * 10 + 2, course_id: 402, user_id: userId, status: 'completed', percentage_complete: 100, date_completed: '2026-11-24T10:40:00Z' },
];

/**
 * The recurring lmsPoll job end to end, where LearnUpon's webhooks are not enabled: every interval
 * it lists the installers at courses_in_progress, reads their enrollments from LearnUpon, and queues
 * each completion as a courseCompleted job; after the last course the installer is certified and the
 * invitation email (in the installer's language) reaches a real SMTP server.
 */
describe('the LearnUpon poll job carries installers to certified and the invitation email (nb and en)', () => {
  let h: Harness;
  const smtp = new TestSmtpServer();
  const asked = new Map<number, number>();

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    await smtp.listen();
    nock(PORTAL).get(`${API}/courses`).query(true).reply(200, { courses: [{ id: 401, name: 'Installing CP6000' }, { id: 402, name: 'Pinpointing stations' }] }, { 'LU-Has-Next-Page': 'false' }).persist();
    for (const learner of [KARI, SAM]) {
      nock(PORTAL).get(`${API}/users/search`).query({ email: learner.email }).reply(200, { user: [{ id: learner.userId, email: learner.email }] }).persist();
      nock(PORTAL)
        .get(`${API}/enrollments/search`)
        .query({ user_id: String(learner.userId), page: 1 })
        .reply(200, () => {
          asked.set(learner.userId, (asked.get(learner.userId) ?? 0) + 1);
          return { enrollments: enrolled.get(learner.userId) ?? [] };
        }, { 'LU-Has-Next-Page': 'false' })
        .persist();
      enrolled.set(learner.userId, halfway(learner.userId));
    }
    h = await startApp({
      SMTP_URL: smtp.url,
      LEARNUPON_GLOBAL_PORTAL_URL: PORTAL,
      LEARNUPON_GLOBAL_API_KEY: 'key-poll',
      LEARNUPON_GLOBAL_API_SECRET: 'secret-poll',
      LEARNUPON_GLOBAL_COURSE_IDS: '401,402',
      // no webhook secret: polling is how completions arrive
      LMS_POLL_INTERVAL_MS: '200',
    });
    for (const learner of [KARI, SAM]) {
      const at = new Date().toISOString();
      await h.app.services.installers.create({ id: learner.email, email: learner.email, region: 'global', language: learner.language, stage: 'new', createdAt: at, updatedAt: at, confirmationsSent: [], stationsLocalized: [] });
      await rewriteInstaller(h.app.store, learner.email, (i) => ({
        ...i,
        stage: 'courses_in_progress',
        passwordHash: 'scrypt$x',
        profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Poll AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: learner.language },
      }));
    }
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const stage = async (learner: Learner) => (await h.app.services.installers.get(learner.email))!.stage;
  const invitationsTo = async (learner: Learner) =>
    (await smtp.parsed()).filter((mail) => mail.subject === localeText(learner.language, 'email:invitation.subject') && mail.to !== undefined && JSON.stringify(mail.to).includes(learner.email));

  it('polls while a course is left, then certifies each installer once and mails the invitation', async () => {
    // a few polls with one course left: the installers stay in the courses
    await waitUntil(() => (asked.get(KARI.userId) ?? 0) >= 3 && (asked.get(SAM.userId) ?? 0) >= 3, 'three polls of each installer', 15_000);
    await h.app.services.jobs.runDue();
    expect(await stage(KARI)).toBe('courses_in_progress');
    expect(await stage(SAM)).toBe('courses_in_progress');
    // each poll keeps the progress read as the installer's last known (what a chat turn shows when LearnUpon is slow)
    const known = await h.app.store.get<{ courses: Array<{ course: { id: string }; status: string; percent: number }> }>(knownProgressKey(KARI.email));
    expect(known?.value.courses.map((p) => [p.course.id, p.status, p.percent])).toEqual([['401', 'completed', 100], ['402', 'in_progress', 60]]);

    // the last course completed on the portal: the next poll finds it
    for (const learner of [KARI, SAM]) enrolled.set(learner.userId, finished(learner.userId));
    await waitUntil(async () => (await stage(KARI)) === 'certified' && (await stage(SAM)) === 'certified', 'both installers certified', 20_000);
    for (const learner of [KARI, SAM]) {
      const installer = (await h.app.services.installers.get(learner.email))!;
      expect(installer.stageHistory!.map((e) => [e.stage, e.event])).toContainEqual(['certified', 'coursesCompleted']);
      const invitation = await smtp.withSubject(localeText(learner.language, 'email:invitation.subject'));
      expect(invitation.text).toContain('/account/invitation?token=');
    }

    // a completion reported again (by a later poll, or the same job run again) changes nothing
    await h.app.services.jobs.runDue();
    expect(await invitationsTo(KARI)).toHaveLength(1);
    expect(await invitationsTo(SAM)).toHaveLength(1);
  }, 60_000);
});
