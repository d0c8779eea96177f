import { parseEmail } from '../../domain/email';
import type { InstallerRepository } from '../installers/installerRepository';
import { type JobQueue, PermanentJobError } from '../jobs/jobQueue';
import type { AppJobs } from '../jobs/appJobs';
import { LearnUponError } from '../lms/learnUponClient';
import type { CourseCompletion } from '../lms/learnUponWebhook';
import type { LearnUponPoller } from '../lms/learnUponPoller';
import type { FormerLearner } from '../lms/lmsPort';
import { type CourseJourney, learnerOf } from './courseJourney';

declare module '../jobs/appJobs' {
  interface AppJobs {
    /** The profile was saved: hand it to the LMS and enrol (→ courses_in_progress, "your courses are ready"). */
    coursesEnrol: { installerId: string };
    /** The LMS reported a course completed (webhook or poller): check progress, certify after the last. */
    courseCompleted: { installerId: string; courseId: string };
    /** Ask LearnUpon for completions of everyone in the courses (where webhooks are not enabled). */
    lmsPoll: Record<string, never>;
    /** Support corrected the address: the LMS user, still known by the former one (`from`), gets the installer's address. */
    lmsEmailChange: { installerId: string; from: FormerLearner };
  }
}

/** The LMS's change of address: retried with the queue's backoff (2 s doubling to 10 minutes) for about two hours. */
const LMS_EMAIL_CHANGE_ATTEMPTS = 20;

export interface CourseJobs {
  /** Queues the LMS hand-off after the profile was saved (never inside a chat turn or a page request). */
  enrol(installerId: string): Promise<void>;
  /** Queues a completion reported by the LMS (idempotent: CourseJourney has its effects once). */
  completed(completion: Pick<CourseCompletion, 'email' | 'courseId'>): Promise<void>;
  /** "Delete my data": drops the installer's enrolment and completion jobs not run yet (they name the person). */
  forget(installerId: string): Promise<number>;
  /** A corrected email address (the id): those jobs run for the new id. */
  move(fromId: string, toId: string): Promise<number>;
  /**
   * A corrected email address: queues the LMS user's change to the installer's address (it knows
   * them by `from` until then). The job holds the former address until it has run.
   */
  changeLmsEmail(installerId: string, from: FormerLearner): Promise<void>;
}

/** The course jobs that name an installer. */
const INSTALLER_JOBS: ReadonlySet<string> = new Set(['coursesEnrol', 'courseCompleted', 'lmsEmailChange'] satisfies (keyof AppJobs)[]);

function queuedFor(type: string, payload: unknown, installerId: string): payload is { installerId: string } {
  return INSTALLER_JOBS.has(type) && (payload as { installerId?: unknown } | undefined)?.installerId === installerId;
}

/**
 * The course step's background work as durable jobs: enrolment after the profile, completions from
 * LearnUpon's webhook and poller, the recurring poll (once per interval across instances), and the
 * LMS user's change of address after support corrected it.
 */
export function registerCourseJobs(deps: {
  jobs: JobQueue<AppJobs>;
  courses: CourseJourney;
  installers: InstallerRepository;
  poller?: LearnUponPoller;
}): CourseJobs {
  const { jobs, courses, installers, poller } = deps;
  jobs.register('coursesEnrol', async ({ installerId }) => void (await courses.afterProfileSaved(installerId)), { maxAttempts: 10 });
  jobs.register('courseCompleted', async ({ installerId, courseId }) => void (await courses.courseCompleted(installerId, courseId)), { maxAttempts: 10 });
  jobs.register(
    'lmsEmailChange',
    async ({ installerId, from }) => {
      try {
        await courses.changeLmsEmail(installerId, from);
      } catch (error) {
        // refused (4xx): trying again changes nothing; 429, 5xx, timeouts are retried
        if (error instanceof LearnUponError && !error.retryable) throw new PermanentJobError(`the LMS refused the change of address (${error.status ?? error.failure})`);
        throw error;
      }
    },
    { maxAttempts: LMS_EMAIL_CHANGE_ATTEMPTS },
  );
  const completed = async ({ email, courseId }: Pick<CourseCompletion, 'email' | 'courseId'>): Promise<void> => {
    const parsed = parseEmail(email);
    if (!parsed.ok) return;
    await jobs.enqueue('courseCompleted', { installerId: parsed.id, courseId }, { key: `course-completed/${parsed.id}/${courseId}` });
  };
  if (poller) {
    jobs.register('lmsPoll', async () => {
      const ids = await installers.listByStage('courses_in_progress');
      const learners = [];
      for (const id of ids) {
        const installer = await installers.get(id);
        if (installer && poller.handles(installer.region)) learners.push(learnerOf(installer));
      }
      // each learner's progress is kept as the last known (a chat turn shows it when LearnUpon is slow)
      const polled = await poller.pollOnce(learners, (learner, progress) => courses.recordProgress(learner.installerId, progress));
      for (const completion of polled) await completed(completion);
    });
    jobs.every('lmsPoll', poller.intervalMs, {});
  }
  return {
    enrol: async (installerId) => void (await jobs.enqueue('coursesEnrol', { installerId }, { key: `courses-enrol/${installerId}` })),
    completed,
    forget: (installerId) => jobs.forget((type, payload) => queuedFor(type, payload, installerId)),
    move: (fromId, toId) => jobs.rewrite((type, payload) => (queuedFor(type, payload, fromId) ? { ...payload, installerId: toId } : undefined)),
    // keyed: the correction's second pass (againAfterRecordGone) adds nothing while it waits
    changeLmsEmail: async (installerId, from) =>
      void (await jobs.enqueue('lmsEmailChange', { installerId, from }, { key: `lms-email-change/${from.installerId}/${installerId}` })),
  };
}
