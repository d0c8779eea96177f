import { REGIONS, type Region } from './journey';

/** One opening window: the weekdays (0 = Sunday … 6 = Saturday) and the minutes of the day [from, to). */
export interface OpeningWindow {
  days: number[];
  from: number;
  to: number;
}

/** A region's support hours, in the region's own time zone. */
export interface RegionHours {
  timeZone: string;
  windows: OpeningWindow[];
}

/** Support hours per region; a region not listed is served at any time. */
export type SupportHours = Partial<Record<Region, RegionHours>>;

/** A piece of the setting as an error message quotes it (a long value is cut). */
const quoted = (text: string) => `"${text.length > 60 ? text.slice(0, 60) + '…' : text}"`;

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function dayIndex(name: string): number | undefined {
  const index = DAYS.indexOf(name.slice(0, 3).toLowerCase());
  return index === -1 ? undefined : index;
}

function minutesOf(time: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(time);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return undefined;
  return hours * 60 + minutes;
}

function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** "Mon-Fri" → [1..5], "Sat" → [6], "Fri-Mon" wraps over the weekend. */
function parseDays(text: string): number[] | undefined {
  const [first, last] = text.split('-');
  const from = first === undefined ? undefined : dayIndex(first);
  const to = last === undefined ? from : dayIndex(last);
  if (from === undefined || to === undefined || (first ?? '').length < 3 || (last !== undefined && last.length < 3)) return undefined;
  const days: number[] = [];
  for (let day = from; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === to) break;
  }
  return days;
}

/**
 * Parses SUPPORT_HOURS: `region=Time/Zone Days HH:MM-HH:MM[, Days HH:MM-HH:MM]` separated by `;`,
 * e.g. `na=America/New_York Mon-Fri 08:00-17:00; global=Europe/Oslo Mon-Fri 08:00-16:00, Sat 10:00-14:00`.
 * Returns the hours, or a message saying what is wrong. Empty or unset: every region at any time.
 */
export function parseSupportHours(text: string | undefined): SupportHours | { error: string } {
  const hours: SupportHours = {};
  for (const entry of (text ?? '').split(';').map((e) => e.trim()).filter(Boolean)) {
    const match = /^(na|global)\s*=\s*(\S+)\s+(.+)$/i.exec(entry);
    if (!match) return { error: `${quoted(entry)}: expected region=Time/Zone Mon-Fri 08:00-16:00 (region na or global)` };
    const region = match[1]!.toLowerCase() as Region;
    const timeZone = match[2]!;
    if (!validTimeZone(timeZone)) return { error: `${quoted(timeZone)} is not a time zone (e.g. Europe/Oslo)` };
    const windows: OpeningWindow[] = [];
    for (const part of match[3]!.split(',').map((p) => p.trim())) {
      const window = /^(\S+)\s+(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(part);
      const days = window ? parseDays(window[1]!) : undefined;
      const from = window ? minutesOf(window[2]!) : undefined;
      const to = window ? minutesOf(window[3]!) : undefined;
      if (!days || from === undefined || to === undefined || to <= from) return { error: `${quoted(part)}: expected days and times like Mon-Fri 08:00-16:00` };
      windows.push({ days, from, to });
    }
    hours[region] = { timeZone, windows };
  }
  return hours;
}

/** The weekday and minute of the day at `at` in the time zone. */
function localTime(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: dayIndex(part('weekday')) ?? 0, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

/**
 * Whether support for the region is open at `at`. A region without hours is always open; with no
 * region known yet, support is open when the support of any region is.
 */
export function isSupportOpen(hours: SupportHours, region: Region | undefined, at: Date): boolean {
  if (region === undefined) return REGIONS.some((r) => isSupportOpen(hours, r, at));
  const regionHours = hours[region];
  if (!regionHours) return true;
  const { day, minutes } = localTime(at, regionHours.timeZone);
  return regionHours.windows.some((w) => w.days.includes(day) && minutes >= w.from && minutes < w.to);
}
