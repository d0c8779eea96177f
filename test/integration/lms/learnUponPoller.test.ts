import nock from 'nock';
import { createLogger } from '../../../src/logger';
import { createLearnUponPoller, createLms } from '../../../src/services/lms/createLms';
import type { CourseProgress, Lms, LmsLearner } from '../../../src/services/lms/lmsPort';
import { LogCapture } from '../../helpers/logCapture';

const NA = 'https://cpinstaller-test.learnupon.com';
const API = '/api/v1';

/** The local LMS stands in for the region without LearnUpon; polling must never ask it. */
class RecordingLocalLms implements Lms {
  readonly calls: string[] = [];
  async createUser(): Promise<void> {
    this.calls.push('createUser');
  }
  async updateProfile(): Promise<void> {
    this.calls.push('updateProfile');
  }
  async enrolInRegionCourses(): Promise<void> {
    this.calls.push('enrol');
  }
  async progress(): Promise<CourseProgress[]> {
    this.calls.push('progress');
    return [];
  }
  async changeEmail(): Promise<void> {
    this.calls.push('changeEmail');
  }
}

const kari: LmsLearner = { installerId: 'kari@elektro-test.no', email: 'kari@elektro-test.no', region: 'na', language: 'nb' };
const john: LmsLearner = { installerId: 'john@sparks-test.com', email: 'john@sparks-test.com', region: 'na', language: 'en' };
const ingrid: LmsLearner = { installerId: 'ingrid@lokal-test.no', email: 'ingrid@lokal-test.no', region: 'global', language: 'nb' };

const config = {
  LEARNUPON_NA_PORTAL_URL: NA,
  LEARNUPON_NA_API_KEY: 'key',
  LEARNUPON_NA_API_SECRET: 'secret',
  LEARNUPON_NA_COURSE_IDS: '101,102',
  LMS_POLL_INTERVAL_MS: 60000,
};

describe('LearnUpon polling fallback', () => {
  let logs: LogCapture;
  beforeEach(() => {
    logs = new LogCapture();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  function setup() {
    const local = new RecordingLocalLms();
    const logger = createLogger({ level: 'debug', destination: logs });
    const lms = createLms(config, { local, logger, retry: { attempts: 2, baseMs: 1, maxMs: 2 } });
    const poller = createLearnUponPoller(config, lms, logger);
    if (!poller) throw new Error('expected a poller');
    return { local, lms, poller };
  }

  const courses = () =>
    nock(NA)
      .get(`${API}/courses`)
      .query({ page: 1 })
      .reply(200, { courses: [{ id: 101, name: 'Installing' }, { id: 102, name: 'Pinpointing' }] }, { 'LU-Has-Next-Page': 'false' });
  const user = (email: string, id: number) => nock(NA).get(`${API}/users/search`).query({ email }).reply(200, { user: [{ id, email }] });
  const enrollments = (userId: number, items: unknown[]) =>
    nock(NA).get(`${API}/enrollments/search`).query({ user_id: String(userId), page: 1 }).reply(200, { enrollments: items }, { 'LU-Has-Next-Page': 'false' });

  it('polls until the courses are completed, and reports each completion with region, address, user and date', async () => {
    const { poller, local } = setup();
    expect(poller.intervalMs).toBe(60000);
    courses();
    user(kari.email, 662);
    enrollments(662, [
      { course_id: 101, status: 'in_progress', percentage_complete: 50 },
      { course_id: 102, status: 'not_started', percentage_complete: 0 },
    ]);
    expect(await poller.pollOnce([kari, ingrid])).toEqual([]);

    enrollments(662, [
      { course_id: 101, status: 'passed', percentage_complete: 100, date_completed: '2026-11-24T08:00:00Z' },
      { course_id: 102, status: 'in_progress', percentage_complete: 70 },
    ]);
    expect(await poller.pollOnce([kari, ingrid])).toEqual([
      { region: 'na', email: kari.email, lmsUserId: '662', courseId: '101', completedAt: '2026-11-24T08:00:00.000Z' },
    ]);

    enrollments(662, [
      { course_id: 101, status: 'passed', percentage_complete: 100, date_completed: '2026-11-24T08:00:00Z' },
      { course_id: 102, status: 'completed', percentage_complete: 100, date_completed: '2026-11-24T09:30:00Z' },
    ]);
    const done = await poller.pollOnce([kari, ingrid]);
    expect(done.map((c) => c.courseId)).toEqual(['101', '102']);
    expect(nock.isDone()).toBe(true);
    // the learner of the region without LearnUpon is not polled here (nor sent to the local LMS)
    expect(local.calls).toEqual([]);
  });

  it('goes on with the other learners when one fails', async () => {
    const { poller } = setup();
    courses();
    nock(NA).get(`${API}/users/search`).query({ email: kari.email }).times(2).reply(500);
    user(john.email, 663);
    enrollments(663, [{ course_id: 102, status: 'completed', date_completed: '2026-11-23T12:00:00Z' }]);
    const found = await poller.pollOnce([kari, john]);
    expect(found).toEqual([{ region: 'na', email: john.email, lmsUserId: '663', courseId: '102', completedAt: '2026-11-23T12:00:00.000Z' }]);
    expect(logs.text).toContain('LearnUpon poll of a learner failed');
    expect(logs.text).not.toContain(kari.email);
  });
});
