import QRCode from 'qrcode';
import type { Language } from '../../src/domain/language';
import { createDialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';
import { limitTextsWithin, wellInsideRateWindow } from '../helpers/rateWindows';

const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'foto.grense@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'photo.limit@sparks.co.uk' },
};

/** A photo with a QR code that holds no MAC address: it is decoded, and nothing is found. */
async function photoWithoutMac(n: number): Promise<{ contentType: string; contentUrl: string; name: string }> {
  const png = await QRCode.toBuffer(`no mac here ${n}`, { type: 'png', width: 200 });
  return { contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}`, name: `bilde-${n}.png` };
}

const MAC = '0024:B100:0002:9F81';

/** A photo of a station's QR code (its text holds the MAC address). */
async function photoWithMac(mac: string): Promise<{ contentType: string; contentUrl: string; name: string }> {
  const png = await QRCode.toBuffer(`https://chargepoint.example/station?mac=${mac}`, { type: 'png', width: 200 });
  return { contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}`, name: 'qr.png' };
}

/** A window short enough to wait out in a test. */
const SHORT_WINDOW_SECONDS = 6;

/** Waits for the next window of `seconds` to begin (the limiter's windows are aligned to the clock). */
async function startOfWindow(seconds: number): Promise<void> {
  const windowMs = seconds * 1000;
  await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 20));
}

/**
 * Every photo sent in the chat at the on-site step starts a decode: each one counts against the
 * `uploads` limit (as on the scan page), and only the first three of a message are read.
 */
describe.each<Language>(['nb', 'en'])('photos sent in the chat at the on-site step, in %s', (language) => {
  const w = WORDS[language];
  beforeEach(() => wellInsideRateWindow(20_000));

  it('reads only the first three photos of a message and says the rest were skipped', async () => {
    const rig = await createDialogRig(w.locale);
    try {
      await rig.registerActive(w);
      const photos = await Promise.all([1, 2, 3, 4, 5].map(photoWithoutMac));
      const replies = await rig.say('', { attachments: photos });
      expect(replies).toHaveLength(2);
      expect(replies[0]).toBe(localeText(language, 'limits:photosIgnored_other', { first: 3, count: 2 }));
      expect(replies[1]).toContain(localeText(language, 'chat:station.noQrInPhoto'));
    } finally {
      await rig.close();
    }
  });

  it('a limit reached partway: the photos read are answered, the wait is told once, the question stays open, and after the wait a photo is read', async () => {
    const rig = await createDialogRig(w.locale, 'test', { RATE_LIMITS: `uploads=2/${SHORT_WINDOW_SECONDS}` });
    try {
      await rig.registerActive(w);
      const photos = await Promise.all([1, 2, 3].map(photoWithoutMac));
      await startOfWindow(SHORT_WINDOW_SECONDS);
      const before = Date.now();
      const replies = await rig.say('', { attachments: photos });
      const after = Date.now();
      // one message: what the two photos read gave, when to try again, and the question again
      expect(replies).toHaveLength(1);
      const [found, wait, ...question] = replies[0]!.split('\n\n');
      expect(found).toBe(localeText(language, 'chat:station.noQrInPhoto'));
      expect(limitTextsWithin(language, 'limits:uploads', { seconds: SHORT_WINDOW_SECONDS, before, after })).toContain(wait);
      expect(question.join('\n\n')).toContain(localeText(language, 'chat:station.identify'));

      // after the wait, the next photo is read as usual
      await startOfWindow(SHORT_WINDOW_SECONDS);
      const next = await rig.say('', { attachments: [await photoWithMac(MAC)] });
      expect(next).toHaveLength(1);
      expect(next[0]).toContain(localeText(language, 'chat:station.where', { mac: MAC }).split('\n')[0]!);
    } finally {
      await rig.close();
    }
  });

  it('a limit reached at the first photo: only when to try again, and a typed MAC address still goes on', async () => {
    const rig = await createDialogRig(w.locale, 'test', { RATE_LIMITS: 'uploads=2/600' });
    try {
      await rig.registerActive(w);
      await rig.say('', { attachments: [await photoWithoutMac(1), await photoWithoutMac(2)] });
      const before = Date.now();
      const replies = await rig.say('', { attachments: [await photoWithoutMac(3)] });
      const after = Date.now();
      expect(replies).toHaveLength(1);
      expect(limitTextsWithin(language, 'limits:uploads', { seconds: 600, before, after })).toContain(replies[0]);
      const next = await rig.say(MAC);
      expect(next[0]).toContain(localeText(language, 'chat:station.where', { mac: MAC }).split('\n')[0]!);
    } finally {
      await rig.close();
    }
  });

  // Only the web chat's own upload route counts a photo before the bot sees it (and marks it so, out
  // of any client's reach); a photo from Teams or any other channel is counted here, whatever its URL says.
  it.each([
    ['a Teams attachment URL', 'https://smba.trafficmanager.net/emea/v3/attachments/0-weu-d1-abc/views/original'],
    ["a URL that looks like the web chat's own upload", `http://127.0.0.1:3978/v3/directline/attachments/conv-1/${'a'.repeat(32)}-IMG_1.png`],
  ])('a photo from Teams with %s is counted by the step', async (_what, contentUrl) => {
    const rig = await createDialogRig(w.locale, 'msteams', { RATE_LIMITS: 'uploads=2/600' });
    try {
      await rig.registerActive(w);
      const photo = { contentType: 'image/png', contentUrl, name: 'IMG_1.png' };
      for (let i = 0; i < 2; i++) {
        const read = await rig.say('', { attachments: [photo] });
        expect(read[0]).toContain(localeText(language, 'images:failed'));
      }
      const before = Date.now();
      const refused = await rig.say('', { attachments: [photo] });
      const after = Date.now();
      expect(refused).toHaveLength(1);
      expect(limitTextsWithin(language, 'limits:uploads', { seconds: 600, before, after })).toContain(refused[0]);
    } finally {
      await rig.close();
    }
  });
});
