import path from 'node:path';
import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, tempDir, type Harness } from '../helpers/appHarness';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS } from '../helpers/backends';
import { localeText } from '../helpers/localeText';
import { latestCodeIn } from '../helpers/mailCodes';
import { dumpStore } from '../helpers/storeDump';
import { refusingSmtp, waitUntil } from '../helpers/testSmtpServer';
import { TestChannel } from '../helpers/testChannel';

jest.setTimeout(90_000);

for (const skipped of SKIPPED_BACKENDS) console.log(`delete my data on ${skipped.name}: SKIPPED (the server is not reachable)`);

const WORDS: Record<Language, { locale: string; hi: string; yes: string; ask: string; confirm: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', ask: 'slett dataene mine', confirm: 'slett alt' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', ask: 'delete my data', confirm: 'delete everything' },
};

describe.each(AVAILABLE_BACKENDS)('"delete my data" on $name', (backend) => {
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
    'in %s: after the registration in one chat and a web chat linked by code, nothing in the store names the person',
    async (language) => {
      const w = WORDS[language];
      const email = `slett.meg.${language}.${backend.name}.${Date.now()}@firma.example`;
      const { services } = h.app;

      // chat A (a channel conversation): registers through the code
      const a = `delete-a-${language}-${Date.now()}`;
      const sayA = (text: string) => h.post(channelActivity(channel.serviceUrl, a, { text, locale: w.locale }));
      for (const text of [w.hi, w.yes, '1', email, w.yes]) await sayA(text);
      await sayA(await latestCodeIn(h.dataDir, services.mailer, email));
      await services.registration.setPassword(email, 'Ladestasjon-Bergen-2026!');
      await services.mailer.flush();

      // chat B (the help page's web chat): the same person continues there with a code
      const grant = (await (await fetch(`${h.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: w.locale }) })).json()) as {
        token: string;
        conversationId: string;
      };
      const sayB = (text: string) =>
        fetch(`${h.url}/v3/directline/conversations/${grant.conversationId}/activities`, {
          method: 'POST',
          headers: { authorization: `Bearer ${grant.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'message', text, locale: w.locale, from: { id: 'x' } }),
        });
      for (const text of [w.hi, w.yes, '1', email, w.yes]) expect((await sayB(text)).status).toBe(200);
      await waitUntil(async () => (await dumpStore(backend.url)).includes(grant.conversationId), 'the web chat transcript is stored');
      expect((await sayB(await latestCodeIn(h.dataDir, services.mailer, email))).status).toBe(200);
      await waitUntil(async () => (await services.references.linked(email)).length === 2, 'the web chat is linked by its code', 20_000);
      expect(await dumpStore(backend.url)).toContain(email);

      // delete, from chat A
      await sayA(w.ask);
      await sayA(w.confirm);
      await waitUntil(() => channel.messagesTo(a).includes(localeText(language, 'chat:delete.done')), 'the chat says it is done');
      await services.mailer.flush();
      await new Promise((r) => setTimeout(r, 300));

      const dump = await dumpStore(backend.url);
      const leftovers = dump.split("\n").filter((line) => line.toLowerCase().includes(email.split("@")[0]!.toLowerCase()));
      expect(leftovers).toEqual([]);
      expect(dump).not.toContain(email);
      expect(dump.toLowerCase()).not.toContain(email.toLowerCase());
      expect(dump).not.toContain(email.split('@')[0]!);
      expect(await services.installers.get(email)).toBeUndefined();
    },
  );
});

describe('"delete my data" while a mail to the person is still queued', () => {
  it('drops the queued mail: it is never sent and the store no longer holds the address', async () => {
    const smtp = await refusingSmtp();
    const dataDir = tempDir('delete-queued-');
    const dataUrl = `sqlite://${path.join(dataDir, 'store.sqlite')}`;
    const h = await startApp({ DATA_URL: dataUrl, SMTP_URL: smtp.url, RATE_LIMITS: 'off' }, dataDir);
    try {
      const { registration, mailer } = h.app.services;
      const email = `ko.${Date.now()}@firma.example`;
      await registration.start({ id: email, email, region: 'global', language: 'nb' }, { channelId: 'test', serviceUrl: 'http://127.0.0.1:9/', conversation: { id: 'c-queued', isGroup: false, conversationType: 'personal' }, user: { id: 'u-queued' } });
      await registration.setPassword(email, 'Ladestasjon-Bergen-2026!');
      await mailer.flush();
      // the server refused it once: the confirmation waits in the outbox for its next attempt
      const attempts = smtp.attempts();
      expect(attempts).toBeGreaterThanOrEqual(1);
      expect(await dumpStore(dataUrl)).toContain(email);

      await registration.deleteInstaller(email);
      expect(await dumpStore(dataUrl)).not.toContain(email);
      await mailer.flush();
      expect(smtp.attempts()).toBe(attempts);
    } finally {
      await h.stop();
      await smtp.close();
    }
  });
});
