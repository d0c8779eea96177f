/**
 * Mail providers Norwegian installers use, besides the international ones the spell checker
 * knows already: a domain typed one or two letters off one of these (hotmial.no, onlin.no,
 * altibox.com) is offered back corrected. Add providers here, not in code;
 * test/unit/emailSuggestion.test.ts checks a sample.
 */
export const NORWEGIAN_MAIL_PROVIDERS: readonly string[] = [
  'online.no',
  'live.no',
  'hotmail.no',
  'outlook.com',
  'outlook.no',
  'gmail.com',
  'icloud.com',
  'yahoo.no',
  'altibox.no',
  'getmail.no',
  'lyse.net',
  'broadpark.no',
  'frisurf.no',
  'c2i.net',
  'start.no',
  'tele2.no',
  'ebnett.no',
  'haugnett.no',
  'enivest.net',
  'tussa.com',
  'sensewave.com',
  'bluecom.no',
  'combitel.no',
  'nextgentel.no',
  'chello.no',
  'me.com',
  'mac.com',
  'msn.com',
];

/** Top-level domains of the addresses installers in Norway, Europe and North America type. */
export const MAIL_TOP_LEVEL_DOMAINS: readonly string[] = ['no', 'net', 'com', 'org', 'se', 'dk', 'fi', 'de', 'co.uk', 'uk', 'eu', 'io', 'us', 'ca'];
