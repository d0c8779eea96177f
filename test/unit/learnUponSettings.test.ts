import { ConfigError, loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { retryAfterMs } from '../../src/services/store/backoff';
import { courseStatusOf, languageCode, LearnUponLms } from '../../src/services/lms/learnUponLms';
import { createLearnUponPoller, createLms } from '../../src/services/lms/createLms';
import { learnUponSettingsFromConfig, parseProfileFieldLabels } from '../../src/services/lms/learnUponSettings';
import { completionFromEvent } from '../../src/services/lms/learnUponWebhook';
import type { CourseProgress, Lms, LmsLearner } from '../../src/services/lms/lmsPort';

const silent = createLogger({ level: 'silent' });

class LocalStandIn implements Lms {
  readonly created: string[] = [];
  async createUser(learner: LmsLearner): Promise<void> {
    this.created.push(learner.region);
  }
  async updateProfile(): Promise<void> {}
  async enrolInRegionCourses(): Promise<void> {}
  async progress(): Promise<CourseProgress[]> {
    return [];
  }
  async changeEmail(): Promise<void> {}
}

const NA = {
  LEARNUPON_NA_PORTAL_URL: 'https://cpinstaller.learnupon.com/',
  LEARNUPON_NA_API_KEY: 'k',
  LEARNUPON_NA_API_SECRET: 's',
};

describe('LearnUpon configuration', () => {
  it('configures a region only with portal URL, key and secret; course ids in order; no trailing slash', () => {
    const settings = learnUponSettingsFromConfig({ ...NA, LEARNUPON_NA_COURSE_IDS: ' 12, 7 ,30', LEARNUPON_GLOBAL_PORTAL_URL: 'https://cpglobal.learnupon.com' });
    expect(Object.keys(settings.regions)).toEqual(['na']);
    expect(settings.regions.na).toEqual({ region: 'na', portalUrl: 'https://cpinstaller.learnupon.com', apiKey: 'k', apiSecret: 's', courseIds: ['12', '7', '30'], webhookSecret: undefined });
    expect(settings.timeoutMs).toBe(10000);
    expect(settings.pollIntervalMs).toBe(900000);
  });

  it('nothing configured → no LearnUpon at all (the local LMS for both regions)', () => {
    const config = loadConfig({});
    expect(learnUponSettingsFromConfig(config).regions).toEqual({});
    expect(config.LMS_POLL_INTERVAL_MS).toBe(900000);
  });

  it.each([
    [{ LEARNUPON_NA_PORTAL_URL: 'https://cpinstaller.learnupon.com' }, 'LEARNUPON_NA_API_KEY'],
    [{ LEARNUPON_GLOBAL_PORTAL_URL: 'https://cpglobal.learnupon.com', LEARNUPON_GLOBAL_API_KEY: 'k' }, 'LEARNUPON_GLOBAL_API_KEY'],
    [{ LEARNUPON_NA_PORTAL_URL: 'http://cpinstaller.learnupon.com', LEARNUPON_NA_API_KEY: 'k', LEARNUPON_NA_API_SECRET: 's' }, 'LEARNUPON_NA_PORTAL_URL'],
    [{ LEARNUPON_NA_COURSE_IDS: '12;13' }, 'LEARNUPON_NA_COURSE_IDS'],
    [{ LEARNUPON_NA_WEBHOOK_SECRET: 'whsec' }, 'LEARNUPON_NA_PORTAL_URL'],
    [{ LEARNUPON_GLOBAL_COURSE_IDS: '1,2' }, 'LEARNUPON_GLOBAL_PORTAL_URL'],
    [{ LEARNUPON_PROFILE_FIELDS: 'shoeSize=Shoe size' }, 'LEARNUPON_PROFILE_FIELDS'],
    [{ LMS_POLL_INTERVAL_MS: 'often' }, 'LMS_POLL_INTERVAL_MS'],
    [{ LEARNUPON_TIMEOUT_MS: '5' }, 'LEARNUPON_TIMEOUT_MS'],
  ])('a bad LearnUpon value stops start-up naming the variable (%j)', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('takes an http portal on this machine (a local stand-in)', () => {
    expect(() => loadConfig({ LEARNUPON_NA_PORTAL_URL: 'http://127.0.0.1:9999', LEARNUPON_NA_API_KEY: 'k', LEARNUPON_NA_API_SECRET: 's' })).not.toThrow();
  });

  it('reads the custom user data labels of the profile fields', () => {
    expect(parseProfileFieldLabels('company=Company, postalCode = Postal code')).toEqual({ company: 'Company', postalCode: 'Postal code' });
    expect(parseProfileFieldLabels(undefined)).toEqual({});
    expect(typeof parseProfileFieldLabels('company')).toBe('string');
  });
});

describe('createLms', () => {
  it('gives the LearnUpon adapter to a configured region and the local LMS to the other', async () => {
    const local = new LocalStandIn();
    const lms = createLms(NA, { local, logger: silent });
    expect(lms.forRegion('na')).toBeInstanceOf(LearnUponLms);
    expect(lms.forRegion('global')).toBe(local);
    await lms.createUser({ installerId: 'a@b.no', email: 'a@b.no', region: 'global', language: 'nb' }, 'pw');
    await expect(lms.createUserWithResult({ installerId: 'a@b.no', email: 'a@b.no', region: 'global', language: 'nb' }, 'pw')).resolves.toBe('created');
    expect(local.created).toEqual(['global', 'global']);
  });

  it('makes a poller only when a region is on LearnUpon and polling is on', () => {
    const local = new LocalStandIn();
    expect(createLearnUponPoller({}, createLms({}, { local, logger: silent }), silent)).toBeUndefined();
    expect(createLearnUponPoller({ ...NA, LMS_POLL_INTERVAL_MS: 0 }, createLms(NA, { local, logger: silent }), silent)).toBeUndefined();
    expect(createLearnUponPoller({ ...NA, LMS_POLL_INTERVAL_MS: 5000 }, createLms(NA, { local, logger: silent }), silent)?.intervalMs).toBe(5000);
  });
});

describe('LearnUpon mappings', () => {
  it.each([
    ['not_started', 'not_started'],
    ['in_progress', 'in_progress'],
    ['failed', 'in_progress'],
    ['pending_review', 'in_progress'],
    ['completed', 'completed'],
    ['passed', 'completed'],
    [undefined, 'not_started'],
  ])('enrollment status %s → %s', (status, expected) => {
    expect(courseStatusOf(status)).toBe(expected);
  });

  it('language codes: nb_no; en in North America, en_gb elsewhere', () => {
    expect(languageCode('nb', 'na')).toBe('nb_no');
    expect(languageCode('en', 'na')).toBe('en');
    expect(languageCode('en', 'global')).toBe('en_gb');
  });

  it('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-24T09:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Tue, 24 Nov 2026 09:00:10 GMT', now)).toBe(10000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
  });

  it('a course_completion event without learner or course is not a completion', () => {
    const now = new Date('2026-11-24T09:00:00Z');
    expect(completionFromEvent({ courseId: 5 }, 'na', now)).toBeUndefined();
    expect(completionFromEvent({ user: { email: 'a@b.no' } }, 'na', now)).toBeUndefined();
    expect(completionFromEvent({ courseId: 5, user: { email: 'a@b.no' } }, 'global', now)).toEqual({ region: 'global', email: 'a@b.no', courseId: '5', completedAt: now.toISOString() });
  });
});
