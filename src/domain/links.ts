import type { Language } from './language';

/** Where the one-time links of the journey point (the web layer serves these paths). */
export const PASSWORD_PAGE_PATH = '/account/password';
export const CONFIRM_PATH = '/confirm';
export const STATION_SCAN_PATH = '/station/scan';
export const STATION_LOCATION_PATH = '/station/location';
export const INVITATION_PAGE_PATH = '/account/invitation';

function linkUrl(publicUrl: string, path: string, token: string, language?: Language): string {
  const lang = language ? `&lang=${language}` : '';
  return `${publicUrl.replace(/\/+$/, '')}${path}?token=${encodeURIComponent(token)}${lang}`;
}

/** The link to the password page for a token (language optional: the installer's language is used otherwise). */
export function passwordPageUrl(publicUrl: string, token: string, language?: Language): string {
  return linkUrl(publicUrl, PASSWORD_PAGE_PATH, token, language);
}

/** The link in the confirmation email. */
export function confirmUrl(publicUrl: string, token: string, language?: Language): string {
  return linkUrl(publicUrl, CONFIRM_PATH, token, language);
}

/** The link in the invitation email: the page that sets up the installer account. */
export function invitationPageUrl(publicUrl: string, token: string, language?: Language): string {
  return linkUrl(publicUrl, INVITATION_PAGE_PATH, token, language);
}

/** The on-site page: identify the station (scan or type), then pinpoint it. */
export function stationScanUrl(publicUrl: string, token: string, language?: Language): string {
  return linkUrl(publicUrl, STATION_SCAN_PATH, token, language);
}

/** The pinpointing page for an identified station. */
export function stationLocationUrl(publicUrl: string, token: string, mac: string): string {
  return `${linkUrl(publicUrl, STATION_LOCATION_PATH, token)}&mac=${encodeURIComponent(mac)}`;
}

/** The `host` query value of a page opened as a Teams dialog (task/fetch): that page then closes the dialog when done. */
export const TEAMS_DIALOG_HOST = 'teams';
