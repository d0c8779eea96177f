import type { Region } from '../../domain/journey';
import type { Language } from '../../domain/language';
import { type DocumentStore, updateDocument } from '../store/documentStore';
import { COURSE_LINK_TTL_MS, type LinkTokens } from '../tokens/linkTokens';
import type { Course, CourseProgress, FormerLearner, Lms, LmsLearner } from './lmsPort';
import catalogueData from './localCourses.json';

/** The courses of each region, in the order they are taken. */
export type CourseCatalogue = Readonly<Record<Region, readonly Course[]>>;

export const LOCAL_COURSES: CourseCatalogue = catalogueData;

/** Where the local LMS's course pages are (web/devCourses serves them). */
export const DEV_COURSES_PATH = '/dev/courses';

/** How far a "next part" on the course page takes a course, and where it starts. */
export const STARTED_PERCENT = 20;
export const PART_PERCENT = 20;
/** Parts move a course at most this far; only completing it makes 100. */
const MAX_PART_PERCENT = 80;

/** The LMS user as the local LMS keeps it: who, never the password. */
interface LocalLmsUser {
  installerId: string;
  email: string;
  region: Region;
  language: Language;
  createdAt: string;
  /** When the profile was last written (the fields themselves stay in the installer record). */
  profileUpdatedAt?: string;
  country?: string;
}

interface Enrolment {
  enrolledAt: string;
  startedAt?: string;
  percent: number;
  completedAt?: string;
}

interface LocalEnrolments {
  courses: Record<string, Enrolment>;
}

export const localLmsKeys = {
  user: (installerId: string) => `lms-local/user/${installerId}`,
  enrolments: (installerId: string) => `lms-local/enrolments/${installerId}`,
};

export type CourseActionResult =
  | { kind: 'done'; progress: CourseProgress }
  /** The course was completed before: nothing changed. */
  | { kind: 'alreadyCompleted'; progress: CourseProgress }
  | { kind: 'notEnrolled' }
  | { kind: 'unknownCourse' };

export interface LocalLmsDeps {
  store: DocumentStore;
  /** The course pages' links are opaque link tokens (purpose 'course'), never the email. */
  tokens: Pick<LinkTokens, 'current'>;
  publicUrl: string;
  catalogue?: CourseCatalogue;
  now?: () => Date;
}

/**
 * The embedded LMS: the region's courses from a data file (localCourses.json), enrolment and
 * progress in the document store, and the /dev/courses pages (web/devCourses.ts) where a person
 * starts and completes a course. It keeps the user's address, region and language, never the
 * password, and of the profile only when it was saved and the country.
 */
export class LocalLms implements Lms {
  private readonly catalogue: CourseCatalogue;
  private readonly now: () => Date;

  constructor(private readonly deps: LocalLmsDeps) {
    this.catalogue = deps.catalogue ?? LOCAL_COURSES;
    this.now = deps.now ?? (() => new Date());
  }

  /** The courses of a region, in order. */
  coursesOf(region: Region): readonly Course[] {
    return this.catalogue[region];
  }

  async createUser(learner: LmsLearner, _password: string): Promise<void> {
    const at = this.now().toISOString();
    await updateDocument<LocalLmsUser>(this.deps.store, localLmsKeys.user(learner.installerId), (current) => ({
      ...current,
      installerId: learner.installerId,
      email: learner.email,
      region: learner.region,
      language: learner.language,
      createdAt: current?.createdAt ?? at,
    }));
  }

  async updateProfile(learner: LmsLearner): Promise<void> {
    const at = this.now().toISOString();
    await updateDocument<LocalLmsUser>(this.deps.store, localLmsKeys.user(learner.installerId), (current) => ({
      installerId: learner.installerId,
      email: learner.email,
      region: learner.region,
      language: learner.profile?.language ?? learner.language,
      createdAt: current?.createdAt ?? at,
      profileUpdatedAt: at,
      country: learner.profile?.country,
    }));
  }

  async enrolInRegionCourses(learner: LmsLearner): Promise<void> {
    const at = this.now().toISOString();
    const courses = this.coursesOf(learner.region);
    await updateDocument<LocalEnrolments>(this.deps.store, localLmsKeys.enrolments(learner.installerId), (current) => {
      const missing = courses.filter((course) => !current?.courses[course.id]);
      if (current && missing.length === 0) return undefined;
      const added = Object.fromEntries(missing.map((course) => [course.id, { enrolledAt: at, percent: 0 } satisfies Enrolment]));
      return { courses: { ...current?.courses, ...added } };
    });
  }

  async progress(learner: LmsLearner): Promise<CourseProgress[]> {
    const enrolments = (await this.deps.store.get<LocalEnrolments>(localLmsKeys.enrolments(learner.installerId)))?.value;
    const startUrl = await this.startUrlBase(learner.installerId);
    return this.coursesOf(learner.region).map((course) => progressOf(course, enrolments?.courses[course.id], startUrl));
  }

  /** The course page opened (Start): the course is in progress. */
  start(learner: LmsLearner, courseId: string): Promise<CourseActionResult> {
    return this.change(learner, courseId, (e, at) => (e.startedAt ? e : { ...e, startedAt: at, percent: Math.max(e.percent, STARTED_PERCENT) }));
  }

  /** The next part of the course taken: more percent, never 100 (only completing makes it). */
  advance(learner: LmsLearner, courseId: string): Promise<CourseActionResult> {
    return this.change(learner, courseId, (e, at) => ({
      ...e,
      startedAt: e.startedAt ?? at,
      percent: Math.min(MAX_PART_PERCENT, Math.max(e.percent, STARTED_PERCENT - PART_PERCENT) + PART_PERCENT),
    }));
  }

  /** The course completed (once: completing it again changes nothing and says so). */
  complete(learner: LmsLearner, courseId: string): Promise<CourseActionResult> {
    return this.change(learner, courseId, (e, at) => ({ ...e, startedAt: e.startedAt ?? at, percent: 100, completedAt: at }));
  }

  /** Deletes what the local LMS keeps about the installer ("delete my data"). */
  async erase(installerId: string): Promise<void> {
    await this.deps.store.delete(localLmsKeys.user(installerId));
    await this.deps.store.delete(localLmsKeys.enrolments(installerId));
  }

  /** A corrected email address (the id): the user (with the new address) and the enrolments go with it. */
  async move(fromId: string, learner: Pick<LmsLearner, 'installerId' | 'email'>): Promise<void> {
    const user = (await this.deps.store.get<LocalLmsUser>(localLmsKeys.user(fromId)))?.value;
    if (user) await updateDocument<LocalLmsUser>(this.deps.store, localLmsKeys.user(learner.installerId), (current) => ({ ...user, ...current, installerId: learner.installerId, email: learner.email }));
    const enrolments = (await this.deps.store.get<LocalEnrolments>(localLmsKeys.enrolments(fromId)))?.value;
    if (enrolments) {
      await updateDocument<LocalEnrolments>(this.deps.store, localLmsKeys.enrolments(learner.installerId), (current) => ({ courses: { ...enrolments.courses, ...current?.courses } }));
    }
    await this.erase(fromId);
  }

  /** The port's change of address (a durable job after the correction): the user and the enrolments under the former id move, as `move` does (usually done by then). */
  async changeEmail(learner: LmsLearner, from: FormerLearner): Promise<void> {
    if (from.installerId !== learner.installerId) await this.move(from.installerId, learner);
    await updateDocument<LocalLmsUser>(this.deps.store, localLmsKeys.user(learner.installerId), (current) => (current && current.email !== learner.email ? { ...current, email: learner.email } : undefined));
  }

  private async change(learner: LmsLearner, courseId: string, apply: (enrolment: Enrolment, at: string) => Enrolment): Promise<CourseActionResult> {
    const course = this.coursesOf(learner.region).find((c) => c.id === courseId);
    if (!course) return { kind: 'unknownCourse' };
    const at = this.now().toISOString();
    let outcome: 'done' | 'alreadyCompleted' | 'notEnrolled' = 'notEnrolled';
    const stored = await updateDocument<LocalEnrolments>(this.deps.store, localLmsKeys.enrolments(learner.installerId), (current) => {
      const enrolment = current?.courses[courseId];
      if (!current || !enrolment) {
        outcome = 'notEnrolled';
        return undefined;
      }
      if (enrolment.completedAt) {
        outcome = 'alreadyCompleted';
        return undefined;
      }
      outcome = 'done';
      return { courses: { ...current.courses, [courseId]: apply(enrolment, at) } };
    });
    if (outcome === 'notEnrolled') return { kind: 'notEnrolled' };
    const progress = progressOf(course, stored?.courses[courseId], await this.startUrlBase(learner.installerId));
    return { kind: outcome, progress };
  }

  /** The start link of the installer's courses without the course id: the page address with an opaque token. */
  private async startUrlBase(installerId: string): Promise<(courseId: string) => string> {
    const token = await this.deps.tokens.current('course', installerId, COURSE_LINK_TTL_MS);
    return (courseId) => `${this.deps.publicUrl}${DEV_COURSES_PATH}/${encodeURIComponent(courseId)}?token=${encodeURIComponent(token)}`;
  }
}

function progressOf(course: Course, enrolment: Enrolment | undefined, startUrl: (courseId: string) => string): CourseProgress {
  const status = enrolment?.completedAt ? 'completed' : enrolment?.startedAt ? 'in_progress' : 'not_started';
  return {
    course,
    status,
    percent: status === 'completed' ? 100 : (enrolment?.percent ?? 0),
    ...(enrolment?.completedAt ? { completedAt: enrolment.completedAt } : {}),
    startUrl: startUrl(course.id),
  };
}
