import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';

/** The status with the date each done step was done, written out in full in each language. */
const CASES: Array<[Language, string, { hi: string; yes: string; cancel: string; status: string; email: string }, string]> = [
  [
    'nb',
    'nb-NO',
    { hi: 'hei', yes: 'ja', cancel: 'avbryt', status: 'fremdrift', email: 'kari.dato@firma.no' },
    [
      'Slik ligger du an:',
      '',
      '✅ Registrering (fullført 21.11.)  ',
      '✅ Bekreft e-postadressen (fullført 24.11.)  ',
      '➡️ **Fyll ut profilen** (du er her)  ',
      '⬜ Start kursene  ',
      '⬜ Fullfør kursene  ',
      '⬜ Opprett montørkonto  ',
      '⬜ Montørkonto klar – registrer plasseringen til stasjonene  ',
      '📍 Plasseringen er registrert for 0 stasjoner  ',
      '',
      'Neste steg: fyll ut de obligatoriske feltene i profilen din.',
    ].join('\n'),
  ],
  [
    'en',
    'en-GB',
    { hi: 'hi', yes: 'yes', cancel: 'cancel', status: 'status', email: 'jane.date@company.co.uk' },
    [
      "Here's where you are:",
      '',
      '✅ Register (done 21 Nov)  ',
      '✅ Confirm your email address (done 24 Nov)  ',
      '➡️ **Complete your profile** (you are here)  ',
      '⬜ Start the courses  ',
      '⬜ Complete the courses  ',
      '⬜ Set up your installer account  ',
      '⬜ Installer account ready – record station locations  ',
      '📍 Locations recorded for 0 stations  ',
      '',
      'Next step: fill in the required fields of your profile.',
    ].join('\n'),
  ],
];

/** Status asked within a step: the step's question is asked again after it, so no "next step" line. */
const withinStep = (status: string): string => status.replace(/\n\n(Neste steg|Next step): [^\n]*$/, '');

describe.each(CASES)('status shows when each done step was done, in %s', (_language, locale, words, expected) => {
  let rig: DialogRig;
  beforeAll(async () => {
    rig = await createDialogRig(locale);
    for (const text of [words.hi, words.yes, '1', words.email, words.yes]) await rig.say(text);
    await rig.say(await rig.codeFor(words.email));
    await rig.say(words.cancel);
  });
  afterAll(async () => {
    await rig.close();
  });

  it('the day each step was done, in Norwegian time unless the channel says otherwise', async () => {
    // registered late in the evening UTC: already the next day in Norway
    await rewriteInstaller(rig.store, words.email, (current) => ({
      ...current,
      stage: 'confirmed',
      stageHistory: [
        { stage: 'new', at: '2026-11-20T10:00:00.000Z' },
        { stage: 'registered', at: '2026-11-20T23:30:00.000Z', event: 'passwordSet' },
        { stage: 'confirmed', at: '2026-11-24T08:00:00.000Z', event: 'emailConfirmed' },
      ],
    }));
    const replies = await rig.say(words.status);
    expect(replies[0]).toBe(expected);
    // a channel that tells the user's time zone (Teams, Web Chat): that day there
    // (the profile step has begun now: its question follows the status instead of "next step")
    const inNewYork = await rig.say(words.status, { localTimezone: 'America/New_York' });
    expect(inNewYork[0]).toBe(withinStep(expected).replace(/21\.11\.|21 Nov/, (day) => (day === '21.11.' ? '20.11.' : '20 Nov')));
  });

  it('a record from before the dates were kept shows the steps without dates', async () => {
    await rewriteInstaller(rig.store, words.email, (current) => {
      const { stageHistory: _history, ...rest } = current;
      return { ...rest, stage: 'confirmed' };
    });
    const replies = await rig.say(words.status);
    expect(replies[0]).toBe(withinStep(expected).replace(/ \((fullført|done) (21|24)(\.11\.| Nov)\)/g, ''));
  });
});
