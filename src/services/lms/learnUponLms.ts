/*
 * LearnUpon adapter of the LMS port, one instance per region's portal.
 *
 * What LearnUpon documents (looked up before writing this; sources):
 *  - LearnUpon API guide, https://docs.learnupon.com/api/ (also mirrored as a markdown copy
 *    "LearnUpon API Documentation" in a public repository, read through the code index):
 *    - base https://{portal}.learnupon.com/api/v1/{resource}; HTTP Basic auth over HTTPS with the
 *      portal's API username and password ("keys", Settings > Integrations > API Keys); JSON in
 *      and out, dates UTC `YYYY-MM-DDTHH:MI:SSZ`.
 *    - lists are paged, 500 records a page, `page=N`; answers carry `LU-Current-Page`,
 *      `LU-Records-Per-Page`, `LU-Has-Next-Page` (true/false). Rate limits per portal, headers
 *      `X-LU-Rate-Limit-Remaining-Minute` / `-Week`; over the limit → 429.
 *    - `GET /users/search?email=` → `{"user":[{"id":662,"first_name":…,"last_name":…,"email":…,
 *      "locale":"de",…}]}` (404 when nobody has the address, as public clients handle it).
 *    - `POST /users` `{"User":{"email","password" (6+ characters),"first_name","last_name",
 *      "language",…,"CustomData":{<label>:<value>}}}` → `{"id":N}`. The user object has no company,
 *      phone, country or postal code: such fields exist only as the portal's custom user data
 *      (`CustomData`, keyed by the field's label). Language codes: `en` (US English), `en_gb`,
 *      `nb_no` (Norwegian), …
 *    - `PUT /users/{id}` `{"User":{…same fields…}}` updates (password included, if sent); the
 *      address too: found by its id, the user takes the `email` sent ("Update a User": find the user
 *      by the user_id, or by id 0 with `email` + `new_email`). `GET /users/{id}` reads one user.
 *    - `POST /enrollments` `{"Enrollment":{"email","course_id"}}` → `{"id","created_at","user_id"}`;
 *      already enrolled → 422 (JOURNEY.md; also how public clients treat 422).
 *    - `GET /enrollments/search?user_id=` → `{"enrollments":[{"id","course_id","course_name",
 *      "user_id","email","status","percentage_complete","percentage","date_completed",…}]}`,
 *      status one of not_started, in_progress, completed, passed, failed, pending_review.
 *    - `GET /courses` (optional `course_id`, `name`) → `{"courses":[{"id","name","course_length",
 *      "course_length_unit":"hours"|"minutes","published_status_id",…}]}`.
 *  - Webhooks: see learnUponWebhook.ts.
 *
 * Decisions:
 *  - createUser searches by email first. A new address → POST /users with the password in that
 *    request (the only moment it exists in clear). An address LearnUpon already has → the
 *    password is NOT changed: the password page is reached before the address is confirmed, so
 *    overwriting would let anyone who types someone else's address take over that person's
 *    existing portal account. createUser resolves ('existing'), and the installer keeps the
 *    portal password they had (the portal's own reset link helps when forgotten).
 *  - A user made here is created disabled (`enabled: false`, a documented user field): the page
 *    that receives the password comes before the address is confirmed, and an enabled account
 *    would let a stranger who typed someone's address sign in to the portal as them. It is
 *    enabled by enrolInRegionCourses (reached only after confirmation and the profile), or sooner
 *    by enableCreatedUser on confirmation. The portal's own sign-up also confirms first.
 *  - The region's courses: LEARNUPON_<REGION>_COURSE_IDS when set (in that order), else every
 *    published course of the portal from GET /courses; the catalogue is cached for 10 minutes.
 *  - The LearnUpon user id is remembered in memory only (bounded), keyed by the installer id: the
 *    id is the address, and nothing about the installer is kept in the store that "delete my data"
 *    would have to find. A restart costs one search by email per learner.
 *  - A corrected address (changeEmail, a durable job): the user found by the former address gets the
 *    new one by its id. When the new address has a portal user of its own already, that one is the
 *    installer's from then on (this app finds users by address) and the former one is left as it is
 *    (logged; accounts cannot be merged through the API). A remembered id whose enrollments name
 *    another address (changed meanwhile, on another instance) is looked up again.
 */
import type { Language } from '../../domain/language';
import type { Logger } from '../../logger';
import type { Course, CourseProgress, CourseStatus, FormerLearner, Lms, LmsLearner, ProgressOptions } from './lmsPort';
import { isRecord, LearnUponClient, LearnUponError, type RetryPolicy } from './learnUponClient';
import type { CustomProfileField, LearnUponRegionSettings } from './learnUponSettings';

export interface LearnUponLmsDeps {
  settings: LearnUponRegionSettings;
  logger: Logger;
  timeoutMs: number;
  customFieldLabels?: Partial<Record<CustomProfileField, string>>;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  /** How long createUser may take in all (it runs inside the password page's request). */
  createUserDeadlineMs?: number;
}

export type CreateUserResult = 'created' | 'existing';

interface LuUser {
  id: number | string;
  email?: string;
  enabled?: boolean;
  sign_in_count?: number | null;
}

interface LuEnrollment {
  course_id?: number | string;
  email?: string | null;
  status?: string;
  percentage_complete?: number | string | null;
  date_completed?: string | null;
}

interface LuCourse {
  id: number | string;
  name?: string;
  course_length?: number | string | null;
  course_length_unit?: string | null;
  published_status_id?: string;
}

const CATALOGUE_TTL_MS = 10 * 60 * 1000;
const MAX_REMEMBERED_USERS = 10000;
/** createUser runs inside the password page's request: retries stop when this much time has gone. */
export const CREATE_USER_DEADLINE_MS = 15000;

/** LearnUpon's enrollment status → the port's three states. */
export function courseStatusOf(status: string | undefined): CourseStatus {
  switch (status) {
    case 'completed':
    case 'passed':
      return 'completed';
    case 'in_progress':
    case 'failed':
    case 'pending_review':
      return 'in_progress';
    default:
      return 'not_started';
  }
}

export class LearnUponLms implements Lms {
  readonly client: LearnUponClient;
  private catalogue?: { courses: Course[]; at: number };
  private readonly userIds = new Map<string, string>();

  constructor(private readonly deps: LearnUponLmsDeps) {
    const { settings } = deps;
    this.client = new LearnUponClient({
      region: settings.region,
      portalUrl: settings.portalUrl,
      apiKey: settings.apiKey,
      apiSecret: settings.apiSecret,
      timeoutMs: deps.timeoutMs,
      logger: deps.logger,
      retry: deps.retry,
      sleep: deps.sleep,
    });
  }

  get region() {
    return this.deps.settings.region;
  }

  async createUser(learner: LmsLearner, password: string): Promise<void> {
    await this.createUserWithResult(learner, password);
  }

  /** createUser saying whether the portal user was made now or already existed (its password then unchanged). */
  async createUserWithResult(learner: LmsLearner, password: string): Promise<CreateUserResult> {
    const deadlineMs = this.deps.createUserDeadlineMs ?? CREATE_USER_DEADLINE_MS;
    const existing = await this.findUser(learner.email, deadlineMs);
    if (existing) {
      await this.rememberUserId(learner, String(existing.id));
      this.deps.logger.info({ region: this.region }, 'LearnUpon user exists; password left as it is');
      return 'existing';
    }
    const response = await this.client.request('POST', '/users', {
      // disabled until the address is confirmed (see enableCreatedUser)
      body: { User: { email: learner.email, password, enabled: false, ...this.userFields(learner) } },
      accept: [422],
      deadlineMs,
    });
    if (response.status === 422) {
      // taken meanwhile (a retry of a request that did get through, or a race): the same as existing
      const found = await this.findUser(learner.email, deadlineMs);
      if (!found) throw new LearnUponError('client', 'LearnUpon POST /users: 422 and no user with that address', 422);
      await this.rememberUserId(learner, String(found.id));
      return 'existing';
    }
    const id = isRecord(response.body) ? response.body.id : undefined;
    if (typeof id !== 'number' && typeof id !== 'string') throw new LearnUponError('bad_response', 'LearnUpon POST /users: no id in the answer', response.status);
    await this.rememberUserId(learner, String(id));
    this.deps.logger.info({ region: this.region }, 'LearnUpon user created');
    return 'created';
  }

  async updateProfile(learner: LmsLearner): Promise<void> {
    const userId = await this.userId(learner);
    await this.client.request('PUT', `/users/${encodeURIComponent(userId)}`, { body: { User: this.userFields(learner) } });
  }

  async enrolInRegionCourses(learner: LmsLearner): Promise<void> {
    await this.enableCreatedUser(learner);
    for (const course of await this.courses()) {
      const response = await this.client.request('POST', '/enrollments', {
        body: { Enrollment: { email: learner.email, course_id: Number(course.id) } },
        accept: [422],
      });
      if (response.status === 422) this.deps.logger.debug({ region: this.region, courseId: course.id }, 'LearnUpon: already enrolled');
    }
  }

  /**
   * Up to three calls (the catalogue and the user id unless remembered, then the enrollments): with
   * options.deadlineMs they share that one budget, retries and waits included (a chat turn's read);
   * without, each has the client's full retry policy (the poller's read).
   */
  async progress(learner: LmsLearner, options: ProgressOptions = {}): Promise<CourseProgress[]> {
    const deadlineAt = options.deadlineMs === undefined ? undefined : Date.now() + options.deadlineMs;
    const remembered = this.userIds.has(learner.installerId);
    const [courses, userId] = await Promise.all([this.courses(deadlineAt), this.userId(learner, deadlineAt)]);
    let enrollments = await this.client.list<LuEnrollment>('/enrollments/search', 'enrollments', { user_id: userId }, { accept: [404], deadlineAt });
    if (remembered && enrollments.some((enrollment) => typeof enrollment.email === 'string' && !sameAddress(enrollment.email, learner.email))) {
      // the remembered user has another address now (corrected, by a job on another instance): someone else's
      this.userIds.delete(learner.installerId);
      const current = await this.userId(learner, deadlineAt);
      enrollments = await this.client.list<LuEnrollment>('/enrollments/search', 'enrollments', { user_id: current }, { accept: [404], deadlineAt });
    }
    const byCourse = new Map<string, LuEnrollment>();
    for (const enrollment of enrollments) {
      if (enrollment.course_id === undefined) continue;
      const key = String(enrollment.course_id);
      const known = byCourse.get(key);
      // a re-enrolment leaves the older one in the list: the completed one counts
      if (!known || courseStatusOf(enrollment.status) === 'completed') byCourse.set(key, enrollment);
    }
    return courses.map((course) => {
      const enrollment = byCourse.get(course.id);
      const status = courseStatusOf(enrollment?.status);
      const percent = status === 'completed' ? 100 : clampPercent(enrollment?.percentage_complete);
      return {
        course,
        status,
        percent,
        ...(status === 'completed' && enrollment?.date_completed ? { completedAt: new Date(enrollment.date_completed).toISOString() } : {}),
        startUrl: this.deps.settings.portalUrl,
      };
    });
  }

  /**
   * Lets the learner sign in to the portal: a user this adapter created (disabled, and never
   * signed in) is enabled. Called by enrolInRegionCourses, which the journey reaches only after
   * the address is confirmed and the profile saved; call it on confirmation to open the portal
   * sooner. A user disabled by the portal's admins after signing in is left alone.
   */
  async enableCreatedUser(learner: LmsLearner): Promise<void> {
    const user = await this.findUser(learner.email);
    if (!user) throw new LearnUponError('client', 'LearnUpon: no user with the learner\'s address', 404);
    await this.rememberUserId(learner, String(user.id));
    if (user.enabled !== false || Number(user.sign_in_count ?? 0) > 0) return;
    await this.client.request('PUT', `/users/${encodeURIComponent(String(user.id))}`, { body: { User: { enabled: true } } });
    this.deps.logger.info({ region: this.region }, 'LearnUpon user enabled');
  }

  /**
   * The installer's address was corrected: the portal user with the former address gets the new
   * one (`PUT /users/{id}` `{"User":{"email"}}`), found by its id from then on. Nothing to change
   * when the new address has a user already (changed before, by a retry whose answer was lost, or a
   * portal user of its own: then that one is the installer's) or no user has the former address.
   * A refusal (4xx) throws a LearnUponError that is not retryable.
   */
  async changeEmail(learner: LmsLearner, from: FormerLearner): Promise<void> {
    const current = await this.findUser(learner.email);
    const former = await this.findUser(from.email);
    this.userIds.delete(from.installerId);
    if (current) {
      await this.rememberUserId(learner, String(current.id));
      if (former && String(former.id) !== String(current.id)) this.deps.logger.warn({ region: this.region }, 'LearnUpon: the corrected address has a portal user of its own; the one with the former address is left as it is');
      return;
    }
    if (!former) {
      this.deps.logger.info({ region: this.region }, 'LearnUpon: no portal user with the former address; nothing to change');
      return;
    }
    await this.client.request('PUT', `/users/${encodeURIComponent(String(former.id))}`, { body: { User: { email: learner.email } } });
    await this.rememberUserId(learner, String(former.id));
    this.deps.logger.info({ region: this.region }, 'LearnUpon user\'s email address changed');
  }

  /** The region's courses, in order (configured ids, or the portal's published courses); deadlineAt bounds the catalogue's read. */
  async courses(deadlineAt?: number): Promise<Course[]> {
    if (this.catalogue && Date.now() - this.catalogue.at < CATALOGUE_TTL_MS) return this.catalogue.courses;
    const all = await this.client.list<LuCourse>('/courses', 'courses', {}, { deadlineAt });
    const byId = new Map(all.map((course) => [String(course.id), course]));
    const ids = this.deps.settings.courseIds;
    const chosen = ids
      ? ids.map((id) => byId.get(id) ?? { id, name: `Course ${id}` })
      : all.filter((course) => course.published_status_id === undefined || course.published_status_id === 'published');
    const courses = chosen.map(toCourse);
    this.catalogue = { courses, at: Date.now() };
    return courses;
  }

  /** The LearnUpon user with this address, or undefined. */
  async findUser(email: string, deadlineMs?: number, deadlineAt?: number): Promise<LuUser | undefined> {
    const response = await this.client.request('GET', '/users/search', { query: { email }, accept: [404], deadlineMs, deadlineAt });
    if (response.status === 404) return undefined;
    const users = isRecord(response.body) && Array.isArray(response.body.user) ? (response.body.user as LuUser[]) : [];
    const wanted = email.trim().toLowerCase();
    return users.find((user) => typeof user.email !== 'string' || user.email.trim().toLowerCase() === wanted);
  }

  /** The learner's LearnUpon user id (remembered, else searched by email, by deadlineAt when given); throws when LearnUpon has no such user. */
  async userId(learner: LmsLearner, deadlineAt?: number): Promise<string> {
    const remembered = this.userIds.get(learner.installerId);
    if (remembered) return remembered;
    const found = await this.findUser(learner.email, undefined, deadlineAt);
    if (!found) throw new LearnUponError('client', 'LearnUpon: no user with the learner\'s address', 404);
    await this.rememberUserId(learner, String(found.id));
    return String(found.id);
  }

  private async rememberUserId(learner: LmsLearner, userId: string): Promise<void> {
    if (this.userIds.size >= MAX_REMEMBERED_USERS) this.userIds.delete(this.userIds.keys().next().value as string);
    this.userIds.set(learner.installerId, userId);
  }

  /** Name, language and the custom user data the portal has labels for. */
  private userFields(learner: LmsLearner): Record<string, unknown> {
    const fields: Record<string, unknown> = { language: languageCode(learner.language, this.region) };
    const profile = learner.profile;
    if (!profile) return fields;
    fields.first_name = profile.firstName;
    fields.last_name = profile.lastName;
    const custom: Record<string, string> = {};
    for (const [field, label] of Object.entries(this.deps.customFieldLabels ?? {})) {
      const value = profile[field as CustomProfileField];
      if (label && value) custom[label] = value;
    }
    if (Object.keys(custom).length > 0) fields.CustomData = custom;
    return fields;
  }
}

/** LearnUpon's language codes: Norwegian nb_no; English US in North America, UK elsewhere. */
export function languageCode(language: Language, region: 'na' | 'global'): string {
  if (language === 'nb') return 'nb_no';
  return region === 'na' ? 'en' : 'en_gb';
}

function toCourse(course: LuCourse): Course {
  const name = course.name ?? `Course ${course.id}`;
  const length = Number(course.course_length);
  const minutes = Number.isFinite(length) && length > 0 ? Math.round(course.course_length_unit === 'hours' ? length * 60 : length) : undefined;
  return { id: String(course.id), title: { nb: name, en: name }, ...(minutes === undefined ? {} : { minutes }) };
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function clampPercent(value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n)) return 0;
  return Math.max(0, Math.min(100, Math.round(n)));
}
