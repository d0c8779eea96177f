import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS } from '../helpers/backends';
import { localeText, withNumberedChoices } from '../helpers/localeText';
import { latestCodeIn } from '../helpers/mailCodes';
import { dumpStore } from '../helpers/storeDump';
import { TestChannel } from '../helpers/testChannel';

jest.setTimeout(90_000);

for (const skipped of SKIPPED_BACKENDS) console.log(`replacing a registration on ${skipped.name}: SKIPPED (the server is not reachable)`);

const WORDS: Record<Language, { locale: string; acceptLanguage: string; hi: string; yes: string; wrong: string }> = {
  nb: { locale: 'nb-NO', acceptLanguage: 'nb-NO,nb;q=0.9', hi: 'hei', yes: 'ja', wrong: 'feil epost' },
  en: { locale: 'en-GB', acceptLanguage: 'en-GB,en;q=0.9', hi: 'hello', yes: 'yes', wrong: 'wrong email' },
};

const linkIn = (text: string) => /https?:\/\/\S+\/account\/password\?token=[^\s"<>)]+/.exec(text)?.[0];

describe.each(AVAILABLE_BACKENDS)('a registration replaced by a corrected address on $name', (backend) => {
  const channel = new TestChannel();
  let h: Harness;

  beforeAll(async () => {
    await channel.start();
    h = await startApp({ DATA_URL: backend.url, RATE_LIMITS: 'off' });
  });
  afterAll(async () => {
    await h.stop();
    await channel.stop();
  });

  it.each<Language>(['nb', 'en'])(
    'in %s: the password page that was open says the link was replaced, and nothing in the store names the old address',
    async (language) => {
      const w = WORDS[language];
      const stamp = `${language}.${backend.name}.${Date.now()}`;
      const wrong = `feil.adresse.${stamp}@firma.example`;
      const right = `riktig.adresse.${stamp}@firma.example`;
      const { services } = h.app;
      const conversation = `replace-${stamp}`;
      const say = async (text: string, replies: number) => {
        await h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: w.locale }));
        return channel.waitForMessages(conversation, replies);
      };

      await say(w.hi, 2);
      await say(w.yes, 3);
      await say('1', 4);
      expect((await say(wrong, 5))[4]).toContain(localeText(language, 'registration:email.check.question', { email: wrong }));
      await say(w.yes, 6);
      const prompt = (await say(await latestCodeIn(h.dataDir, services.mailer, wrong), 7))[6]!;
      const oldPage = linkIn(prompt)!;
      expect((await fetch(oldPage)).status).toBe(200);

      expect((await say(w.wrong, 8))[7]).toBe(localeText(language, 'registration:confirm.newEmailQuestion'));
      await say(right, 9);
      // (a text-only channel: the code step's choices numbered in the text)
      const codeSent = localeText(language, 'registration:code.sent', { email: right, minutes: 10 });
      expect((await say(w.yes, 10))[9]).toBe(withNumberedChoices(language, codeSent, ['registration:code.newCodeButton', 'registration:code.otherAddressButton']));
      const after = await say(await latestCodeIn(h.dataDir, services.mailer, right), 12);
      expect(after[10]).toBe(localeText(language, 'registration:email.replaced', { email: right }));
      const newPage = linkIn(after[11]!)!;

      // the page that was open: a clear "replaced" page, never a 500 or a form that cannot save
      const refused = await fetch(oldPage, { headers: { 'accept-language': w.acceptLanguage } });
      expect(refused.status).toBe(410);
      expect(await refused.text()).toContain(localeText(language, 'pages:problem.password.replaced.heading'));
      const token = new URL(oldPage).searchParams.get('token')!;
      const posted = await fetch(new URL('/account/password', oldPage), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': w.acceptLanguage },
        body: new URLSearchParams({ token, password: 'Ladestasjon-Bergen-2026!', confirmation: 'Ladestasjon-Bergen-2026!' }).toString(),
      });
      expect(posted.status).toBe(410);
      expect(await posted.text()).toContain(localeText(language, 'pages:problem.password.replaced.heading'));
      expect((await fetch(newPage)).status).toBe(200);

      await services.mailer.flush();
      const dump = (await dumpStore(backend.url)).toLowerCase();
      expect(dump).toContain(right);
      expect(dump.split('\n').filter((line) => line.includes(`feil.adresse.${stamp}`))).toEqual([]);
      expect(await services.installers.get(wrong)).toBeUndefined();
      expect(await services.installers.get(right)).toMatchObject({ stage: 'new' });
    },
  );
});
