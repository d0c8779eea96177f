import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/**
 * The station step takes things in the order an installer on site gives them, found playing it
 * through: the next station's MAC address typed straight after "ferdig" was dropped (the step
 * started over with its question, and the position that followed got "wrong length"), "samme"
 * before a station got the courses answer, and "how do I send my position" at the position question
 * got "once your installer account is ready, type «stasjon»".
 */
const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string; done: string; coords: string; same: string; howToSend: string[]; noSignal: string[]; sameAlone: string; sameInQuestion: string }> = {
  nb: {
    locale: 'nb-NO',
    hi: 'hei',
    yes: 'ja',
    email: 'kari@elektro.no',
    done: 'ferdig for idag',
    coords: '59,9139 10,7522',
    same: 'samme sted',
    howToSend: ['hvordan sender jeg posisjon', 'hvordan registrerer jeg plasseringen'],
    noSignal: ['er i kjelleren, ikke gps her', 'har ingen dekning her nede', 'gps funker ikke', 'dårlig dekning', 'står i parkeringskjeller', 'darlig dekning'],
    sameAlone: 'samme',
    sameInQuestion: 'er det samme for alle',
  },
  en: {
    locale: 'en-GB',
    hi: 'hello',
    yes: 'yes',
    email: 'sam@sparks.co.uk',
    done: 'done for today',
    coords: '59.9139, 10.7522',
    same: 'same spot',
    howToSend: ['how do i send location', 'how do i record the location'],
    noSignal: ['no signal in here', 'gps isnt working', 'im underground', 'cant get my location', 'no reception down here', 'in the car park, no gps'],
    sameAlone: 'same',
    sameInQuestion: 'is it the same for all of them',
  },
};

const FIRST = '0024:B100:0002:9F81';
const SECOND = '0024:B100:0002:A0B1';

describe.each<Language>(['nb', 'en'])('the station step in the order things come on site, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  const recorded = async () => (await rig.services.stations.localized(w.email)).map((s) => [s.mac, s.latitude, s.longitude]);

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
    const replies = await rig.registerActive(w);
    expect(replies[replies.length - 1]).toContain(text('chat:station.identify'));
  });
  afterEach(() => rig.close());

  it('after "done", the next MAC address typed straight away is the next station, and its position records it', async () => {
    await rig.say(FIRST);
    await rig.say(w.coords);
    expect(await rig.say(w.done)).toEqual([text('chat:station.finished_one', { count: 1 })]);

    const replies = await rig.say(SECOND);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(text('chat:station.where', { mac: SECOND }))).toBe(true);
    expect((await rig.say('60,3913 5,3221'))[0]).toBe(text('chat:station.localized', { mac: SECOND, latitude: 60.3913, longitude: 5.3221 }));
    expect(await recorded()).toEqual([
      [FIRST, 59.9139, 10.7522],
      [SECOND, 60.3913, 5.3221],
    ]);
  });

  it('"same spot" before the station is known says the station comes first, and records nothing', async () => {
    const replies = await rig.say(w.same);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(`${text('chat:station.sameSpotStationFirst')}\n\n${text('chat:station.identify')}`)).toBe(true);
    expect(await recorded()).toEqual([]);
  });

  it('a position before the station is known says the station comes first', async () => {
    const replies = await rig.say(w.coords);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(`${text('chat:station.positionStationFirst')}\n\n${text('chat:station.identify')}`)).toBe(true);
    expect(await recorded()).toEqual([]);
  });

  it('at the position question, the same MAC address again asks for the position only; another one switches to that station', async () => {
    await rig.say(FIRST);
    let replies = await rig.say(FIRST.toLowerCase());
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(`${text('chat:station.sameStationAgain')}\n\n${text('chat:station.where', { mac: FIRST })}`)).toBe(true);

    replies = await rig.say(SECOND);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(text('chat:station.where', { mac: SECOND }))).toBe(true);
    await rig.say(w.coords);
    expect(await recorded()).toEqual([[SECOND, 59.9139, 10.7522]]);
  });

  it.each(w.howToSend)('"%s" at the position question: how to share it here (the button, no GPS, same spot), then the question again', async (question) => {
    await rig.say(FIRST);
    const replies = await rig.say(question);
    expect(replies[0]).toBe(text('chat:station.howToPosition'));
    expect(replies[0]).toContain(text('chat:station.locateButton'));
    expect(replies[1]!.startsWith(text('chat:station.where', { mac: FIRST }))).toBe(true);
  });

  it.each(w.noSignal)('"%s" (no GPS where the station stands): how to give the position anyway, and the question again, at either question', async (words) => {
    let replies = await rig.say(words);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(`${text('chat:station.howToPosition')}\n\n${text('chat:station.identify')}`)).toBe(true);
    await rig.say(FIRST);
    replies = await rig.say(words);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(`${text('chat:station.howToPosition')}\n\n${text('chat:station.where', { mac: FIRST })}`)).toBe(true);
    expect(await recorded()).toEqual([]);
  });

  it('"samme" / "same" alone at the position question is the same spot; the word inside a question is not', async () => {
    await rig.say(FIRST);
    await rig.say(w.coords);
    await rig.say(SECOND);
    await rig.say(w.sameInQuestion);
    expect(await recorded()).toEqual([[FIRST, 59.9139, 10.7522]]);
    const replies = await rig.say(w.sameAlone);
    expect(replies[0]).toBe(text('chat:station.sameSpotUsed', { mac: SECOND, previous: FIRST, latitude: 59.9139, longitude: 10.7522 }));
    expect(await recorded()).toEqual([
      [FIRST, 59.9139, 10.7522],
      [SECOND, 59.9139, 10.7522],
    ]);
  });
});
