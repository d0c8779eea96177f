import { type Stage, stageIndex } from './journey';

/**
 * What moves an installer along the journey. Each is something that happened (a page was used,
 * the LMS reported progress), never a stage set directly.
 */
export type JourneyEvent =
  /** The password was chosen on the password page. */
  | 'passwordSet'
  /** The confirmation link in the email was used. */
  | 'emailConfirmed'
  /** Every required profile field was saved (again, when edited later). */
  | 'profileSaved'
  /** The LMS enrolled the installer in the region's courses. */
  | 'coursesAssigned'
  /** The LMS reported every course completed: certified, the invitation goes out. */
  | 'coursesCompleted'
  /** The installer account was set up with the invitation link. */
  | 'accountSetUp'
  /** A station was localized on site. */
  | 'stationLocalized';

export type TransitionResult = { ok: true; stage: Stage; changed: boolean } | { ok: false; reason: 'not_allowed' };

/**
 * The journey as a table: for each stage, the events it accepts and the stage they lead to.
 * An event not listed for a stage is refused. Staying at the same stage is allowed where the
 * event may repeat (a profile edited later, another station).
 */
export const TRANSITIONS: Readonly<Record<Stage, Partial<Record<JourneyEvent, Stage>>>> = {
  // the confirmation link is only sent once the password is set: a confirmation at `new` is refused
  // (accepting it kept the stage but recorded confirmedAt on an unconfirmed record)
  new: { passwordSet: 'registered' },
  // a password chosen again on a new page before the click
  registered: { emailConfirmed: 'confirmed', passwordSet: 'registered' },
  // from here on the confirmation link may be clicked again (mail scanners, a second click): nothing changes
  confirmed: { profileSaved: 'profile_complete', emailConfirmed: 'confirmed' },
  profile_complete: {
    profileSaved: 'profile_complete',
    coursesAssigned: 'courses_in_progress',
    // the LMS may report the courses complete before (or instead of) the enrolment being recorded:
    // someone who took them in the portal already; certification must not be lost
    coursesCompleted: 'certified',
    emailConfirmed: 'profile_complete',
  },
  courses_in_progress: {
    profileSaved: 'courses_in_progress',
    coursesAssigned: 'courses_in_progress',
    coursesCompleted: 'certified',
    emailConfirmed: 'courses_in_progress',
  },
  // a profile edited later updates the LMS and enrols again ("already enrolled"): never a step back
  certified: { profileSaved: 'certified', coursesAssigned: 'certified', coursesCompleted: 'certified', accountSetUp: 'active', emailConfirmed: 'certified' },
  active: {
    profileSaved: 'active',
    coursesAssigned: 'active',
    coursesCompleted: 'active',
    accountSetUp: 'active',
    stationLocalized: 'active',
    emailConfirmed: 'active',
  },
};

/** Every event, in the order the journey meets them (for tables and tests). */
export const JOURNEY_EVENTS: readonly JourneyEvent[] = [
  'passwordSet',
  'emailConfirmed',
  'profileSaved',
  'coursesAssigned',
  'coursesCompleted',
  'accountSetUp',
  'stationLocalized',
];

/** The one place that decides a stage change: stage + event → next stage, or a refusal. */
export function transition(stage: Stage, event: JourneyEvent): TransitionResult {
  const next = TRANSITIONS[stage][event];
  if (next === undefined) return { ok: false, reason: 'not_allowed' };
  return { ok: true, stage: next, changed: next !== stage };
}

/** When a stage was entered (the installer record keeps them, oldest first). */
export interface StageEntry {
  stage: Stage;
  at: string;
  /** The event that led here (absent for the first stage). */
  event?: JourneyEvent;
}

/**
 * When the step of a stage was done: when the installer first entered a later stage (the
 * history may skip a stage, e.g. courses completed before the enrolment was recorded).
 * Undefined while the step is not done, or for a record from before the history was kept.
 */
export function stepDoneAt(history: readonly StageEntry[] | undefined, stage: Stage): string | undefined {
  return history?.find((entry) => stageIndex(entry.stage) > stageIndex(stage))?.at;
}
