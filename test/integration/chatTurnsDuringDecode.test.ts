import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { noisyJpeg } from '../helpers/imageBombs';
import { rewriteInstaller } from '../helpers/installerFixture';
import { latestCodeIn } from '../helpers/mailCodes';
import { TestChannel } from '../helpers/testChannel';

/** A chat text read from the locale file as data (the first line of a template, before any {{value}}). */
function chatText(language: Language, key: string): string {
  const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', language, 'chat.json'), 'utf8')) as Record<string, unknown>;
  const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], file);
  if (typeof text !== 'string') throw new Error(`no chat:${key} in ${language}`);
  return text.split('{{')[0]!.trim();
}

const WORDS: Record<Language, { locale: string; hi: string; yes: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari.decode@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam.decode@sparks.co.uk' },
};

describe.each<Language>(['nb', 'en'])('chat turns while a photo from another chat is being decoded (%s)', (language) => {
  const w = WORDS[language];
  const channel = new TestChannel();
  let h: Harness;

  beforeAll(async () => {
    await channel.start();
    h = await startApp();
  });
  afterAll(async () => {
    await h?.stop();
    await channel.stop();
  });

  /** One turn of conversation `id`; resolves when the app has answered the POST (the turn is done). */
  const say = (id: string, fields: Parameters<typeof channelActivity>[2]) => h.post(channelActivity(channel.serviceUrl, id, { locale: w.locale, ...fields }));

  it('answers "hei" in chat B before the slow photo of chat A', async () => {
    // chat A: registered through the chat, then at the on-site step (the step that reads photos)
    const a = `decode-a-${language}-${Date.now()}`;
    for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await say(a, { text });
    await say(a, { text: await latestCodeIn(h.dataDir, h.app.services.mailer, w.email) });
    await rewriteInstaller(h.app.store, w.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'active' }));
    await say(a, { text: 'ok' });
    const beforePhoto = channel.messagesTo(a).length;

    // a grey, noisy photo without a code: seconds of searching in a worker
    const photo = noisyJpeg(2000, 1500);
    const order: string[] = [];
    const photoTurn = say(a, {
      text: '',
      attachments: [{ contentType: 'image/jpeg', contentUrl: `data:image/jpeg;base64,${photo.toString('base64')}`, name: 'IMG_1.jpg' }],
    }).then(() => order.push('A: photo answered'));
    // until the photo is in the decoder's hands (or already answered: then the order below tells)
    while (h.app.services.qrPool.pending === 0 && order.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));

    const b = `decode-b-${language}-${Date.now()}`;
    await say(b, { text: w.hi });
    order.push('B: hei answered');
    expect(channel.messagesTo(b).join('\n')).toContain(chatText(language, 'root.startQuestion'));

    await photoTurn;
    expect(order).toEqual(['B: hei answered', 'A: photo answered']);
    expect(channel.messagesTo(a).length).toBeGreaterThan(beforePhoto);
    expect(channel.messagesTo(a).slice(beforePhoto).join('\n')).toContain(chatText(language, 'station.noQrInPhoto'));
  }, 180_000);
});
