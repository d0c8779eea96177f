import type { Language } from '../../src/domain/language';
import type { StationLocalization } from '../../src/domain/station';
import { localizationKey } from '../../src/services/stations/stationLocalizations';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/**
 * A garage of chargers side by side: "samme sted som forrige" / "same spot" at the position
 * question records the station at the position of the one localized last (within the last few
 * hours), says which, and how to correct it.
 */
const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string; coords: string; same: string; sameShort: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', coords: '59,9139 10,7522', same: 'samme sted som forrige', sameShort: 'samme sted' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', coords: '59.9139, 10.7522', same: 'same location as the last one', sameShort: 'same spot' },
};

/** As typed on a phone in a garage: typos, no æ/ø/å, either language whatever the chat's. */
const TYPED: Record<Language, string[]> = {
  nb: ['samme plass', 'same som forrige', 'samme posisjon', 'samme stedd', 'samme som forige', 'same plass som forrige', 'samme som for', 'Samme sted!'],
  en: ['same place', 'same spot as before', 'same as befor', 'sme spot', 'same as the previous one', 'same as last', 'samme sted', 'Same spott.'],
};

const FIRST = '0024:B100:0002:9F81';
const SECOND = '0024:B100:0002:A0B1';
const HOURS = 4;

describe.each<Language>(['nb', 'en'])('"same spot as the last one" at the position question, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
    const replies = await rig.registerActive(w);
    expect(replies[replies.length - 1]).toContain(localeText(language, 'chat:station.identify'));
  });
  afterEach(() => rig.close());

  const positions = async () => (await rig.services.stations.localized(w.email)).map((s) => [s.mac, s.latitude, s.longitude]);

  it('records the second station at the first one\'s position, says which, and a typed MAC and position correct it', async () => {
    await rig.say(FIRST);
    await rig.say(w.coords);
    expect((await rig.say(SECOND))[0]).toContain(localeText(language, 'chat:station.where', { mac: SECOND }));

    const replies = await rig.say(w.same);
    expect(replies[0]).toBe(localeText(language, 'chat:station.sameSpotUsed', { mac: SECOND, previous: FIRST, latitude: 59.9139, longitude: 10.7522 }));
    expect(replies[1]).toContain(localeText(language, 'chat:station.identifyNext'));
    expect(await positions()).toEqual([
      [FIRST, 59.9139, 10.7522],
      [SECOND, 59.9139, 10.7522],
    ]);

    // the way to correct it the reply gives: the MAC address again, then the right position
    expect((await rig.say(SECOND))[0]).toContain(localeText(language, 'chat:station.where', { mac: SECOND }));
    expect((await rig.say(language === 'nb' ? '59,91395 10,75231' : '59.91395, 10.75231'))[0]).toBe(
      localeText(language, 'chat:station.localized', { mac: SECOND, latitude: 59.91395, longitude: 10.75231 }),
    );
    expect(await positions()).toEqual([
      [FIRST, 59.9139, 10.7522],
      [SECOND, 59.91395, 10.75231],
    ]);
  });

  it('with no station localized before, says there is none to reuse and asks for the position again', async () => {
    await rig.say(FIRST);
    const replies = await rig.say(w.sameShort);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`${localeText(language, 'chat:station.sameSpotNone', { hours: HOURS })}\n\n${localeText(language, 'chat:station.where', { mac: FIRST })}`);
    expect(await positions()).toEqual([]);
    // the question is still open: a typed position is taken
    expect((await rig.say(w.coords))[0]).toBe(localeText(language, 'chat:station.localized', { mac: FIRST, latitude: 59.9139, longitude: 10.7522 }));
  });

  it(`a station localized more than ${HOURS} hours ago (another site, most likely) is not reused`, async () => {
    await rig.say(FIRST);
    await rig.say(w.coords);
    const key = localizationKey(w.email, FIRST);
    const stored = await rig.store.get<StationLocalization>(key);
    await rig.store.put(key, { ...stored!.value, localizedAt: new Date(Date.now() - (HOURS * 60 + 1) * 60_000).toISOString() });

    await rig.say(SECOND);
    expect((await rig.say(w.sameShort))[0]).toContain(localeText(language, 'chat:station.sameSpotNone', { hours: HOURS }));
    expect(await positions()).toEqual([[FIRST, 59.9139, 10.7522]]);
  });

  it('the station itself is not "the last one": localized again, "same spot" takes the one before it', async () => {
    await rig.say(FIRST);
    await rig.say(w.coords);
    await rig.say(SECOND);
    await rig.say(language === 'nb' ? '60,3913 5,3221' : '60.3913, 5.3221');
    await rig.say(SECOND);
    expect((await rig.say(w.sameShort))[0]).toBe(localeText(language, 'chat:station.sameSpotUsed', { mac: SECOND, previous: FIRST, latitude: 59.9139, longitude: 10.7522 }));
  });

  it('a station localized on the page is "the last one" too (its position, not its device accuracy)', async () => {
    await rig.services.stations.localize(w.email, FIRST, { latitude: 63.4305, longitude: 10.3951, accuracyMeters: 6 }, false);
    // (the chat notices the page's station on its next turn, as the notify path would wake it)
    expect((await rig.say('hmm'))[0]).toBe(localeText(language, 'chat:station.localized', { mac: FIRST, latitude: 63.4305, longitude: 10.3951 }));
    await rig.say(SECOND);
    expect((await rig.say(w.sameShort))[0]).toBe(
      localeText(language, 'chat:station.sameSpotUsed', { mac: SECOND, previous: FIRST, latitude: 63.4305, longitude: 10.3951 }),
    );
    const second = (await rig.services.stations.localized(w.email)).find((s) => s.mac === SECOND);
    expect(second).toMatchObject({ latitude: 63.4305, longitude: 10.3951 });
    expect(second?.accuracyMeters).toBeUndefined();
  });

  it.each(TYPED[language])('typed "%s", it is understood the same way', async (typed) => {
    await rig.say(FIRST);
    await rig.say(w.coords);
    await rig.say(SECOND);
    const replies = await rig.say(typed);
    expect(replies[0]).toBe(localeText(language, 'chat:station.sameSpotUsed', { mac: SECOND, previous: FIRST, latitude: 59.9139, longitude: 10.7522 }));
    expect(await positions()).toEqual([
      [FIRST, 59.9139, 10.7522],
      [SECOND, 59.9139, 10.7522],
    ]);
  });
});
