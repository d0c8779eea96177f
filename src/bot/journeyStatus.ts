import type { TurnContext } from 'botbuilder';
import { journeyOverview, NEXT_ACTION, REGION_LINKS, type Region, type Stage } from '../domain/journey';
import type { Installer } from '../domain/installer';
import type { Phrases } from './turnLanguage';

const MARK = { done: '✅', current: '➡️', todo: '⬜' } as const;

/** The journey with the current stage marked and the next action, in the turn's language. */
export function renderStatus(context: TurnContext, phrases: Phrases, installer: Installer | undefined): string {
  const stage: Stage = installer?.stage ?? 'new';
  const lines = journeyOverview(stage).map(({ stage: s, state }) => {
    const name = phrases.text(context, `journey:stage.${s}`);
    return state === 'current' ? `${MARK[state]} **${name}** ${phrases.text(context, 'journey:youAreHere')}` : `${MARK[state]} ${name}`;
  });
  const stations = installer?.stationsLocalized.length ?? 0;
  // two trailing spaces: a markdown line break, so Web Chat and Teams keep the checklist one step a line
  const checklist = [...lines, phrases.text(context, 'journey:stations', { count: stations })].map((line) => `${line}  `);
  return [
    phrases.text(context, 'journey:title'),
    '',
    ...checklist,
    '',
    phrases.text(context, `journey:next.${NEXT_ACTION[stage]}`),
  ].join('\n');
}

export function regionOf(installer: Installer | undefined): Region {
  return installer?.region ?? 'global';
}

export function linksFor(installer: Installer | undefined): (typeof REGION_LINKS)[Region] {
  return REGION_LINKS[regionOf(installer)];
}
