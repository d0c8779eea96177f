import nock from 'nock';
import { createLogger } from '../../../src/logger';
import { LearnUponError } from '../../../src/services/lms/learnUponClient';
import { LearnUponLms } from '../../../src/services/lms/learnUponLms';
import type { LmsLearner } from '../../../src/services/lms/lmsPort';
import { LogCapture } from '../../helpers/logCapture';

const PORTAL = 'https://cpinstaller-test.learnupon.com';
const API = '/api/v1';
const KEY = 'lu-api-key-5f1d9c0e7b2a';
const SECRET = 'lu-api-secret-9e8d7c6b5a4f';
const PASSWORD = 'Fjordlys-Ladestasjon-2026!';
const EMAIL = 'kari.nordmann@elektro-test.no';
const BASIC = 'Basic ' + Buffer.from(`${KEY}:${SECRET}`).toString('base64');

const learner: LmsLearner = {
  installerId: EMAIL,
  email: EMAIL,
  region: 'na',
  language: 'nb',
  profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' },
};

function adapter(logs: LogCapture, options: { courseIds?: string[]; timeoutMs?: number; attempts?: number; labels?: boolean; createUserDeadlineMs?: number } = {}) {
  const waits: number[] = [];
  const lms = new LearnUponLms({
    settings: { region: 'na', portalUrl: PORTAL, apiKey: KEY, apiSecret: SECRET, courseIds: options.courseIds ?? ['101', '102'] },
    logger: createLogger({ level: 'debug', destination: logs }),
    timeoutMs: options.timeoutMs ?? 2000,
    customFieldLabels: options.labels ? { company: 'Company', phone: 'Phone', country: 'Country', postalCode: 'Postal code' } : {},
    retry: { attempts: options.attempts ?? 4, baseMs: 1, maxMs: 5, maxRetryAfterMs: 5000 },
    sleep: async (ms) => {
      waits.push(ms);
    },
    createUserDeadlineMs: options.createUserDeadlineMs,
  });
  return { lms, waits };
}

const COURSES = {
  courses: [
    { id: 101, name: 'Installing CPF50', course_length: 1.5, course_length_unit: 'hours', published_status_id: 'published' },
    { id: 102, name: 'Commissioning and pinpointing', course_length: 40, course_length_unit: 'minutes', published_status_id: 'published' },
    { id: 999, name: 'Unrelated sales course', published_status_id: 'published' },
  ],
};

/** Nothing secret (password, key, secret, basic credentials) and not the address in any log line. */
function expectNoSecretsLogged(logs: LogCapture) {
  for (const secret of [PASSWORD, KEY, SECRET, BASIC.slice(6), EMAIL, 'kari.nordmann']) expect(logs.text).not.toContain(secret);
}

describe('LearnUpon adapter (REST v1, nock against the documented shapes)', () => {
  let logs: LogCapture;
  beforeEach(() => {
    logs = new LogCapture();
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('creates the user with the chosen password in the same request, after searching by email, and logs none of it', async () => {
    const { lms } = adapter(logs, { labels: true });
    let sent: unknown;
    let authorization: string | undefined;
    const scope = nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(404, { message: 'User not found' })
      .post(`${API}/users`)
      .reply(function (_uri, body) {
        sent = body;
        authorization = this.req.headers.authorization;
        return [201, { id: 4711 }];
      });

    await expect(lms.createUserWithResult(learner, PASSWORD)).resolves.toBe('created');

    expect(scope.isDone()).toBe(true);
    expect(authorization).toBe(BASIC);
    expect(sent).toEqual({
      User: {
        email: EMAIL,
        password: PASSWORD,
        enabled: false,
        first_name: 'Kari',
        last_name: 'Nordmann',
        language: 'nb_no',
        CustomData: { Company: 'Elektro AS', Phone: '+4791234567', Country: 'NO', 'Postal code': '0150' },
      },
    });
    expect(logs.text).toContain('LearnUpon user created');
    expectNoSecretsLogged(logs);
  });

  it('leaves an existing portal user (and its password) as it is', async () => {
    const { lms } = adapter(logs);
    const scope = nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .times(2)
      .reply(200, { user: [{ id: 662, first_name: 'Kari', last_name: 'Nordmann', email: EMAIL, created_at: '2026-01-02T10:00:00Z', locale: 'nb_no' }] });
    // no POST /users and no PUT is mocked: any such request would fail the call
    await expect(lms.createUserWithResult(learner, PASSWORD)).resolves.toBe('existing');
    await expect(lms.createUser(learner, PASSWORD)).resolves.toBeUndefined();
    expect(scope.isDone()).toBe(true);
    expectNoSecretsLogged(logs);
  });

  it('treats a 422 on create (the address taken meanwhile) as an existing user', async () => {
    const { lms } = adapter(logs);
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(404)
      .post(`${API}/users`)
      .reply(422, { message: 'Email has already been taken' })
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 663, email: EMAIL }] });
    await expect(lms.createUserWithResult(learner, PASSWORD)).resolves.toBe('existing');
    expect(nock.isDone()).toBe(true);
  });

  it('writes the profile to the user: name, language and the custom user data labelled in config', async () => {
    const { lms } = adapter(logs, { labels: true });
    let sent: unknown;
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL }] })
      .put(`${API}/users/662`)
      .reply(200, (_uri, body) => {
        sent = body;
        return { id: 662 };
      });
    await lms.updateProfile(learner);
    expect(sent).toEqual({
      User: {
        first_name: 'Kari',
        last_name: 'Nordmann',
        language: 'nb_no',
        CustomData: { Company: 'Elektro AS', Phone: '+4791234567', Country: 'NO', 'Postal code': '0150' },
      },
    });
    expect(nock.isDone()).toBe(true);
  });

  it('enrols in every course of the region; 422 "already enrolled" is fine', async () => {
    const { lms } = adapter(logs);
    const enrolments: unknown[] = [];
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL, enabled: true, sign_in_count: 3 }] })
      .get(`${API}/courses`)
      .query({ page: 1 })
      .reply(200, COURSES, { 'LU-Has-Next-Page': 'false' })
      .post(`${API}/enrollments`)
      .reply(201, (_uri, body) => {
        enrolments.push(body);
        return { id: 9001, created_at: '2026-11-24T09:00:00Z', user_id: 662 };
      })
      .post(`${API}/enrollments`)
      .reply(422, (_uri, body) => {
        enrolments.push(body);
        return { message: 'User is already enrolled on this course' };
      });
    await expect(lms.enrolInRegionCourses(learner)).resolves.toBeUndefined();
    expect(enrolments).toEqual([{ Enrollment: { email: EMAIL, course_id: 101 } }, { Enrollment: { email: EMAIL, course_id: 102 } }]);
    expect(nock.isDone()).toBe(true);
  });

  it('enables the user it created (disabled until then) before enrolling; leaves a user disabled by admins alone', async () => {
    const { lms } = adapter(logs, { courseIds: ['101'] });
    let enabled: unknown;
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL, enabled: false, sign_in_count: 0 }] })
      .put(`${API}/users/662`)
      .reply(200, (_uri, body) => {
        enabled = body;
        return { id: 662 };
      })
      .get(`${API}/courses`)
      .query({ page: 1 })
      .reply(200, COURSES, { 'LU-Has-Next-Page': 'false' })
      .post(`${API}/enrollments`)
      .reply(201, { id: 9002 });
    await lms.enrolInRegionCourses(learner);
    expect(enabled).toEqual({ User: { enabled: true } });
    expect(nock.isDone()).toBe(true);

    // signed in before, then disabled on the portal: no PUT (none is mocked)
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL, enabled: false, sign_in_count: 12 }] })
      .post(`${API}/enrollments`)
      .reply(201, { id: 9003 });
    await lms.enrolInRegionCourses(learner);
    expect(nock.isDone()).toBe(true);
  });

  it('reads progress over every page of enrollments (LU-Has-Next-Page), in course order', async () => {
    const { lms } = adapter(logs, { courseIds: ['101', '102', '103'] });
    nock(PORTAL)
      .get(`${API}/courses`)
      .query({ page: 1 })
      .reply(200, { courses: [...COURSES.courses, { id: 103, name: 'Safety' }] }, { 'LU-Has-Next-Page': 'false' })
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL }] })
      .get(`${API}/enrollments/search`)
      .query({ user_id: '662', page: 1 })
      .reply(200, { enrollments: [{ id: 1, course_id: 999, status: 'passed', percentage_complete: 100 }] }, { 'LU-Has-Next-Page': 'true', 'LU-Current-Page': '1' })
      .get(`${API}/enrollments/search`)
      .query({ user_id: '662', page: 2 })
      .reply(200, { enrollments: [{ id: 2, course_id: 102, status: 'in_progress', percentage_complete: 40, date_completed: null }] }, { 'LU-Has-Next-Page': 'true', 'LU-Current-Page': '2' })
      .get(`${API}/enrollments/search`)
      .query({ user_id: '662', page: 3 })
      .reply(200, { enrollments: [{ id: 3, course_id: 101, status: 'passed', percentage_complete: 100, percentage: 92, date_completed: '2026-11-20T14:05:00Z' }] }, { 'LU-Has-Next-Page': 'false', 'LU-Current-Page': '3' });

    const progress = await lms.progress(learner);
    expect(progress.map((p) => ({ id: p.course.id, title: p.course.title.en, minutes: p.course.minutes, status: p.status, percent: p.percent, completedAt: p.completedAt }))).toEqual([
      { id: '101', title: 'Installing CPF50', minutes: 90, status: 'completed', percent: 100, completedAt: '2026-11-20T14:05:00.000Z' },
      { id: '102', title: 'Commissioning and pinpointing', minutes: 40, status: 'in_progress', percent: 40, completedAt: undefined },
      { id: '103', title: 'Safety', minutes: undefined, status: 'not_started', percent: 0, completedAt: undefined },
    ]);
    expect(progress.every((p) => p.startUrl === PORTAL)).toBe(true);
    expect(nock.isDone()).toBe(true);
  });

  it('waits for Retry-After on 429, then succeeds', async () => {
    const { lms, waits } = adapter(logs);
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(429, { message: 'Too many requests' }, { 'Retry-After': '2' })
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL }] });
    await expect(lms.findUser(EMAIL)).resolves.toMatchObject({ id: 662 });
    expect(waits).toEqual([2000]);
    expect(nock.isDone()).toBe(true);
  });

  it('gives up at once on a Retry-After longer than it may wait, saying how long LearnUpon asked for', async () => {
    const { lms, waits } = adapter(logs);
    nock(PORTAL).get(`${API}/users/search`).query({ email: EMAIL }).reply(429, {}, { 'Retry-After': '3600' });
    const error = await lms.findUser(EMAIL).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LearnUponError);
    expect(error).toMatchObject({ failure: 'rate_limited', status: 429, retryAfterMs: 3600000, retryable: true });
    expect(waits).toEqual([]);
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    const { lms, waits } = adapter(logs);
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(502, 'Bad gateway')
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(503, { message: 'maintenance' })
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL }] });
    await expect(lms.findUser(EMAIL)).resolves.toMatchObject({ id: 662 });
    expect(waits).toHaveLength(2);
    expect(nock.isDone()).toBe(true);
    expect(logs.text).toContain('LearnUpon request failed');
    expectNoSecretsLogged(logs);
  });

  it('stops after a bounded number of 5xx answers', async () => {
    const { lms, waits } = adapter(logs, { attempts: 3 });
    nock(PORTAL).get(`${API}/users/search`).query({ email: EMAIL }).times(3).reply(500);
    await expect(lms.findUser(EMAIL)).rejects.toMatchObject({ failure: 'server', status: 500, retryable: true });
    expect(waits).toHaveLength(2);
    expect(nock.isDone()).toBe(true);
  });

  it('times a slow answer out, retries, and succeeds when the portal answers in time', async () => {
    const { lms } = adapter(logs, { timeoutMs: 150 });
    nock(PORTAL)
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .delay(1000)
      .reply(200, { user: [] })
      .get(`${API}/users/search`)
      .query({ email: EMAIL })
      .reply(200, { user: [{ id: 662, email: EMAIL }] });
    await expect(lms.findUser(EMAIL)).resolves.toMatchObject({ id: 662 });
    expect(logs.text).toContain('"failure":"timeout"');
  });

  it('fails with a timeout when every attempt is too slow, within a bounded time', async () => {
    const { lms } = adapter(logs, { timeoutMs: 100, attempts: 2 });
    nock(PORTAL).get(`${API}/users/search`).query({ email: EMAIL }).times(2).delay(1000).reply(200, { user: [] });
    const started = Date.now();
    await expect(lms.findUser(EMAIL)).rejects.toMatchObject({ failure: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('createUser (inside the password page request) stops retrying when its deadline has gone', async () => {
    const { lms } = adapter(logs, { timeoutMs: 200, attempts: 10, createUserDeadlineMs: 450 });
    nock(PORTAL).get(`${API}/users/search`).query({ email: EMAIL }).times(10).delay(1000).reply(200, { user: [] });
    const started = Date.now();
    await expect(lms.createUser(learner, PASSWORD)).rejects.toMatchObject({ failure: 'timeout', retryable: true });
    expect(Date.now() - started).toBeLessThan(800);
    expectNoSecretsLogged(logs);
  });

  it('does not retry a refused request (4xx other than 429) and says it is not worth retrying', async () => {
    const { lms, waits } = adapter(logs);
    nock(PORTAL).put(`${API}/users/662`).reply(401, { message: 'Unauthorized' });
    await expect(lms.client.request('PUT', '/users/662', { body: { User: {} } })).rejects.toMatchObject({ failure: 'client', status: 401, retryable: false });
    expect(waits).toEqual([]);
  });

  describe('a corrected address (changeEmail)', () => {
    const FORMER = 'kari.nordmann@elektro-feil.no';
    const from = { installerId: FORMER, email: FORMER };
    const passed = (email: string) => ({ enrollments: [{ id: 1, course_id: 101, user_id: 662, email, status: 'passed', percentage_complete: 100 }] });

    it('gives the user found by the former address the new one, by its id, and reads its progress by that id; logs neither address', async () => {
      const { lms } = adapter(logs, { courseIds: ['101'] });
      let sent: unknown;
      nock(PORTAL)
        .get(`${API}/users/search`)
        .query({ email: EMAIL })
        .reply(404, { message: 'User not found' })
        .get(`${API}/users/search`)
        .query({ email: FORMER })
        .reply(200, { user: [{ id: 662, email: FORMER }] })
        .put(`${API}/users/662`)
        .matchHeader('authorization', BASIC)
        .reply(200, (_uri, body) => {
          sent = body;
          return {};
        })
        .get(`${API}/courses`)
        .query(true)
        .reply(200, COURSES)
        .get(`${API}/enrollments/search`)
        .query({ user_id: '662', page: 1 })
        .reply(200, passed(EMAIL));

      await lms.changeEmail(learner, from);
      expect(sent).toEqual({ User: { email: EMAIL } });
      // no search by the new address: the id is known
      expect((await lms.progress(learner)).map((p) => p.status)).toEqual(['completed']);
      expect(nock.isDone()).toBe(true);
      for (const address of [EMAIL, FORMER, 'kari.nordmann']) expect(logs.text).not.toContain(address);
    });

    it('changes nothing when the new address finds the user already (a retry whose answer was lost) or nobody has the former one', async () => {
      const { lms } = adapter(logs);
      nock(PORTAL)
        .get(`${API}/users/search`)
        .query({ email: EMAIL })
        .reply(200, { user: [{ id: 662, email: EMAIL }] })
        .get(`${API}/users/search`)
        .query({ email: FORMER })
        .reply(404, { message: 'User not found' })
        .get(`${API}/users/search`)
        .query({ email: EMAIL })
        .reply(404, { message: 'User not found' })
        .get(`${API}/users/search`)
        .query({ email: FORMER })
        .reply(404, { message: 'User not found' });
      await lms.changeEmail(learner, from);
      await lms.changeEmail(learner, from);
      expect(nock.isDone()).toBe(true);
    });

    it('leaves the former user alone when the new address has a portal user of its own (that one is the learner\'s now), and says so', async () => {
      const { lms } = adapter(logs);
      nock(PORTAL)
        .get(`${API}/users/search`)
        .query({ email: EMAIL })
        .reply(200, { user: [{ id: 700, email: EMAIL }] })
        .get(`${API}/users/search`)
        .query({ email: FORMER })
        .reply(200, { user: [{ id: 662, email: FORMER }] });
      await lms.changeEmail(learner, from);
      expect(nock.isDone()).toBe(true);
      expect(logs.text).toContain('portal user of its own');
      expect(await lms.userId(learner)).toBe('700');
    });

    it('a remembered user whose enrollments name another address now (changed on another instance) is looked up again by the address', async () => {
      const { lms } = adapter(logs, { courseIds: ['101'] });
      nock(PORTAL)
        .get(`${API}/users/search`)
        .query({ email: EMAIL })
        .reply(200, { user: [{ id: 662, email: EMAIL }] })
        .get(`${API}/courses`)
        .query(true)
        .reply(200, COURSES)
        .get(`${API}/enrollments/search`)
        .query({ user_id: '662', page: 1 })
        .reply(200, passed('someone.else@elektro-test.no'))
        .get(`${API}/users/search`)
        .query({ email: EMAIL })
        .reply(200, { user: [{ id: 4711, email: EMAIL }] })
        .get(`${API}/enrollments/search`)
        .query({ user_id: '4711', page: 1 })
        .reply(200, { enrollments: [] });
      expect(await lms.userId(learner)).toBe('662');
      expect((await lms.progress(learner)).map((p) => p.status)).toEqual(['not_started']);
      expect(await lms.userId(learner)).toBe('4711');
      expect(nock.isDone()).toBe(true);
    });
  });

  it('a failed createUser names neither the password nor the address in its error or the logs', async () => {
    const { lms } = adapter(logs, { attempts: 2 });
    nock(PORTAL).get(`${API}/users/search`).query({ email: EMAIL }).reply(404).post(`${API}/users`).times(2).reply(500, { message: `bad ${EMAIL}` });
    const error = await lms.createUser(learner, PASSWORD).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LearnUponError);
    expect(String((error as Error).message)).not.toContain(PASSWORD);
    expect(String((error as Error).message)).not.toContain(EMAIL);
    expectNoSecretsLogged(logs);
  });
});
