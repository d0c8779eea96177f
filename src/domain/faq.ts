import { REGION_LINKS, type Region, STATION_SITE_URL } from './journey';
import type { Language } from './language';
import { LINK_CODE_TTL_MS } from './oneTimeCode';

/**
 * The questions the chat answers: the source guide's, two about the chat's own registration, and two
 * the guide leaves open (a password link that has gone out, a station fault: what helps, honestly).
 * locales/<language>/faq.json has one answer per id.
 */
export const FAQ_IDS = [
  'whatIsThis',
  'steps',
  'whichPortal',
  'confirmationEmail',
  // not in the guide: what the chat itself does with the address, and when its code arrives
  'whyEmail',
  // not in the guide: why the profile asks for a phone number (the university profile does; more is support's to say)
  'whyPhone',
  'codeArrival',
  'profile',
  'courses',
  // not in the guide: a course not passed (how to get back to it; the rules for a retake are support's to say)
  'courseRetake',
  'invitation',
  // the invitation found in the spam folder: out of it, then the link in it
  'invitationSpam',
  'installerAccount',
  'localization',
  'qrCode',
  'macAddress',
  'cantLogIn',
  'supportLinks',
  // not in the guide: what the chat can say honestly when the password link or the station itself does not work
  'passwordLink',
  'stationFault',
] as const;
export type FaqId = (typeof FAQ_IDS)[number];

/** The answer to a question the guide does not answer: "I don't know that" and the support link. */
export const FAQ_UNKNOWN = 'unknown';

/**
 * What an answer may name: the links from the regional link table (never a portal's own sign-up
 * page: the chat registers people), and how long the chat's code works.
 */
export function faqLinks(region: Region, language: Language): Record<string, string> {
  const links = REGION_LINKS[region];
  return {
    faqUrl: links.faq,
    supportUrl: links.support[language],
    stationSiteUrl: STATION_SITE_URL,
    codeMinutes: String(LINK_CODE_TTL_MS / 60000),
  };
}
