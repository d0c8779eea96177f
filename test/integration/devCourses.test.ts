import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import type { Installer } from '../../src/domain/installer';
import type { Language } from '../../src/domain/language';
import { createLogger } from '../../src/logger';
import { freePort, LogCapture, startApp, tempDir, type Harness } from '../helpers/appHarness';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText } from '../helpers/localeText';

const AT = '2026-03-01T08:00:00.000Z';

function record(id: string, language: Language): Installer {
  return { id, email: id, region: 'global', language, stage: 'confirmed', createdAt: AT, updatedAt: AT, confirmationsSent: [], stationsLocalized: [] };
}

/** The page's text without tags, whitespace collapsed (what a person reads). */
function visible(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)))
    .replace(/\s+/g, ' ')
    .trim();
}

const post = (url: string, form: Record<string, string>) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });

describe('/dev/courses on a development machine', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startApp();
  });
  afterAll(() => harness.stop());

  /** An installer with a saved profile, enrolled by the course journey; its course list with Start links. */
  async function enrolled(id: string, language: Language) {
    const { services } = harness.app;
    await services.installers.create(record(id, language));
    await rewriteInstaller(harness.app.store, id, (i) => ({ ...i, stage: 'profile_complete' }));
    expect(await services.courses.afterProfileSaved(id)).toBe('enrolled');
    return (await services.courses.progress(id))!;
  }

  it.each<Language>(['nb', 'en'])('in %s: a person starts a course, sees progress, completes every course, and is certified', async (language) => {
    const id = `kari.${language}@elektro.no`;
    const courses = await enrolled(id, language);
    const first = courses[0]!;
    // the Start link: this server, an opaque token, no email
    expect(first.startUrl.startsWith(`${harness.app.config.PUBLIC_URL}/dev/courses/${first.course.id}?token=`)).toBe(true);
    expect(first.startUrl).not.toMatch(/kari|elektro|%40/);

    const page = await fetch(first.startUrl);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const shown = visible(await page.text());
    expect(shown).toContain(first.course.title[language]);
    expect(shown).toContain(localeText(language, 'courses:page.duration', { minutes: first.course.minutes! }));
    expect(shown).toContain(`${localeText(language, 'courses:page.progressLabel')} ${localeText(language, 'courses:status.not_started')}`);
    expect(shown).toContain(localeText(language, 'courses:page.start'));

    const token = new URL(first.startUrl).searchParams.get('token')!;
    const base = `${harness.url}/dev/courses/${first.course.id}`;
    let shownAfter = visible(await (await post(`${base}/start`, { token })).text());
    expect(shownAfter).toContain(localeText(language, 'courses:page.started'));
    expect(shownAfter).toContain(`${localeText(language, 'courses:page.progressLabel')} ${localeText(language, 'courses:status.in_progress', { percent: 20 })}`);
    shownAfter = visible(await (await post(`${base}/next`, { token })).text());
    expect(shownAfter).toContain(localeText(language, 'courses:page.advanced', { percent: 40 }));
    expect(shownAfter).toContain(localeText(language, 'courses:status.in_progress', { percent: 40 }));

    const done = await post(`${base}/complete`, { token });
    expect(done.status).toBe(200);
    shownAfter = visible(await done.text());
    expect(shownAfter).toContain(localeText(language, 'courses:page.completed'));
    expect(shownAfter).toContain(`${localeText(language, 'courses:page.progressLabel')} ${localeText(language, 'courses:status.completed')}`);
    // completing again changes nothing
    expect(visible(await (await post(`${base}/complete`, { token })).text())).toContain(localeText(language, 'courses:page.alreadyCompleted'));
    expect((await harness.app.services.installers.get(id))!.stage).toBe('courses_in_progress');

    for (const other of courses.slice(1)) {
      expect((await post(`${harness.url}/dev/courses/${other.course.id}/complete`, { token })).status).toBe(200);
    }
    const installer = await harness.app.services.installers.get(id);
    expect(installer!.stage).toBe('certified');
    expect(installer!.certifiedAt).toBeDefined();
    expect((await harness.app.services.courses.progress(id))!.every((p) => p.status === 'completed')).toBe(true);
  });

  it('refuses a forged token, an unknown course and an unknown action, in the asked language', async () => {
    const id = 'ola@elektro.no';
    const courses = await enrolled(id, 'nb');
    const forged = await fetch(`${harness.url}/dev/courses/${courses[0]!.course.id}?token=AAAAAAAAAAAAAAAAAAAAAA.${'A'.repeat(43)}&lang=en`);
    expect(forged.status).toBe(400);
    expect(visible(await forged.text())).toContain(localeText('en', 'courses:page.problem.invalid'));
    const token = new URL(courses[0]!.startUrl).searchParams.get('token')!;
    const unknown = await fetch(`${harness.url}/dev/courses/no-such-course?token=${encodeURIComponent(token)}`);
    expect(unknown.status).toBe(404);
    expect(visible(await unknown.text())).toContain(localeText('nb', 'courses:page.problem.unknownCourse'));
    expect((await post(`${harness.url}/dev/courses/${courses[0]!.course.id}/finish-it`, { token })).status).toBe(404);
    // nothing was completed by any of it
    expect((await harness.app.services.courses.progress(id))!.map((p) => p.status)).toEqual(['not_started', 'not_started', 'not_started']);
    // no token, email or address in the log
    expect(harness.logs.text).not.toContain(token);
    expect(harness.logs.text).not.toContain(id);
  });
});

describe('/dev/courses in production', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  it('is not served on a public PUBLIC_URL (404), and is with DEV_COURSES=true', async () => {
    for (const [devCourses, expected] of [[false, 404], [true, 400]] as const) {
      const config = loadConfig({ PORT: String(await freePort()), DATA_DIR: tempDir('devcourses-'), PUBLIC_URL: 'https://onboarding.example.no', SMTP_URL: 'smtp://mail.example.no:587' });
      app = await createApp({ ...config, DEV_COURSES: devCourses }, { logger: createLogger({ level: 'silent', destination: new LogCapture() }) });
      const url = await app.start();
      expect((await fetch(`${url}/dev/courses/cp-eu-installer-certification?token=x`)).status).toBe(expected);
      expect((await post(`${url}/dev/courses/cp-eu-installer-certification/complete`, { token: 'x' })).status).toBe(expected);
      await app.stop();
      app = undefined;
    }
  });
});
