import nock from 'nock';
import type { Language } from '../../../src/domain/language';
import { createDialogRig, type DialogRig } from '../../helpers/dialogRig';
import { rewriteInstaller } from '../../helpers/installerFixture';
import { localeText } from '../../helpers/localeText';

/*
 * A chat turn never waits long on LearnUpon: the course list and `status` read the progress within
 * one short deadline (a few seconds for the whole read), whatever LearnUpon does — answers late,
 * answers 429 with a Retry-After the client would otherwise wait for, or answers 503 slowly again
 * and again (the client's own policy, for jobs, retries each for up to ~a minute). The installer
 * gets courses:chat.unavailable, or, once LearnUpon has answered before, the progress it last
 * reported with a note saying so. Over the real root dialog (DialogTestClient) with the app's
 * services and the LearnUpon adapter talking HTTP to nock, in the documented shapes.
 *
 * No test measures time: each turn must simply complete within the jest timeout, which the
 * client's own retry policy (10 s a try, 4 tries, Retry-After up to 30 s) would overrun.
 */

const PORTAL = 'https://cpglobal-turns.learnupon.com';
const API = '/api/v1';
const USER_ID = 771;
/** Two turns that each give up at the deadline (about 4 s) fit; one turn waiting on LearnUpon's retries does not. */
const TWO_TURNS_MS = 20_000;
/** Longer than a turn's deadline, and than LEARNUPON_TIMEOUT_MS (so the client's own policy would try 4 times, 10 s each). */
const SLOW_MS = 15_000;

const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string; status: string; courses: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@frist-test.no', status: 'fremdrift', courses: 'kurs' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@deadline-test.co.uk', status: 'status', courses: 'my courses' },
};

const CATALOGUE = [
  { id: 301, name: 'Installing CP6000', course_length: 45, course_length_unit: 'minutes', published_status_id: 'published' },
  { id: 302, name: 'Pinpointing stations', course_length: 1, course_length_unit: 'hours', published_status_id: 'published' },
];

/** LearnUpon answering the catalogue and the user search at once (the adapter then remembers both). */
function catalogueAndUser(email: string): void {
  nock(PORTAL).get(`${API}/courses`).query(true).reply(200, { courses: CATALOGUE }, { 'LU-Has-Next-Page': 'false' }).persist();
  nock(PORTAL).get(`${API}/users/search`).query({ email }).reply(200, { user: [{ id: USER_ID, email, first_name: 'Kari', last_name: 'Nordmann' }] }).persist();
}

const enrollments = () => nock(PORTAL).get(`${API}/enrollments/search`).query({ user_id: String(USER_ID), page: 1 });

/** The course lines as the chat shows them (text from the locale files as data). */
function courseLines(language: Language, progress: [string, number][]): string {
  return CATALOGUE.map((course, i) => {
    const [status, percent] = progress[i]!;
    const progressText = status === 'in_progress' ? localeText(language, 'courses:status.in_progress', { percent }) : localeText(language, `courses:status.${status}`);
    const minutes = course.course_length_unit === 'hours' ? course.course_length * 60 : course.course_length;
    return `- ${localeText(language, 'courses:chat.line', { title: course.name, minutes, progress: progressText })}`;
  }).join('\n');
}

/** A locale text with {{date}} and {{time}} as a pattern (the moment the progress stood so is the test run's own). */
function withDateAndTime(language: Language, key: string): string {
  const marked = localeText(language, key, { date: '\u0000DATE\u0000', time: '\u0000TIME\u0000' });
  return marked
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace('\u0000DATE\u0000', '[0-9]{1,2}(?:\\.[0-9]{1,2}\\.| [A-Za-z]{3,4})')
    .replace('\u0000TIME\u0000', '[0-9]{2}[:.][0-9]{2}');
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each<Language>(['nb', 'en'])('a chat turn with LearnUpon slow or failing, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect(/127\.0\.0\.1|localhost/);
    rig = await createDialogRig(w.locale, 'test', {
      LEARNUPON_GLOBAL_PORTAL_URL: PORTAL,
      LEARNUPON_GLOBAL_API_KEY: 'key-turns',
      LEARNUPON_GLOBAL_API_SECRET: 'secret-turns',
      LMS_POLL_INTERVAL_MS: '0',
    });
    // registered and confirmed in the chat; the profile saved and the courses assigned (as the jobs would)
    for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(text);
    await rig.say(await rig.codeFor(w.email));
    await rewriteInstaller(rig.store, w.email, (i) => ({
      ...i,
      passwordHash: 'scrypt$x',
      stage: 'courses_in_progress',
      profile: { firstName: 'Kari', lastName: 'Nordmann', company: 'Frist AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language },
    }));
    // the next message moves the chat on to the course step; LearnUpon refuses that read (400: not
    // retried), so no progress is known yet
    catalogueAndUser(w.email);
    enrollments().reply(400, { message: 'Bad request' });
    const first = await rig.say('ok');
    expect(first).toContain(localeText(language, 'courses:chat.unavailable'));
    nock.cleanAll();
  }, 60_000);
  afterEach(() => {
    // the delayed answers LearnUpon "still owes" (the turns stopped waiting for them)
    nock.abortPendingRequests();
  });
  afterAll(async () => {
    await rig.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  beforeEach(() => {
    nock.cleanAll();
    catalogueAndUser(w.email);
  });

  const unavailable = () => localeText(language, 'courses:chat.unavailable');
  const statusHeading = () => `➡️ **${localeText(language, 'journey:stage.courses_in_progress')}** ${localeText(language, 'journey:youAreHere')}`;

  /** The course list turn and the status turn each answer "I can't fetch your courses right now" (status with the journey above it, once). */
  async function listAndStatusSayUnavailable(): Promise<void> {
    const list = await rig.say(w.courses);
    expect(list).toContain(unavailable());
    expect(list.join('\n')).not.toContain(CATALOGUE[0]!.name);

    const status = await rig.say(w.status);
    expect(status[0]).toContain(statusHeading());
    expect(status[0]!.endsWith(`\n\n${unavailable()}`)).toBe(true);
    // the step's question asked again after the status reads the same turn's answer: said once, not waited for twice
    expect(status.filter((text) => text.includes(unavailable()))).toHaveLength(1);
  }

  it('LearnUpon not answering the enrollments: both turns answer at the deadline with "unavailable"', async () => {
    const slow = enrollments().delay(SLOW_MS).reply(200, { enrollments: [] }, { 'LU-Has-Next-Page': 'false' }).persist();
    await listAndStatusSayUnavailable();
    expect(slow.isDone()).toBe(true);
  }, TWO_TURNS_MS);

  it('LearnUpon answering 429 with a Retry-After of 25 s: not waited for inside a turn', async () => {
    const limited = enrollments().reply(429, { message: 'Too many requests' }, { 'Retry-After': '25' }).persist();
    await listAndStatusSayUnavailable();
    expect(limited.isDone()).toBe(true);
  }, TWO_TURNS_MS);

  it('LearnUpon answering 503 again and again, each after 3 s: the retries stop at the deadline', async () => {
    const failing = enrollments().delay(3000).reply(503, { message: 'Service Unavailable' }).persist();
    await listAndStatusSayUnavailable();
    expect(failing.isDone()).toBe(true);
  }, TWO_TURNS_MS);

  it('once LearnUpon has answered, a slow LearnUpon gets the progress it last reported, said so, in the list and in status', async () => {
    enrollments().reply(
      200,
      { enrollments: [{ id: 9301, course_id: 301, user_id: USER_ID, status: 'in_progress', percentage_complete: 40 }, { id: 9302, course_id: 302, user_id: USER_ID, status: 'not_started', percentage_complete: 0 }] },
      { 'LU-Has-Next-Page': 'false' },
    );
    const lines = courseLines(language, [['in_progress', 40], ['not_started', 0]]);
    // live: the list (the step's first list since the courses became ready)
    const [live] = await rig.say(w.courses);
    expect(live!.startsWith([localeText(language, 'courses:chat.ready'), lines, localeText(language, 'courses:chat.next')].join('\n\n'))).toBe(true);

    // LearnUpon stops answering: the same progress, with the note that it is the last known
    enrollments().delay(SLOW_MS).reply(200, { enrollments: [] }, { 'LU-Has-Next-Page': 'false' }).persist();
    const [known] = await rig.say(w.courses);
    const note = withDateAndTime(language, 'courses:chat.lastKnown');
    expect(known).toMatch(new RegExp(`^${escape(localeText(language, 'courses:chat.list'))}\\n\\n${escape(lines)}\\n\\n${note}\\n\\n${escape(localeText(language, 'courses:chat.next'))}`));
    // the Start/Continue links are still there (a text-only channel gets them in the text)
    expect(known).toContain(`${localeText(language, 'courses:chat.continueButton', { title: CATALOGUE[0]!.name })}: ${PORTAL}`);

    const [status] = await rig.say(w.status);
    expect(status).toContain(statusHeading());
    expect(status).toMatch(new RegExp(`${escape(localeText(language, 'courses:statusHeading'))}\\n${escape(lines)}\\n\\n${note}$`));
    expect(status).not.toContain(unavailable());
  }, 30_000);
});
