import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import { startApp, tempDir, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { latestCodeIn } from '../helpers/mailCodes';
import {
  describeWithChromium,
  FILE_INPUT,
  fixedPart,
  launchChromium,
  newPhone,
  normalizeText,
  say,
  SEND_BOX,
  transcriptLength,
  transcriptText,
  TRANSCRIPT_ACTIVITY,
  waitForTranscriptText,
} from '../helpers/browser';

jest.setTimeout(120_000);

const SCREENSHOT = '/tmp/webchat-nb.png';

/** The first line of a localized text, without its variables (what a bot message must contain). */
function firstLine(text: string): string {
  return fixedPart(text.split('\n')[0] ?? text);
}

describeWithChromium('Web Chat on the help page (Chromium, phone size)', () => {
  let h: Harness;
  let translator: Translator;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  const email = `installer.${Date.now()}@example.com`;

  /** Fails with the transcript in the message, so a wrong turn is easy to see. */
  const expectInTranscript = async (text: string, after: number): Promise<number> => {
    try {
      return await waitForTranscriptText(page, text, after);
    } catch (error) {
      throw new Error(`expected "${text}" after activity ${after}; transcript:\n${await transcriptText(page)}\n${String(error)}`);
    }
  };

  beforeAll(async () => {
    translator = await createTranslator();
    h = await startApp();
    browser = await launchChromium();
    ({ context, page, problems } = await newPhone(browser, 'nb-NO'));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.stop();
  });

  it('opens the Norwegian page, and the bot welcomes in Norwegian', async () => {
    await page.goto(`${h.url}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('nb');
    expect(await page.locator('h1').innerText()).toBe(translator.t('nb', 'help:heading'));
    await page.locator(SEND_BOX).waitFor({ timeout: 20000 });
    await expectInTranscript(firstLine(translator.t('nb', 'chat:root.welcome')), 0);
    const before = await transcriptLength(page);
    await say(page, 'hei');
    await expectInTranscript('hei', before);
    await expectInTranscript(fixedPart(translator.t('nb', 'chat:root.startQuestion')), before);
    expect(problems).toEqual([]);
  });

  it('goes from the start question to the region, the email and the password page', async () => {
    let mark = await transcriptLength(page);
    await say(page, 'ja');
    if (!translator.has('nb', 'registration:region.question')) {
      console.log('registration:region.question is not in the locales yet; stopping after the start question');
      return;
    }
    await expectInTranscript(fixedPart(translator.t('nb', 'registration:region.question')), mark);

    mark = await transcriptLength(page);
    await say(page, 'Europa');
    await expectInTranscript(fixedPart(translator.t('nb', 'registration:email.question')), mark);

    mark = await transcriptLength(page);
    await say(page, email);
    // shown back before anything is sent (Web Chat shows the address as a link, so only the text before it is compared)
    await expectInTranscript(fixedPart(localeText('nb', 'registration:email.check.question', { email: '{{email}}' })), mark);

    mark = await transcriptLength(page);
    await say(page, 'ja');
    await expectInTranscript(fixedPart(localeText('nb', 'registration:code.sent', { email: '{{email}}', minutes: 10 })), mark);

    mark = await transcriptLength(page);
    await say(page, await latestCodeIn(h.dataDir, h.app.services.mailer, email));
    await expectInTranscript(fixedPart(translator.t('nb', 'registration:password.prompt')), mark);
    expect(problems).toEqual([]);
  });

  it('shows the status checklist one step a line', async () => {
    const mark = await transcriptLength(page);
    await say(page, 'fremdrift');
    const title = localeText('nb', 'journey:title');
    const at = await expectInTranscript(title, mark);
    const rendered = await page.locator(TRANSCRIPT_ACTIVITY).nth(at).innerText();
    const lines = rendered.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const stage of ['new', 'registered', 'confirmed']) {
      expect(lines.some((l) => l.endsWith(localeText('nb', `journey:stage.${stage}`)) || l.includes(`${localeText('nb', `journey:stage.${stage}`)} `))).toBe(true);
    }
    // each step on its own line, not run together in one paragraph
    expect(lines.filter((l) => /^(✅|➡️|⬜)/u.test(l)).length).toBeGreaterThanOrEqual(5);
  });

  it('picks the same conversation up again when the phone reloads the page', async () => {
    const before = await transcriptLength(page);
    await page.reload();
    await page.locator(SEND_BOX).waitFor({ timeout: 20000 });
    await expectInTranscript(email, 0);
    const welcome = firstLine(translator.t('nb', 'chat:root.welcome'));
    // the whole history comes back (on a loaded machine it may take a few polls), then nothing more
    await page.waitForFunction(([selector, count]) => document.querySelectorAll(selector as string).length >= (count as number), [TRANSCRIPT_ACTIVITY, before] as const, {
      timeout: 20000,
      polling: 200,
    });
    await page.waitForTimeout(1500);
    const texts = await page.locator(TRANSCRIPT_ACTIVITY).allInnerTexts();
    expect(texts.filter((t) => normalizeText(t).includes(welcome))).toHaveLength(1);
    expect(texts.length).toBe(before);
  });

  it('shows the Norwegian chat sensibly on a phone (screenshot)', async () => {
    await page.waitForTimeout(1500); // Web Chat scrolls to the newest message smoothly
    await page.screenshot({ path: SCREENSHOT });
    expect(fs.statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    const chat = await page.locator('#webchat').boundingBox();
    expect(chat?.width).toBeGreaterThanOrEqual(380);
    expect(chat?.height).toBeGreaterThan(500);
    const sendBox = await page.locator(SEND_BOX).boundingBox();
    expect((sendBox?.y ?? 9999) + (sendBox?.height ?? 0)).toBeLessThanOrEqual(844);
  });

  it('switches the page to English with the language link: the same conversation goes on, in English', async () => {
    await page.locator('nav a[hreflang="en"]').click();
    await page.waitForURL(/\?lang=en$/);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').innerText()).toBe(translator.t('en', 'help:heading'));
    await page.locator(SEND_BOX).waitFor({ timeout: 20000 });
    await expectInTranscript(email, 0);
    const before = await transcriptLength(page);
    await say(page, 'status');
    await expectInTranscript(localeText('en', 'journey:title'), before);
  });

  it('uploads a photo through the upload button; the bot gets it and the picture comes back from the server', async () => {
    const file = path.join(tempDir('webchat-photo-'), 'site-photo.png');
    const png = new PNG({ width: 64, height: 48 });
    png.data.fill(160);
    fs.writeFileSync(file, PNG.sync.write(png));

    const before = await transcriptLength(page);
    await page.setInputFiles(FILE_INPUT, file);
    // Web Chat reads the picked file first (the clip icon gets a check mark); a send before that sends nothing
    await page.locator('.webchat__attachment-icon--checked').waitFor({ timeout: 20000 });
    await page.locator('button.webchat__send-button').click();
    const image = page.locator(`img[src^="${h.url}/v3/directline/attachments/"]`);
    await image.first().waitFor({ timeout: 20000 });
    expect(await image.first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(64);
    if (translator.has('en', 'chat:attachment.received')) {
      await expectInTranscript(fixedPart(translator.t('en', 'chat:attachment.received', { name: 'site-photo.png' })), before);
    } else {
      console.log('chat:attachment.received is not in the locales yet; checked the picture only');
    }
    expect(problems).toEqual([]);
  });

  it('sends the browser\'s own locale: an English page on a UK phone suggests Europe and the UK', async () => {
    const uk = await newPhone(browser, 'en-GB');
    try {
      await uk.page.goto(`${h.url}/?lang=en`);
      await uk.page.locator(SEND_BOX).waitFor({ timeout: 20000 });
      await waitForTranscriptText(uk.page, firstLine(localeText('en', 'chat:root.welcome')), 0);
      const mark = await transcriptLength(uk.page);
      await say(uk.page, 'yes');
      const question = localeText('en', 'registration:region.question', { suggested: localeText('en', 'registration:region.global') });
      await waitForTranscriptText(uk.page, question, mark);
      expect(uk.problems).toEqual([]);
    } finally {
      await uk.context.close();
    }
  });
});
