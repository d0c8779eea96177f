import type { TurnContext } from 'botbuilder';
import { journeyOverview, NEXT_ACTION, REGION_LINKS, type Region, type Stage } from '../domain/journey';
import type { Installer } from '../domain/installer';
import { stepDoneAt } from '../domain/journeyTransitions';
import type { Language } from '../domain/language';
import type { TurnProgress } from '../services/courses/courseJourney';
import { courseLines, sayUnavailable } from './courseList';
import { type Phrases, turnLanguage } from './turnLanguage';

const MARK = { done: '✅', current: '➡️', todo: '⬜' } as const;

const NEXT_STEP_SAID = Symbol('nextStepSaid');

/** "Next step: …" for the stage; remembered for the turn, so that the turn says it once. */
export function sayNextStep(context: TurnContext, phrases: Phrases, stage: Stage): string {
  context.turnState.set(NEXT_STEP_SAID, true);
  return phrases.text(context, `journey:next.${NEXT_ACTION[stage]}`);
}

/** Whether this turn has already said what the next step is. */
export function nextStepSaid(context: TurnContext): boolean {
  return context.turnState.get(NEXT_STEP_SAID) === true;
}

/**
 * The journey with the current stage marked, in the turn's language, and the next action, unless
 * `withNext` is false: when a question is asked again right after, that question is the next step
 * and says it (the same thing twice in a row reads like the bot is stuck).
 */
export function renderStatus(
  context: TurnContext,
  phrases: Phrases,
  installer: Installer | undefined,
  withNext = true,
  /** The progress per course, shown while the installer is in the courses (read within the turn's deadline). */
  courses?: TurnProgress,
  /** How many stations the installer has localized. */
  stations = 0,
): string {
  const stage: Stage = installer?.stage ?? 'new';
  const lines = journeyOverview(stage).map(({ stage: s, state }) => {
    const name = phrases.text(context, `journey:stage.${s}`);
    if (state === 'current') return `${MARK[state]} **${name}** ${phrases.text(context, 'journey:youAreHere')}`;
    const doneAt = state === 'done' ? stepDoneAt(installer?.stageHistory, s) : undefined;
    const language = turnLanguage(context);
    if (!doneAt || !language) return `${MARK[state]} ${name}`;
    return `${MARK[state]} ${phrases.text(context, 'journey:doneOn', { step: name, date: shortDate(doneAt, language, context.activity?.localTimezone) })}`;
  });
  // two trailing spaces: a markdown line break, so Web Chat and Teams keep the checklist one step a line
  const checklist = [...lines, phrases.text(context, 'journey:stations', { count: stations })].map((line) => `${line}  `);
  const status = [phrases.text(context, 'journey:title'), '', ...checklist];
  if (courses?.kind === 'unavailable') status.push('', sayUnavailable(context, phrases));
  else if (courses && courses.courses.length > 0) {
    const language = turnLanguage(context) ?? installer?.language ?? 'nb';
    status.push('', phrases.text(context, 'courses:statusHeading'), ...courseLines(context, phrases, courses.courses, language));
    if (courses.kind === 'lastKnown') status.push('', knownProgressNote(context, phrases, courses.at, language));
  }
  if (withNext) status.push('', sayNextStep(context, phrases, stage));
  return status.join('\n');
}

/** "I can't reach the course platform now: this is how it stood on <date> at <time>" (the progress shown is the last known). */
export function knownProgressNote(context: TurnContext, phrases: Phrases, at: string, language: Language): string {
  const timeZone = context.activity?.localTimezone;
  return phrases.text(context, 'courses:chat.lastKnown', { date: shortDate(at, language, timeZone), time: shortTime(at, language, timeZone) });
}

/** Where a date is shown when the channel does not say the user's time zone (the guide is Norwegian). */
const DEFAULT_TIME_ZONE = 'Europe/Oslo';

/** A day and month the way the language writes it short: "24.11." (nb), "24 Nov" (en). */
export function shortDate(iso: string, language: Language, timeZone: string | undefined): string {
  return formatted(iso, language, timeZone, language === 'nb' ? { day: 'numeric', month: 'numeric' } : { day: 'numeric', month: 'short' });
}

/** Hours and minutes, 24-hour clock: "09:15". */
export function shortTime(iso: string, language: Language, timeZone: string | undefined): string {
  return formatted(iso, language, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

function formatted(iso: string, language: Language, timeZone: string | undefined, options: Intl.DateTimeFormatOptions): string {
  const locale = language === 'nb' ? 'nb-NO' : 'en-GB';
  const date = new Date(iso);
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: timeZone || DEFAULT_TIME_ZONE }).format(date);
  } catch {
    // a time zone the runtime does not know (channels send IANA names, but nothing guarantees it)
    return new Intl.DateTimeFormat(locale, { ...options, timeZone: DEFAULT_TIME_ZONE }).format(date);
  }
}

export function regionOf(installer: Installer | undefined): Region {
  return installer?.region ?? 'global';
}

export function linksFor(installer: Installer | undefined): (typeof REGION_LINKS)[Region] {
  return REGION_LINKS[regionOf(installer)];
}
