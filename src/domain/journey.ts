import type { Language } from './language';
/** The installer journey, in order (DESIGN.md "The journey as data"). */
export const STAGES = [
  'new',
  'registered',
  'confirmed',
  'profile_complete',
  'courses_in_progress',
  'certified',
  'active',
] as const;
export type Stage = (typeof STAGES)[number];

export type Region = 'na' | 'global';
export const REGIONS: readonly Region[] = ['na', 'global'];

/** What the installer should do next at each stage (a key under journey:next in the locales). */
export const NEXT_ACTION: Record<Stage, string> = {
  new: 'register',
  registered: 'confirm',
  confirmed: 'profile',
  profile_complete: 'courses',
  courses_in_progress: 'courses',
  certified: 'account',
  active: 'station',
};

export function stageIndex(stage: Stage): number {
  return STAGES.indexOf(stage);
}

export function hasReached(stage: Stage, target: Stage): boolean {
  return stageIndex(stage) >= stageIndex(target);
}

export type StepState = 'done' | 'current' | 'todo';

/** The journey as a list with the current stage marked; stations localized are counted separately. */
export function journeyOverview(stage: Stage): Array<{ stage: Stage; state: StepState }> {
  const current = stageIndex(stage);
  return STAGES.map((s, i) => ({ stage: s, state: i < current ? 'done' : i === current ? 'current' : 'todo' }));
}

/**
 * Every regional link in one table: the university portal and the FAQ (from the source guide), and
 * customer support: the North American help page from the guide, and ChargePoint's European support
 * page (installer support numbers per country) in the page language, never the North American one.
 */
export const REGION_LINKS: Record<Region, { signUp: string; faq: string; support: Record<Language, string> }> = {
  na: {
    signUp: 'https://cpinstaller.learnupon.com/users/sign_up',
    faq: 'https://www.chargepoint.com/installers/',
    support: {
      nb: 'https://customer.chargepoint.com/s/guest-help-na-station-issues',
      en: 'https://customer.chargepoint.com/s/guest-help-na-station-issues',
    },
  },
  global: {
    signUp: 'https://cpglobal.learnupon.com/users/sign_up',
    faq: 'https://www.chargepoint.com/eu/installers/',
    support: { nb: 'https://www.chargepoint.com/no-no/support', en: 'https://www.chargepoint.com/en-gb/support' },
  },
};

/** ChargePoint's mobile site, where an installer on site signs in and enters a station's MAC address (the guide; every region). */
export const STATION_SITE_URL = 'https://m.chargepoint.com/';

/** The region a locale suggests: a North American locale → na, everything else (Norway, Europe, UK) → global. */
export function suggestRegion(locale: string | undefined): Region {
  const region = locale?.split(/[-_]/, 2)[1]?.toUpperCase();
  return region === 'US' || region === 'CA' || region === 'MX' ? 'na' : 'global';
}
