import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Language } from '../../src/domain/language';
import { startApp, tempDir, type Harness } from '../helpers/appHarness';
import { describeWithChromium, FILE_INPUT, fixedPart, launchChromium, newPhone, normalizeText, transcriptLength, transcriptText, waitForTranscriptText } from '../helpers/browser';
import { localeText } from '../helpers/localeText';
import { limitTextsWithin, wellInsideRateWindow } from '../helpers/rateWindows';

jest.setTimeout(180_000);

const LOCALES: Record<Language, string> = { nb: 'nb-NO', en: 'en-GB' };

/**
 * The help page when a limit refuses: the person reads, in the page's language, when to try
 * again (the Retry-After the server stated), whether it is the chat that cannot start or a file
 * that was not taken.
 */
describeWithChromium('the help page over a rate limit (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // every page comes from 127.0.0.1: two chats may start in ten minutes, one file each
    h = await startApp({ RATE_LIMITS: 'conversations=2/600,uploads=1/600' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await h?.stop();
  });

  async function openPage(language: Language): Promise<Page> {
    const phone = await newPhone(browser, LOCALES[language]);
    contexts.push(phone.context);
    await phone.page.goto(`${h.url}/?lang=${language}`);
    return phone.page;
  }

  /** Picks a file with the upload button and sends it. */
  async function sendFile(page: Page, name: string): Promise<void> {
    const file = path.join(tempDir('webchat-limit-'), name);
    fs.writeFileSync(file, `notes from the site: ${name}\n`);
    await page.setInputFiles(FILE_INPUT, file);
    await page.locator('.webchat__attachment-icon--checked').waitFor({ timeout: 20000 });
    await page.locator('button.webchat__send-button').click();
  }

  const open: Partial<Record<Language, Page>> = {};

  it.each<Language>(['nb', 'en'])('a chat that starts is shown as usual (%s)', async (language) => {
    const page = await openPage(language);
    await waitForTranscriptText(page, fixedPart(localeText(language, 'chat:root.welcome').split('\n')[0]!));
    open[language] = page;
  });

  it.each<Language>(['nb', 'en'])('a chat that may not start says how long to wait, in %s', async (language) => {
    await wellInsideRateWindow(15_000);
    const before = Date.now();
    const page = await openPage(language);
    const status = page.locator('#webchat-status');
    await status.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.getElementById('webchat-status')?.getAttribute('role') === 'alert');
    const after = Date.now();
    const shown = normalizeText(await status.innerText());
    expect(limitTextsWithin(language, 'help:chat.busy', { seconds: 600, before, after }).map(normalizeText)).toContain(shown);
  });

  it.each<Language>(['nb', 'en'])('a file over the limit is answered in the chat with when to try again, in %s', async (language) => {
    const page = open[language]!;
    // nb sends two (the second over the user's limit); en's first is over the address's
    if (language === 'nb') {
      const first = await transcriptLength(page);
      await sendFile(page, 'first.txt');
      await waitForTranscriptText(page, 'first.txt', first);
    }
    const after0 = await transcriptLength(page);
    const before = Date.now();
    await sendFile(page, 'second.txt');
    await waitForTranscriptText(page, fixedPart(localeText(language, 'limits:uploads', { wait: '{{wait}}' })), after0);
    const after = Date.now();
    const transcript = normalizeText(await transcriptText(page));
    const stated = limitTextsWithin(language, 'limits:uploads', { seconds: 600, before, after }).map(normalizeText);
    expect(stated.filter((text) => transcript.includes(text))).toHaveLength(1);
  });
});
