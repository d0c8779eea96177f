import type { Installer } from '../../domain/installer';
import type { InstallerRepository } from '../installers/installerRepository';
import type { CourseProgress, FormerLearner, Lms, LmsLearner } from '../lms/lmsPort';
import type { NotifyEvent } from '../notify/events';
import { type DocumentStore, updateDocument } from '../store/documentStore';

/** What the course step has already done for an installer, so that a report that comes twice has its effects once. */
interface CourseJourneyMarks {
  /** coursesReady was sent. */
  ready?: string;
  /** The courses whose completion was announced. */
  completed: string[];
  /** onCertified ran. */
  certified?: string;
}

const marksKey = (installerId: string) => `course-journey/${installerId}`;
type Mark = 'ready' | 'certified' | { completed: string };

/** The progress the LMS last reported for an installer (to a job, the poller or a turn), and when. */
interface KnownProgress {
  at: string;
  courses: CourseProgress[];
}

export const knownProgressKey = (installerId: string) => `course-progress/${installerId}`;
/** Known progress this old is not served any more (the poller refreshes it for everyone in the courses). */
const KNOWN_PROGRESS_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Unchanged progress is written again at most this often (the time shown with it stays true: it stood so then). */
const KNOWN_PROGRESS_REFRESH_MS = 5 * 60 * 1000;

/**
 * How long a chat turn waits for the LMS's progress in all (every request, retry and wait of the
 * read). LearnUpon's own retry policy (4 attempts, 10 s each, waits up to 30 s) is for jobs.
 */
export const TURN_PROGRESS_DEADLINE_MS = 4000;

/** The progress as a chat turn can show it. */
export type TurnProgress =
  /** Read from the LMS now. */
  | { kind: 'live'; courses: CourseProgress[] }
  /** The LMS did not answer in time (or failed): what it last reported, at `at`. */
  | { kind: 'lastKnown'; courses: CourseProgress[]; at: string }
  /** The LMS did not answer in time, and nothing is known yet. */
  | { kind: 'unavailable' };

export interface CourseJourneyDeps {
  store: DocumentStore;
  installers: Pick<InstallerRepository, 'get' | 'advance'>;
  lms: Lms;
  notifier: { notify(installerId: string, event: NotifyEvent): Promise<unknown> };
  /** Every course completed and the certification recorded: the invitation goes out (built by the account step). */
  onCertified: (installerId: string) => Promise<void>;
  now?: () => Date;
  /** How long a turn's progress read may take in all (default TURN_PROGRESS_DEADLINE_MS). */
  turnDeadlineMs?: number;
  /** Where an installer id went when support corrected the address (FormerAddresses.current); absent → nowhere. */
  movedTo?: (installerId: string) => Promise<string | undefined>;
  /** What the LMS keeps in the store under the installer id (the local LMS's user and enrolments): moved and erased with the step's own. */
  lmsData?: { move(fromId: string, learner: Pick<LmsLearner, 'installerId' | 'email'>): Promise<void>; erase(installerId: string): Promise<void> };
}

/** A step that finds its installer moved runs again for the new id, at most this many times (a correction of a correction …). */
const MAX_MOVES_FOLLOWED = 3;

/** What a step finds after it wrote: the installer still there, or gone (moved to another id, or deleted). */
type AfterWrite = { kind: 'kept' } | { kind: 'moved'; installerId: string } | { kind: 'erased' };

export type AfterProfileResult = 'enrolled' | 'alreadyEnrolled' | 'refused' | 'missing';
export type CourseCompletedResult = 'certified' | 'alreadyCertified' | 'courseCompleted' | 'notCompleted' | 'refused' | 'missing';

/** The LMS's view of an installer. */
export function learnerOf(installer: Installer): LmsLearner {
  const profile = installer.profile;
  return { installerId: installer.id, email: installer.email, region: installer.region, language: installer.language, ...(profile ? { profile } : {}) };
}

/**
 * The course step of the journey, outside any chat turn: after the profile is saved the LMS gets
 * it and enrols the installer (→ courses_in_progress, "your courses are ready"); each completion
 * the LMS reports (webhook, poller, the local course page) is checked against the LMS's progress,
 * and the last one certifies (→ certified, then onCertified sends the invitation).
 * Idempotent: the stage changes through the repository's eTag-checked advance, and each
 * notification or hand-over is claimed once in the store before it runs (released again when it
 * fails, so a retry does it), so a completion reported twice, even at the same time, has its
 * effects once.
 *
 * Support may correct the address (the id) while a step runs: a step reads the record, then writes
 * under its id (marks, last known progress, the local LMS's documents). So each step looks at the
 * record again after it wrote (as the station writers do): when it is gone, what the step wrote
 * moves to where the installer went (movedTo) and the step runs again there, or, after "delete my
 * data", it is erased. Nothing stays under the old id; a write that looked just before the record
 * went is caught by the correction's (or erasure's) second pass (againAfterRecordGone). A report
 * naming the old address (a LearnUpon webhook) finds no record and is followed the same way.
 */
export class CourseJourney {
  private readonly now: () => Date;

  constructor(private readonly deps: CourseJourneyDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async afterProfileSaved(installerId: string): Promise<AfterProfileResult> {
    return this.followingMoves(installerId, (id) => this.enrol(id));
  }

  async courseCompleted(installerId: string, courseId: string): Promise<CourseCompletedResult> {
    return this.followingMoves(installerId, (id) => this.completed(id, courseId));
  }

  /**
   * The installer's address was corrected (`from`: how the LMS knew them): the LMS user gets the
   * address the installer has now (a durable job; it follows a second correction too).
   */
  async changeLmsEmail(installerId: string, from: FormerLearner): Promise<'changed' | 'missing'> {
    return this.followingMoves(installerId, async (id) => {
      const installer = await this.deps.installers.get(id);
      if (!installer) return 'missing';
      await this.deps.lms.changeEmail(learnerOf(installer), from);
      return 'changed';
    });
  }

  private async enrol(installerId: string): Promise<AfterProfileResult> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return 'missing';
    const learner = learnerOf(installer);
    await this.deps.lms.updateProfile(learner);
    if (installer.stage !== 'profile_complete' && installer.stage !== 'courses_in_progress') return 'refused';
    await this.deps.lms.enrolInRegionCourses(learner);
    const advanced = await this.deps.installers.advance(installerId, 'coursesAssigned');
    if (advanced.kind === 'missing') return 'missing';
    if (advanced.kind === 'refused') return 'refused';
    const notified = await this.once(installerId, 'ready', () => this.deps.notifier.notify(installerId, { name: 'coursesReady' }));
    return notified ? 'enrolled' : 'alreadyEnrolled';
  }

  private async completed(installerId: string, courseId: string): Promise<CourseCompletedResult> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return 'missing';
    const progress = await this.deps.lms.progress(learnerOf(installer));
    await this.recordProgress(installerId, progress);
    if (progress.length > 0 && progress.every((p) => p.status === 'completed')) {
      const at = this.now().toISOString();
      const advanced = await this.deps.installers.advance(installerId, 'coursesCompleted', (current) => ({ ...current, certifiedAt: current.certifiedAt ?? at }));
      if (advanced.kind === 'missing') return 'missing';
      if (advanced.kind === 'refused') return 'refused';
      const handed = await this.once(installerId, 'certified', () => this.deps.onCertified(installerId));
      return handed ? 'certified' : 'alreadyCertified';
    }
    if (progress.find((p) => p.course.id === courseId)?.status !== 'completed') return 'notCompleted';
    if (installer.stage !== 'courses_in_progress') return 'refused';
    await this.once(installerId, { completed: courseId }, () => this.deps.notifier.notify(installerId, { name: 'courseCompleted', courseId }));
    return 'courseCompleted';
  }

  /** The installer's progress per course, from the LMS (no deadline: for jobs and tools); undefined when there is no such installer. */
  async progress(installerId: string): Promise<CourseProgress[] | undefined> {
    const installer = await this.deps.installers.get(installerId);
    return installer ? this.deps.lms.progress(learnerOf(installer)) : undefined;
  }

  /**
   * The progress for a chat turn: the LMS is given turnDeadlineMs for the whole read (its retries
   * stop there, and the turn stops waiting there whatever the adapter does). When it is slow or
   * fails, the progress it last reported (kept by the poller, the completion jobs and earlier
   * turns), else 'unavailable'. Undefined when there is no such installer.
   */
  async progressInTurn(installerId: string): Promise<TurnProgress | undefined> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return undefined;
    const deadlineMs = this.deps.turnDeadlineMs ?? TURN_PROGRESS_DEADLINE_MS;
    let courses: CourseProgress[];
    try {
      courses = await withinDeadline(this.deps.lms.progress(learnerOf(installer), { deadlineMs }), deadlineMs);
    } catch {
      const known = await this.deps.store.get<KnownProgress>(knownProgressKey(installerId)).then(
        (found) => found?.value,
        () => undefined,
      );
      return known ? { kind: 'lastKnown', courses: known.courses, at: known.at } : { kind: 'unavailable' };
    }
    // keeping it is a convenience for a later slow turn: the turn shows what it read either way
    await this.recordProgress(installerId, courses).catch(() => undefined);
    return { kind: 'live', courses };
  }

  /** Keeps the progress the LMS reported now as the installer's last known (written when it changed, or now and then). */
  async recordProgress(installerId: string, courses: CourseProgress[]): Promise<void> {
    const now = this.now();
    const at = now.toISOString();
    let wrote = false;
    await updateDocument<KnownProgress>(
      this.deps.store,
      knownProgressKey(installerId),
      (current) => {
        wrote = false;
        if (current) {
          const age = now.getTime() - Date.parse(current.at);
          // a read that finished earlier than the kept one (a slow poll overtaken by a turn) is older news
          if (age < 0) return undefined;
          if (age < KNOWN_PROGRESS_REFRESH_MS && JSON.stringify(current.courses) === JSON.stringify(courses)) return undefined;
        }
        wrote = true;
        return { at, courses };
      },
      { ttlMs: KNOWN_PROGRESS_TTL_MS },
    );
    // read for a record that went meanwhile (a poll, a turn): it does not stay under the old id
    if (wrote) await this.afterWrite(installerId);
  }

  /** Forgets what the step did for the installer, and what the LMS keeps in the store about them ("delete my data"). */
  async erase(installerId: string): Promise<void> {
    await this.deps.store.delete(marksKey(installerId));
    await this.deps.store.delete(knownProgressKey(installerId));
    await this.deps.lmsData?.erase(installerId);
  }

  /** A corrected email address (the id): what the step did, the progress last known and what the LMS keeps in the store go with it. */
  async move(fromId: string, to: { id: string; email: string }): Promise<void> {
    const toId = to.id;
    const marks = (await this.deps.store.get<CourseJourneyMarks>(marksKey(fromId)))?.value;
    if (marks) {
      await updateDocument<CourseJourneyMarks>(this.deps.store, marksKey(toId), (current) => ({
        ready: current?.ready ?? marks.ready,
        completed: [...new Set([...marks.completed, ...(current?.completed ?? [])])],
        certified: current?.certified ?? marks.certified,
      }));
    }
    const known = (await this.deps.store.get<KnownProgress>(knownProgressKey(fromId)))?.value;
    if (known) await updateDocument<KnownProgress>(this.deps.store, knownProgressKey(toId), (current) => (current && current.at >= known.at ? undefined : known), { ttlMs: KNOWN_PROGRESS_TTL_MS });
    await this.deps.lmsData?.move(fromId, { installerId: toId, email: to.email });
    await this.erase(fromId);
  }

  /**
   * Runs a step, then looks at the record (afterWrite): when the installer moved meanwhile (or before:
   * a report naming a corrected address), the step runs again for the new id, once what it wrote
   * under the old one has moved there. Every step is idempotent, so running again is safe.
   */
  private async followingMoves<R>(installerId: string, step: (installerId: string) => Promise<R>, hops = 0): Promise<R> {
    const result = await step(installerId);
    const after = await this.afterWrite(installerId);
    return after.kind === 'moved' && hops < MAX_MOVES_FOLLOWED ? this.followingMoves(after.installerId, step, hops + 1) : result;
  }

  /**
   * The check after a write under `installerId`: the record is still there (kept), or it went after
   * the writer read it, and what was written moves to where the installer went (support corrected
   * the address), or is erased ("delete my data"): nothing stays under an id with no record.
   */
  private async afterWrite(installerId: string): Promise<AfterWrite> {
    if (await this.deps.installers.get(installerId)) return { kind: 'kept' };
    const toId = await this.deps.movedTo?.(installerId);
    const to = toId === undefined ? undefined : await this.deps.installers.get(toId);
    if (to) {
      await this.move(installerId, to);
      return { kind: 'moved', installerId: to.id };
    }
    await this.erase(installerId);
    return { kind: 'erased' };
  }

  /**
   * Runs an effect unless it ran before: the mark is claimed in the store first (one claimant wins a
   * race), and released again when the effect fails. True when it ran now.
   */
  private async once(installerId: string, mark: Mark, effect: () => Promise<unknown>): Promise<boolean> {
    const at = this.now().toISOString();
    let claimed = false;
    await updateDocument<CourseJourneyMarks>(this.deps.store, marksKey(installerId), (current) => {
      const marks = current ?? { completed: [] };
      claimed = !has(marks, mark);
      return claimed ? set(marks, mark, at) : undefined;
    });
    if (!claimed) return false;
    if (!(await this.deps.installers.get(installerId))) {
      // the record went after the step read it: the effect is not for it, and the claim goes (the step runs again where the installer went)
      await updateDocument<CourseJourneyMarks>(this.deps.store, marksKey(installerId), (current) => (current ? unset(current, mark) : undefined));
      return false;
    }
    try {
      await effect();
      return true;
    } catch (error) {
      await updateDocument<CourseJourneyMarks>(this.deps.store, marksKey(installerId), (current) => (current ? unset(current, mark) : undefined));
      throw error;
    }
  }
}

/** The read's answer, or a timeout error once `ms` have passed (the read itself is left to end on its own, its outcome handled). */
async function withinDeadline<T>(read: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    // Promise.race handles a later rejection of the read too: nothing is left unhandled
    return await Promise.race([read, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function has(marks: CourseJourneyMarks, mark: Mark): boolean {
  return typeof mark === 'string' ? marks[mark] !== undefined : marks.completed.includes(mark.completed);
}

function set(marks: CourseJourneyMarks, mark: Mark, at: string): CourseJourneyMarks {
  return typeof mark === 'string' ? { ...marks, [mark]: at } : { ...marks, completed: [...marks.completed, mark.completed] };
}

function unset(marks: CourseJourneyMarks, mark: Mark): CourseJourneyMarks {
  if (typeof mark !== 'string') return { ...marks, completed: marks.completed.filter((id) => id !== mark.completed) };
  const { [mark]: _dropped, ...rest } = marks;
  return { ...rest, completed: marks.completed };
}
