import QRCode from 'qrcode';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

const WORDS: Record<Language, { locale: string; hi: string; yes: string; done: string; station: string; coords: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', done: 'ferdig', station: 'stasjon', coords: '59,9139 10,7522', email: 'kari@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', done: 'done', station: 'station', coords: '59.9139, 10.7522', email: 'sam@sparks.co.uk' },
};

/** "No more stations", as people say it (found playing it through: "ikke flere" was read as a bad MAC address). */
const NO_MORE: Record<Language, string[]> = {
  nb: ['ferdig', 'ikke flere', 'det var alt', 'har ikke flere stasjoner'],
  en: ['done', 'no more', "that's all", 'no more stations'],
};

describe.each<Language>(['nb', 'en'])('on-site station localization in %s (text only)', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  const tr = (key: string, vars?: Record<string, string | number>) => rig.translator.t(language, key, vars);

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  /** Registers through the chat, then (as the later journey steps would) marks the account active. */
  async function activeInstaller(): Promise<string> {
    const replies = await rig.registerActive(w);
    expect(replies[replies.length - 1]).toContain(tr('chat:station.identify'));
    return w.email;
  }

  it('before the installer account is ready, "station" says what comes first, and the open question says the next step', async () => {
    await rig.say(w.hi);
    // the start question is asked again right after: it is the next step, said once
    const replies = await rig.say(w.station);
    expect(replies).toHaveLength(2);
    expect(replies[0]).toBe(localeText(language, 'chat:station.notYet', { next: '' }).trim());
    expect(replies[1]!.startsWith(localeText(language, 'chat:root.startQuestion'))).toBe(true);
  });

  it('with no question open, "station" before the account is ready says the next step', async () => {
    await rig.say(w.hi);
    await rig.say(language === 'nb' ? 'avbryt' : 'cancel');
    const replies = await rig.say(w.station);
    expect(replies[0]).toBe(localeText(language, 'chat:station.notYet', { next: localeText(language, 'journey:next.register') }));
  });

  it.each(NO_MORE[language])('"%s" at the first question ends the step, without praise for zero stations', async (words) => {
    await activeInstaller();
    expect(await rig.say(words)).toEqual([localeText(language, 'chat:station.finished_zero')]);
  });

  it('identifies by typed MAC or QR text, pinpoints by typed coordinates, any number of stations', async () => {
    const id = await activeInstaller();

    // the reason and the question again, as one message
    let replies = await rig.say('0024:B100:0002');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`${localeText(language, 'chat:station.macProblem.wrong_length')}\n\n${localeText(language, 'chat:station.identify')}`);
    replies = await rig.say('00-24-b1-00-00-02-9f-81');
    expect(replies[0]).toContain(tr('chat:station.where', { mac: '0024:B100:0002:9F81' }));
    expect(replies[0]).toMatch(/\/station\/location\?token=[^&]+&mac=0024%3AB100%3A0002%3A9F81/);

    replies = await rig.say('ved garasjen');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`${localeText(language, 'chat:station.positionProblem.unreadable')}\n\n${localeText(language, 'chat:station.where', { mac: '0024:B100:0002:9F81' })}`);
    replies = await rig.say(w.coords);
    expect(replies[0]).toBe(tr('chat:station.localized', { mac: '0024:B100:0002:9F81', latitude: 59.9139, longitude: 10.7522 }));
    expect(replies[1]).toContain(tr('chat:station.identifyNext'));
    expect(replies[1]).toMatch(/\/station\/scan\?token=/);

    // a second station from the text of its QR code
    replies = await rig.say('https://example.test/install?mac=0024B1000002A0B1');
    expect(replies[0]).toContain(tr('chat:station.where', { mac: '0024:B100:0002:A0B1' }));
    await rig.say('https://www.google.com/maps/@60.3913,5.3221,17z');

    expect(await rig.say(w.done)).toEqual([tr('chat:station.finished', { count: 2 })]);
    expect((await rig.services.stations.localized(id)).map((s) => [s.mac, s.latitude, s.longitude])).toEqual([
      ['0024:B100:0002:9F81', 59.9139, 10.7522],
      ['0024:B100:0002:A0B1', 60.3913, 5.3221],
    ]);
    const [status] = await rig.say(language === 'nb' ? 'fremdrift' : 'status');
    expect(status).toContain(rig.translator.t(language, 'journey:stations', { count: 2 }));
  });

  it('"station", "I\'m on site" or "another one" while the step is open: the identify question again, no complaint about a MAC address', async () => {
    await activeInstaller();
    // ("another one" was read as "change my email" and got support's address-change answer)
    for (const text of [w.station, language === 'nb' ? 'er på plassen nå' : "i'm on site now", language === 'nb' ? 'en til' : 'another one']) {
      const replies = await rig.say(text);
      expect(replies).toHaveLength(1);
      expect(replies[0]).toContain(tr('chat:station.identify'));
      expect(replies[0]).not.toContain(localeText(language, 'chat:station.macProblem.not_hex'));
    }
  });

  it('a sentence at the station question gets "didn\'t get that" with the way to help, not a complaint about a MAC address (found playing it through)', async () => {
    await activeInstaller();
    const replies = await rig.say(language === 'nb' ? 'kabelen er for kort' : 'cable is too short');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(`${localeText(language, 'chat:station.macProblem.prose')}\n\n${localeText(language, 'chat:station.identify')}`);
  });

  it('a question with "done" in it does not end the step ("how many have i done" ended it, found playing it through)', async () => {
    await activeInstaller();
    const replies = await rig.say(language === 'nb' ? 'hvor mange har jeg ferdig' : 'how many have i done');
    expect(replies).not.toContain(localeText(language, 'chat:station.finished_zero'));
    expect(replies.at(-1)).toContain(localeText(language, 'chat:station.identify'));
    // still at the station question: a MAC address is taken
    expect((await rig.say('0024:B100:0002:9F81'))[0]).toContain(localeText(language, 'chat:station.where', { mac: '0024:B100:0002:9F81' }));
  });

  it('coordinates with too few decimals are refused, with the button and an example (found playing it through: "59.91 10.75" was recorded)', async () => {
    const id = await activeInstaller();
    await rig.say('0024:B100:0002:9F81');
    const rough = language === 'nb' ? '59,91 10,75' : '59.91 10.75';
    expect(await rig.say(rough)).toEqual([
      expect.stringContaining(`${localeText(language, 'chat:station.positionProblem.rough')}\n\n${localeText(language, 'chat:station.where', { mac: '0024:B100:0002:9F81' })}`),
    ]);
    expect(await rig.services.stations.localized(id)).toEqual([]);
    expect((await rig.say(w.coords))[0]).toBe(tr('chat:station.localized', { mac: '0024:B100:0002:9F81', latitude: 59.9139, longitude: 10.7522 }));
  });

  it('thanks after "done" is answered, and does not open the step again (found playing it through)', async () => {
    await activeInstaller();
    expect(await rig.say(w.done)).toEqual([localeText(language, 'chat:station.finished_zero')]);
    expect(await rig.say(language === 'nb' ? 'takk for hjelpa' : 'cheers mate')).toEqual([localeText(language, 'chat:smalltalk.thanks')]);
    // the step is there again when asked for
    expect((await rig.say(w.station))[0]).toContain(tr('chat:station.identify'));
  });

  it('help during the step explains it and asks the same question again', async () => {
    await activeInstaller();
    await rig.say('0024:B100:0002:9F81');
    const help = await rig.say(language === 'nb' ? 'hjelp' : 'help');
    expect(help[0]).toContain(tr('chat:help.topics.station'));
    expect(help[1]).toContain(tr('chat:station.where', { mac: '0024:B100:0002:9F81' }));
  });

  it('a station localized on the page is confirmed in the chat and the next one is asked for', async () => {
    const id = await activeInstaller();
    await rig.services.stations.localize(id, '0024:B100:0002:9F81', { latitude: 63.4305, longitude: 10.3951, accuracyMeters: 6 }, false);
    const replies = await rig.say('?');
    // "?" is help; the page's station is noticed on the next turn that reaches the step
    expect(replies[0]).toContain(tr('chat:help.topics.station'));
    const next = await rig.say('hmm');
    expect(next[0]).toBe(tr('chat:station.localized', { mac: '0024:B100:0002:9F81', latitude: 63.4305, longitude: 10.3951 }));
  });
});

describe('a photo of the QR code sent in the chat during the on-site step', () => {
  it.each<Language>(['nb', 'en'])('is read in %s: the station is identified from it', async (language) => {
    const w = WORDS[language];
    const rig = await createDialogRig(w.locale);
    try {
      const tr = (key: string, vars?: Record<string, string | number>) => rig.translator.t(language, key, vars);
      await rig.registerActive(w);
      const photo = (payload: string) => QRCode.toBuffer(payload, { type: 'png', width: 300 }).then((b) => `data:image/png;base64,${b.toString('base64')}`);
      const noQr = await rig.say('', { attachments: [{ contentType: 'image/png', contentUrl: await photo('no mac here'), name: 'bilde.png' }] });
      expect(noQr).toHaveLength(1);
      expect(noQr[0]).toContain(`${localeText(language, 'chat:station.noQrInPhoto')}\n\n${localeText(language, 'chat:station.identify')}`);
      const replies = await rig.say('', { attachments: [{ contentType: 'image/png', contentUrl: await photo('https://example.test/s?mac=0024B10000029F81'), name: 'qr.png' }] });
      expect(replies[0]).toContain(tr('chat:station.where', { mac: '0024:B100:0002:9F81' }));
    } finally {
      await rig.close();
    }
  });
});
