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

  it('counts every photo read against the uploads limit, and says when to try again', async () => {
    const rig = await createDialogRig(w.locale, 'test', { RATE_LIMITS: 'uploads=2/600' });
    try {
      await rig.registerActive(w);
      const photos = await Promise.all([1, 2, 3].map(photoWithoutMac));
      const before = Date.now();
      const replies = await rig.say('', { attachments: photos });
      const after = Date.now();
      expect(replies).toHaveLength(1);
      expect(limitTextsWithin(language, 'limits:uploads', { seconds: 600, before, after })).toContain(replies[0]);
      // the question stays open: a typed MAC address still goes on
      const next = await rig.say('0024:B100:0002:9F81');
      expect(next[0]).toContain(localeText(language, 'chat:station.where', { mac: '0024:B100:0002:9F81' }).split('\n')[0]!);
    } finally {
      await rig.close();
    }
  });
});
