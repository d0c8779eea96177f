import { STAGES, type Stage } from '../../src/domain/journey';
import { JOURNEY_EVENTS, type JourneyEvent, transition, TRANSITIONS } from '../../src/domain/journeyTransitions';

/**
 * The journey written out by hand, every stage × every event: the stage the event leads to, or
 * `refused`. It is the specification the domain's table is checked against (not derived from it).
 */
const EXPECTED: Record<Stage, Record<JourneyEvent, Stage | 'refused'>> = {
  new: {
    passwordSet: 'registered',
    emailConfirmed: 'refused',
    profileSaved: 'refused',
    coursesAssigned: 'refused',
    coursesCompleted: 'refused',
    accountSetUp: 'refused',
    stationLocalized: 'refused',
  },
  registered: {
    passwordSet: 'registered',
    emailConfirmed: 'confirmed',
    profileSaved: 'refused',
    coursesAssigned: 'refused',
    coursesCompleted: 'refused',
    accountSetUp: 'refused',
    stationLocalized: 'refused',
  },
  confirmed: {
    passwordSet: 'refused',
    emailConfirmed: 'confirmed',
    profileSaved: 'profile_complete',
    coursesAssigned: 'refused',
    coursesCompleted: 'refused',
    accountSetUp: 'refused',
    stationLocalized: 'refused',
  },
  profile_complete: {
    passwordSet: 'refused',
    emailConfirmed: 'profile_complete',
    profileSaved: 'profile_complete',
    coursesAssigned: 'courses_in_progress',
    coursesCompleted: 'certified',
    accountSetUp: 'refused',
    stationLocalized: 'refused',
  },
  courses_in_progress: {
    passwordSet: 'refused',
    emailConfirmed: 'courses_in_progress',
    profileSaved: 'courses_in_progress',
    coursesAssigned: 'courses_in_progress',
    coursesCompleted: 'certified',
    accountSetUp: 'refused',
    stationLocalized: 'refused',
  },
  certified: {
    passwordSet: 'refused',
    emailConfirmed: 'certified',
    profileSaved: 'certified',
    coursesAssigned: 'certified',
    coursesCompleted: 'certified',
    accountSetUp: 'active',
    stationLocalized: 'refused',
  },
  active: {
    passwordSet: 'refused',
    emailConfirmed: 'active',
    profileSaved: 'active',
    coursesAssigned: 'active',
    coursesCompleted: 'active',
    accountSetUp: 'active',
    stationLocalized: 'active',
  },
};

const EVENTS: JourneyEvent[] = ['passwordSet', 'emailConfirmed', 'profileSaved', 'coursesAssigned', 'coursesCompleted', 'accountSetUp', 'stationLocalized'];

describe('journey transitions: every stage × every event', () => {
  it('the table covers every stage, and the event list every event', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...STAGES].sort());
    expect([...JOURNEY_EVENTS].sort()).toEqual([...EVENTS].sort());
  });

  const cases = STAGES.flatMap((stage) => EVENTS.map((event) => ({ stage, event, expected: EXPECTED[stage][event] })));
  it.each(cases)('$stage + $event → $expected', ({ stage, event, expected }) => {
    const result = transition(stage, event);
    if (expected === 'refused') expect(result).toEqual({ ok: false, reason: 'not_allowed' });
    else expect(result).toEqual({ ok: true, stage: expected, changed: expected !== stage });
  });

  it('never leads backwards: an accepted event keeps the stage or moves it on', () => {
    for (const stage of STAGES) {
      for (const event of EVENTS) {
        const result = transition(stage, event);
        if (result.ok) expect(STAGES.indexOf(result.stage)).toBeGreaterThanOrEqual(STAGES.indexOf(stage));
      }
    }
  });

  it('every stage after new can be reached from new by events alone', () => {
    const reached = new Set<Stage>(['new']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const stage of [...reached]) {
        for (const event of EVENTS) {
          const result = transition(stage, event);
          if (result.ok && !reached.has(result.stage)) {
            reached.add(result.stage);
            grew = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...STAGES].sort());
  });
});
