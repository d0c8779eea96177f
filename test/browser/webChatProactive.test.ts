import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Language } from '../../src/domain/language';
import { startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { waitUntil } from '../helpers/testSmtpServer';
import { latestCodeIn, localMails, mailRecipient } from '../helpers/mailCodes';
import {
  describeWithChromium,
  fixedPart,
  launchChromium,
  newPhone,
  normalizeText,
  recordStream,
  say,
  SEND_BOX,
  transcriptLength,
  expectTranscriptText,
  type ReceivedActivity,
} from '../helpers/browser';

jest.setTimeout(180_000);

const PASSWORD = 'Ladestasjon-Bergen-2026!';
/** Web Chat holds an activity whose replyToId it has not seen for 5 s; a message delivered without that hold is shown well before. */
const WELL_BEFORE_THE_HOLD_MS = 3500;

const firstLine = (text: string) => fixedPart(text.split('\n')[0] ?? text);

for (const [language, browserLocale, yes, region] of [
  ['nb', 'nb-NO', 'ja', 'Europa'],
  ['en', 'en-GB', 'yes', 'Europe'],
] as Array<[Language, string, string, string]>) {
  describeWithChromium(`Web Chat: proactive messages and the password page in ${language} (Chromium)`, () => {
    let h: Harness;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let problems: string[];
    let stream: ReceivedActivity[];
    const email = `proactive.${language}.${Date.now()}@example.com`;
    let passwordUrl = '';

    /** Every bot activity the page got replies to nothing, or to an activity it had already received. */
    const expectNoUnseenReplyTo = () => {
      const seen = new Set<string>();
      for (const { activity } of stream) {
        if (activity.from?.role === 'bot' && activity.replyToId !== undefined) {
          expect({ text: activity.text, replyToId: activity.replyToId, seen: seen.has(activity.replyToId) }).toEqual({
            text: activity.text,
            replyToId: activity.replyToId,
            seen: true,
          });
        }
        if (activity.id) seen.add(activity.id);
      }
    };

    /** The bot message with this text arrives in the stream, and is on screen without Web Chat's hold-back. */
    const expectDeliveredWithoutHold = async (text: string, after: number) => {
      const wanted = normalizeText(text);
      const deadline = Date.now() + 30_000;
      let arrived: ReceivedActivity | undefined;
      while (!(arrived = stream.find((r) => r.activity.from?.role === 'bot' && normalizeText(r.activity.text ?? '').includes(wanted)))) {
        if (Date.now() > deadline) throw new Error(`"${text}" never came in the stream`);
        await page.waitForTimeout(100);
      }
      expectNoUnseenReplyTo();
      const left = Math.max(500, arrived.receivedAt + WELL_BEFORE_THE_HOLD_MS - Date.now());
      await expectTranscriptText(page, text, after, left);
    };

    beforeAll(async () => {
      h = await startApp();
      browser = await launchChromium();
      ({ context, page, problems } = await newPhone(browser, browserLocale));
      stream = recordStream(page);
    });
    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await h?.stop();
    });

    it('shows the welcome at once (it replies to no activity the page never saw)', async () => {
      await page.goto(`${h.url}/?lang=${language}`);
      await page.locator(SEND_BOX).waitFor({ timeout: 20000 });
      await expectDeliveredWithoutHold(firstLine(localeText(language, 'chat:root.welcome')), 0);
    });

    it('registers up to the password link', async () => {
      let mark = await transcriptLength(page);
      await say(page, yes);
      await expectTranscriptText(page, fixedPart(localeText(language, 'registration:region.question', { suggested: '{{suggested}}' })), mark);
      mark = await transcriptLength(page);
      await say(page, region);
      await expectTranscriptText(page, fixedPart(localeText(language, 'registration:email.question')), mark);
      mark = await transcriptLength(page);
      await say(page, email);
      // the address is shown back before anything is sent to it
      await expectTranscriptText(page, fixedPart(localeText(language, 'registration:email.check.question', { email: '{{email}}' })), mark);
      mark = await transcriptLength(page);
      await say(page, yes);
      await expectTranscriptText(page, fixedPart(localeText(language, 'registration:code.sent', { email: '{{email}}', minutes: 10 })), mark);
      mark = await transcriptLength(page);
      await say(page, await latestCodeIn(h.dataDir, h.app.services.mailer, email));
      await expectTranscriptText(page, fixedPart(localeText(language, 'registration:password.prompt', { minutes: 30 })), mark);
      // the page may show the message before the recorded response body is parsed: wait for it in the stream
      const passwordLinks = () => stream.flatMap((r) => JSON.stringify(r.activity).match(/https?:\/\/[^"\s\\]+\/account\/password\?token=[^"\s\\)]+/g) ?? []);
      await waitUntil(() => passwordLinks().length > 0, 'the password link in the stream');
      passwordUrl = passwordLinks().pop() ?? '';
      expect(passwordUrl).not.toBe('');
      expectNoUnseenReplyTo();
    });

    it('saves the password in a browser tab: no Teams text, no Teams SDK; the chat says so by itself, without the hold-back', async () => {
      const tab = await context.newPage();
      const requested: string[] = [];
      tab.on('request', (request) => requested.push(request.url()));
      try {
        await tab.goto(passwordUrl);
        await tab.locator('#password').fill(PASSWORD);
        await tab.locator('#confirmation').fill(PASSWORD);
        const mark = await transcriptLength(page);
        await tab.locator('button[type="submit"]').click();
        await tab.locator('h1', { hasText: localeText(language, 'pages:saved.heading') }).waitFor({ timeout: 20000 });
        const saved = normalizeText(await tab.locator('body').innerText());
        expect(saved).not.toContain(normalizeText(localeText(language, 'pages:saved.teams')));
        expect(requested.filter((url) => /teams/i.test(url))).toEqual([]);
        expect(await tab.evaluate(() => 'microsoftTeams' in window)).toBe(false);

        // the proactive message (its turn starts from a continuation event no page ever reads)
        await expectDeliveredWithoutHold(localeText(language, 'registration:password.saved'), mark);
      } finally {
        await tab.close();
      }
    });

    it('shows "account confirmed" as soon as the confirmation link is clicked', async () => {
      await h.app.services.mailer.flush();
      const mails = (await localMails(h.dataDir)).filter((m) => mailRecipient(m) === email);
      const link = mails.map((m) => /https?:\/\/\S+\/confirm\?token=[^\s"<>)]+/.exec(m.text ?? '')?.[0]).filter(Boolean).pop();
      expect(link).toBeDefined();
      const mark = await transcriptLength(page);
      const tab = await context.newPage();
      try {
        await tab.goto(link!);
        await expectDeliveredWithoutHold(localeText(language, 'registration:confirm.done'), mark);
      } finally {
        await tab.close();
      }
      expect(problems).toEqual([]);
    });

    it('shows the profile form as a card; filled in and sent, the summary follows', async () => {
      const card = page.locator('.ac-adaptiveCard').last();
      await card.locator('input').first().waitFor({ timeout: 20000 });
      const inputs = card.locator('input');
      const typed = language === 'nb' ? ['Kari', 'Nordmann', 'Elektro AS', '0150', '912 34 567'] : ['Sam', 'Smith', 'Sparks Ltd', '0150', '912 34 567'];
      for (const [i, value] of typed.entries()) await inputs.nth(i).fill(value);
      await card.locator('select').nth(0).selectOption('NO');
      const mark = await transcriptLength(page);
      await card.locator('button', { hasText: localeText(language, 'profile:card.submit') }).click();
      await expectTranscriptText(page, `${localeText(language, 'profile:fields.company.label')}: ${typed[2]}`, mark);
      await expectTranscriptText(page, `${localeText(language, 'profile:fields.phone.label')}: +47 91 23 45 67`, mark);
      expect(problems).toEqual([]);
    });
  });
}
