import type { Language } from '../../domain/language';
import type { Region } from '../../domain/journey';
import type { Profile } from '../../domain/profile';

/** A course of the region, as the LMS knows it. */
export interface Course {
  id: string;
  /** Title per language (the LearnUpon adapter has one title: the same in both). */
  title: Record<Language, string>;
  /** Expected duration in minutes, when known. */
  minutes?: number;
}

export type CourseStatus = 'not_started' | 'in_progress' | 'completed';

export interface CourseProgress {
  course: Course;
  status: CourseStatus;
  /** 0–100 */
  percent: number;
  completedAt?: string;
  /** Where the installer starts or continues the course (a portal or /dev/courses page). */
  startUrl: string;
}

/** The installer as the LMS needs it. */
export interface LmsLearner {
  installerId: string;
  email: string;
  region: Region;
  language: Language;
  profile?: Profile;
}

/** The learner as the LMS had them before support corrected the email address (the installer id with it). */
export interface FormerLearner {
  installerId: string;
  email: string;
}

/** How a progress read is bounded. */
export interface ProgressOptions {
  /**
   * The whole read (every request, retry and wait in it) is given up after this long, failing like
   * a timeout: a chat turn reads with a short deadline; background jobs read without one.
   */
  deadlineMs?: number;
}

/**
 * The learning management system behind the university portals. Two adapters: local (default,
 * data file + store + /dev/courses) and LearnUpon REST v1 (per region: portal URL + key/secret).
 * Calls may be slow or fail: the journey calls them from durable jobs, never inside a chat turn,
 * except createUser which runs inside the password page's request (the only moment the password
 * exists in clear), and progress, which a chat turn reads with a short deadline (ProgressOptions).
 */
export interface Lms {
  /** Creates the LMS user with the chosen password (an existing user is not an error). */
  createUser(learner: LmsLearner, password: string): Promise<void>;
  /** Writes the profile fields to the LMS user. */
  updateProfile(learner: LmsLearner): Promise<void>;
  /** Enrols the learner in every course of the region (already enrolled is fine). */
  enrolInRegionCourses(learner: LmsLearner): Promise<void>;
  /** Progress per course of the region, in course order. */
  progress(learner: LmsLearner, options?: ProgressOptions): Promise<CourseProgress[]>;
  /**
   * The learner's email address was corrected (`from` is how the LMS knew them): the LMS user gets
   * the learner's address, so what the LMS finds and reports by address is theirs. Done before (a
   * retry), or no LMS user at all (never made), is not an error. Called from a durable job.
   */
  changeEmail(learner: LmsLearner, from: FormerLearner): Promise<void>;
}
