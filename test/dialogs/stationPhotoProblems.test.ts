import fs from 'node:fs';
import path from 'node:path';
import QRCode from 'qrcode';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { blackRgbaPng, hugeJpegHeader, tallPngBomb } from '../helpers/imageBombs';

/** The chat's answers for bad photos, read from the locale file as data. */
function imagesText(language: Language, key: string): string {
  const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', language, 'images.json'), 'utf8')) as Record<string, string>;
  const text = file[key];
  if (!text) throw new Error(`no images:${key} in ${language}`);
  return text;
}

const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk' },
};

const inline = (type: string, bytes: Buffer) => ({ contentType: type, contentUrl: `data:${type};base64,${bytes.toString('base64')}`, name: 'photo' });

describe.each<Language>(['nb', 'en'])('a bad photo sent in the chat during the on-site step (%s)', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
    await rig.registerActive(w);
  });
  afterEach(() => rig.close());

  it('gets a clear answer for each kind of bad image, and the step goes on', async () => {
    // one message each: what is wrong with the photo, then the question again
    const send = async (attachment: ReturnType<typeof inline>) => {
      const replies = await rig.say('', { attachments: [attachment] });
      expect(replies).toHaveLength(1);
      return replies[0]!.split('\n\n')[0];
    };
    expect(await send(inline('image/png', await tallPngBomb()))).toBe(imagesText(language, 'tooLarge'));
    expect(await send(inline('image/jpeg', hugeJpegHeader()))).toBe(imagesText(language, 'tooLarge'));
    // small files whose decode would hold hundreds of MB: 16 bits a sample, refused by the header's byte budget
    expect(await send(inline('image/png', await blackRgbaPng(7000, 7000, 16)))).toBe(imagesText(language, 'tooLarge'));
    expect(await send(inline('image/png', await blackRgbaPng(3000, 3000, 16)))).toBe(imagesText(language, 'tooLarge'));
    expect(await send(inline('image/heic', Buffer.from('\0\0\0\x18ftypheic')))).toBe(imagesText(language, 'unsupported'));
    const qr = await QRCode.toBuffer('https://example.test/s?mac=0024B10000029F81', { type: 'png', width: 300 });
    expect(await send(inline('image/png', qr.subarray(0, 100)))).toBe(imagesText(language, 'unreadable'));
    // nothing is lost: the same step reads a good photo next
    const replies = await rig.say('', { attachments: [inline('image/png', qr)] });
    expect(replies[0]).toContain('0024:B100:0002:9F81');
  }, 180_000);
});
