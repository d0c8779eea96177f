import { faqLinks } from '../../src/domain/faq';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/**
 * A station that does not work, said at the station step (found playing it through: "laderen har ingen
 * strøm", "station shows a red light" got "didn't get that" and the question again; "laderen er død",
 * "charger keeps beeping" were taken as "I'm on site" and the question asked again with no answer;
 * "error code on the charger" got "nothing is waiting to be sent"). The guide says nothing about faults,
 * so the honest answer: I can't troubleshoot the station; ChargePoint support (the region's link) can,
 * or a person in the chat now; and the station can still be recorded. Then the question again.
 */
const WORDS = {
  nb: {
    locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', station: 'stasjon',
    faults: [
      'laderen har ingen strøm', 'laderen lyser rødt', 'den vil ikke starte', 'laderen er død', 'ingen lys på laderen',
      'laderen piper', 'feilkode på laderen', 'laderen blinker gult', 'laderen lader ikke bilen', 'ladern vil ikke skru seg på',
    ],
  },
  en: {
    locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', station: 'station',
    faults: [
      "the charger won't power on", 'station shows a red light', 'charger is dead', 'no lights on the charger', 'charger keeps beeping',
      'error code on the charger', 'charger flashing amber', 'charger not charging the car', 'the chrager wont start',
    ],
  },
} as const;

describe.each<Language>(['nb', 'en'])('a station fault at the station step, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
    await rig.registerActive(w);
  });
  afterEach(() => rig.close());

  it('each gets the honest answer with the region\'s support link, then the question again; the station can still be recorded', async () => {
    const question = (await rig.say(w.station)).at(-1)!;
    const answer = localeText(language, 'faq:stationFault', faqLinks('global', language));
    expect(answer).toContain(language === 'nb' ? 'https://www.chargepoint.com/no-no/support' : 'https://www.chargepoint.com/en-gb/support');
    for (const say of w.faults) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [answer, question] });
    // the station is recorded all the same: its MAC address, then where it stands
    expect((await rig.say('0024:B100:0002:9F81')).at(-1)).toContain(localeText(language, 'chat:station.where', { mac: '0024:B100:0002:9F81' }));
    expect((await rig.say('59.9139 10.7522'))[0]).toBe(localeText(language, 'chat:station.localized', { mac: '0024:B100:0002:9F81', latitude: 59.9139, longitude: 10.7522 }));
  });

  it('"human" after the answer opens a ticket (the person the answer names)', async () => {
    const question = (await rig.say(w.station)).at(-1)!;
    expect(await rig.say(w.faults[0])).toEqual([localeText(language, 'faq:stationFault', faqLinks('global', language)), question]);
    const replies = (await rig.say(language === 'nb' ? 'menneske' : 'human')).filter((r) => r !== '');
    expect(replies[0]).toMatch(/#\d+/);
    expect(await rig.services.support.queue()).toHaveLength(1);
  });
});
