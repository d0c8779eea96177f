import type { TurnContext } from 'botbuilder';
import type { Language } from '../domain/language';
import type { CourseJourney, TurnProgress } from '../services/courses/courseJourney';
import type { CourseProgress } from '../services/lms/lmsPort';
import type { Phrases } from './turnLanguage';

const PROGRESS_READS = Symbol('progressReads');
const UNAVAILABLE_SAID = Symbol('coursesUnavailableSaid');

/**
 * The installer's progress for this turn, read once per turn within the turn's deadline (status
 * followed by the course list asked again is one read, never two waits); a failure reads as
 * 'unavailable'. Undefined when there is no such installer.
 */
export function progressThisTurn(context: TurnContext, courses: Pick<CourseJourney, 'progressInTurn'>, installerId: string): Promise<TurnProgress | undefined> {
  let reads = context.turnState.get(PROGRESS_READS) as Map<string, Promise<TurnProgress | undefined>> | undefined;
  if (!reads) {
    reads = new Map();
    context.turnState.set(PROGRESS_READS, reads);
  }
  let read = reads.get(installerId);
  if (!read) {
    read = courses.progressInTurn(installerId).catch((): TurnProgress => ({ kind: 'unavailable' }));
    reads.set(installerId, read);
  }
  return read;
}

/** "I can't fetch your courses right now" (courses:chat.unavailable), remembered for the turn so that the turn says it once. */
export function sayUnavailable(context: TurnContext, phrases: Phrases): string {
  context.turnState.set(UNAVAILABLE_SAID, true);
  return phrases.text(context, 'courses:chat.unavailable');
}

/** Whether this turn has already said the courses cannot be fetched. */
export function unavailableSaid(context: TurnContext): boolean {
  return context.turnState.get(UNAVAILABLE_SAID) === true;
}

/** The title of a course in the turn's language (the installer's, before the chat's is known). */
export function courseTitle(progress: CourseProgress, language: Language): string {
  return progress.course.title[language];
}

/** "Ikke startet", "40 %", "Fullført". */
export function courseProgressText(context: TurnContext, phrases: Phrases, progress: CourseProgress): string {
  return phrases.text(context, `courses:status.${progress.status}`, { percent: progress.percent });
}

/** One line per course: title, duration, progress (a markdown list). */
export function courseLines(context: TurnContext, phrases: Phrases, progress: readonly CourseProgress[], language: Language): string[] {
  return progress.map((p) => {
    const vars = { title: courseTitle(p, language), minutes: p.course.minutes, progress: courseProgressText(context, phrases, p) };
    return `- ${phrases.text(context, p.course.minutes ? 'courses:chat.line' : 'courses:chat.lineNoDuration', vars)}`;
  });
}
