import type { TurnContext } from 'botbuilder';
import type { Language } from '../domain/language';
import type { CourseProgress } from '../services/lms/lmsPort';
import type { Phrases } from './turnLanguage';

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
