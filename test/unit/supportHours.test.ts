import { isSupportOpen, parseSupportHours, type SupportHours } from '../../src/domain/supportHours';
import { loadConfig } from '../../src/config';
import { transcriptText } from '../../src/logger';

const HOURS = 'na=America/New_York Mon-Fri 08:00-17:00; global=Europe/Oslo Mon-Fri 08:00-16:00, Sat 10:00-14:00';

describe('SUPPORT_HOURS', () => {
  const hours = parseSupportHours(HOURS) as SupportHours;

  it('reads the hours per region in its own time zone', () => {
    expect(hours.global).toEqual({
      timeZone: 'Europe/Oslo',
      windows: [
        { days: [1, 2, 3, 4, 5], from: 480, to: 960 },
        { days: [6], from: 600, to: 840 },
      ],
    });
    expect(hours.na?.timeZone).toBe('America/New_York');
  });

  it.each<[string, 'na' | 'global', boolean]>([
    // Tuesday 24 November 2026, 07:30 UTC = 08:30 in Oslo, 02:30 in New York
    ['2026-11-24T07:30:00Z', 'global', true],
    ['2026-11-24T07:30:00Z', 'na', false],
    // 15:30 UTC = 16:30 in Oslo (closed), 10:30 in New York (open)
    ['2026-11-24T15:30:00Z', 'global', false],
    ['2026-11-24T15:30:00Z', 'na', true],
    // Saturday 28 November, 10:30 in Oslo: the Saturday window
    ['2026-11-28T09:30:00Z', 'global', true],
    ['2026-11-28T15:30:00Z', 'na', false],
    // summer time: 1 July 06:30 UTC = 08:30 in Oslo
    ['2026-07-01T06:30:00Z', 'global', true],
    ['2026-07-01T05:30:00Z', 'global', false],
  ])('at %s %s is open: %s', (at, region, open) => {
    expect(isSupportOpen(hours, region, new Date(at))).toBe(open);
  });

  it('unset: always open; a region not listed: always open', () => {
    expect(isSupportOpen(parseSupportHours(undefined) as SupportHours, 'na', new Date('2026-11-29T03:00:00Z'))).toBe(true);
    expect(isSupportOpen(parseSupportHours('global=Europe/Oslo Mon 08:00-09:00') as SupportHours, 'na', new Date('2026-11-29T03:00:00Z'))).toBe(true);
  });

  it('no region known yet: open when the support of any region is (a region without hours always is)', () => {
    const naOnly = parseSupportHours('na=America/New_York Mon 03:00-03:01') as SupportHours;
    expect(isSupportOpen(naOnly, undefined, new Date('2026-11-29T03:00:00Z'))).toBe(true);
    // both listed, both closed on a Sunday at 04:00 in Oslo
    expect(isSupportOpen(hours, undefined, new Date('2026-11-29T03:00:00Z'))).toBe(false);
    // 15:30 UTC on a Tuesday: Oslo closed, New York open
    expect(isSupportOpen(hours, undefined, new Date('2026-11-24T15:30:00Z'))).toBe(true);
  });

  it.each([
    ['europe=Europe/Oslo Mon-Fri 08:00-16:00', /region na or global/],
    ['global=Europe/Bergen Mon-Fri 08:00-16:00', /not a time zone/],
    ['global=Europe/Oslo Mon-Fri 16:00-08:00', /days and times/],
    ['global=Europe/Oslo Mandag 08:00-16:00', /days and times/],
    ['global=Europe/Oslo Mon-Fri 8-16', /days and times/],
  ])('refuses %s with a message naming the problem', (text, message) => {
    const parsed = parseSupportHours(text);
    expect('error' in parsed && parsed.error).toMatch(message);
    expect(() => loadConfig({ SUPPORT_HOURS: text })).toThrow(/SUPPORT_HOURS/);
  });

  it('SUPPORT_PICKUP_MINUTES: a positive number of minutes, 10 by default', () => {
    expect(loadConfig({}).SUPPORT_PICKUP_MINUTES).toBe(10);
    expect(loadConfig({ SUPPORT_PICKUP_MINUTES: '2.5' }).SUPPORT_PICKUP_MINUTES).toBe(2.5);
    expect(() => loadConfig({ SUPPORT_PICKUP_MINUTES: '0' })).toThrow(/SUPPORT_PICKUP_MINUTES/);
  });
});

describe('a support transcript line', () => {
  it.each([
    ['my password is Fjell-Bergen-2026', 'my password [redacted]'],
    ['Fjell-Bergen-2026', '[redacted]'],
    ['prøv Sommer2026Ladestasjon nå', 'prøv [redacted] nå'],
    ['https://bot.example/account/password?token=abcDEF1234567890abcdef12', 'https://bot.example/account/password [redacted]'],
    ['https://bot.example/confirm?token=abcDEF1234567890abcdef12', 'https://bot.example/confirm?token=[redacted]'],
    ['skriv til ola.nordmann@firma.no', 'skriv til [email]'],
    ['MAC 00:1A:2B:3C:4D:5E på stasjon 2', 'MAC 00:1A:2B:3C:4D:5E på stasjon 2'],
    ['jeg får ikke e-posten', 'jeg får ikke e-posten'],
    ['sommer2024!', '[redacted]'],
    ['prøvde hunter22# og Vinter1990', 'prøvde [redacted] og [redacted]'],
    ['MAC 00-1a-2b-3c-4d-5e.', 'MAC 00-1a-2b-3c-4d-5e.'],
    ['serienummer 2135WS1234, ferdig kl. 14:30!', 'serienummer 2135WS1234, ferdig kl. 14:30!'],
    ['står på 59.91390,10.75220 ved ChargePoint-ladestasjoner', 'står på 59.91390,10.75220 ved ChargePoint-ladestasjoner'],
  ])('%s → %s', (text, redacted) => {
    expect(transcriptText(text)).toBe(redacted);
  });
});
