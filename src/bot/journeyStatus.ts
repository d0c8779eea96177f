import type { TurnContext } from 'botbuilder';
import { journeyOverview, NEXT_ACTION, REGION_LINKS, type Region, type Stage } from '../domain/journey';
import type { Installer } from '../domain/installer';
import type { Phrases } from './turnLanguage';

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
export function renderStatus(context: TurnContext, phrases: Phrases, installer: Installer | undefined, withNext = true): string {
  const stage: Stage = installer?.stage ?? 'new';
  const lines = journeyOverview(stage).map(({ stage: s, state }) => {
    const name = phrases.text(context, `journey:stage.${s}`);
    return state === 'current' ? `${MARK[state]} **${name}** ${phrases.text(context, 'journey:youAreHere')}` : `${MARK[state]} ${name}`;
  });
  const stations = installer?.stationsLocalized.length ?? 0;
  // two trailing spaces: a markdown line break, so Web Chat and Teams keep the checklist one step a line
  const checklist = [...lines, phrases.text(context, 'journey:stations', { count: stations })].map((line) => `${line}  `);
  const status = [phrases.text(context, 'journey:title'), '', ...checklist];
  if (withNext) status.push('', sayNextStep(context, phrases, stage));
  return status.join('\n');
}

export function regionOf(installer: Installer | undefined): Region {
  return installer?.region ?? 'global';
}

export function linksFor(installer: Installer | undefined): (typeof REGION_LINKS)[Region] {
  return REGION_LINKS[regionOf(installer)];
}
