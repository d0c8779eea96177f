import type { Region } from '../../domain/journey';
import type { Logger } from '../../logger';
import type { CourseProgress, LmsLearner } from './lmsPort';
import type { LearnUponLms } from './learnUponLms';
import type { CourseCompletion } from './learnUponWebhook';

export interface LearnUponPollerDeps {
  /** The LearnUpon adapter of each configured region (learners of other regions are skipped). */
  lms: Partial<Record<Region, LearnUponLms>>;
  logger: Logger;
  /** LMS_POLL_INTERVAL_MS: how often the recurring job should call pollOnce (0 = off). */
  intervalMs: number;
}

/**
 * The fallback where webhooks are not enabled: reads each learner's enrollments and reports every
 * completed course of the region. The caller (a recurring job) passes the learners at
 * courses_in_progress and treats completions idempotently (the same completion comes back on
 * every poll until the learner moves on). One learner's failure is logged and skipped; the others
 * are still polled. Learners are read one after another (LearnUpon limits requests per portal).
 * Polling is background work: each read has the client's full retry policy (no turn waits on it).
 */
export class LearnUponPoller {
  constructor(private readonly deps: LearnUponPollerDeps) {}

  get intervalMs(): number {
    return this.deps.intervalMs;
  }

  /** Whether any learner of this region is polled here. */
  handles(region: Region): boolean {
    return this.deps.lms[region] !== undefined;
  }

  /**
   * The completions of every learner. `onProgress` is told each learner's progress as read (the
   * journey keeps it as the last known progress, shown when LearnUpon is slow inside a chat turn);
   * its failure is logged and does not stop the poll.
   */
  async pollOnce(learners: LmsLearner[], onProgress?: (learner: LmsLearner, progress: CourseProgress[]) => Promise<void>): Promise<CourseCompletion[]> {
    const completions: CourseCompletion[] = [];
    let failed = 0;
    for (const learner of learners) {
      const lms = this.deps.lms[learner.region];
      if (!lms) continue;
      try {
        const progress = await lms.progress(learner);
        const lmsUserId = await lms.userId(learner);
        for (const course of progress) {
          if (course.status !== 'completed') continue;
          completions.push({
            region: learner.region,
            email: learner.email,
            lmsUserId,
            courseId: course.course.id,
            completedAt: course.completedAt ?? new Date().toISOString(),
          });
        }
        if (onProgress) {
          await onProgress(learner, progress).catch((error: unknown) =>
            this.deps.logger.warn({ region: learner.region, err: { name: error instanceof Error ? error.name : 'Error' } }, 'LearnUpon poll: the progress could not be kept'),
          );
        }
      } catch (error) {
        failed += 1;
        this.deps.logger.warn({ region: learner.region, err: { name: error instanceof Error ? error.name : 'Error', failure: (error as { failure?: unknown }).failure } }, 'LearnUpon poll of a learner failed');
      }
    }
    this.deps.logger.debug({ learners: learners.length, completions: completions.length, failed }, 'LearnUpon poll done');
    return completions;
  }
}
