import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); CI installs it. CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** `describe` when Chromium is installed; otherwise `describe.skip`, saying why (and a failure under REQUIRE_SERVICES=1, as in CI). */
export function describeWithChromium(name: string, body: () => void): void {
  if (fs.existsSync(CHROMIUM_PATH)) {
    describe(name, body);
    return;
  }
  const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  // CI (.ci/run sets REQUIRE_SERVICES=1) must fail, not skip, when the browser is missing
  if (process.env.REQUIRE_SERVICES === '1') throw new Error(`"${name}" needs Chromium: ${reason}`);
  console.log(`Skipping "${name}": ${reason}`);
  describe.skip(name, body);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A new page in a new context, whose page errors and console errors (but those matching `ignore`) are recorded in `problems`. */
async function watchedPage(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0],
  ignore?: RegExp,
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !(ignore && ignore.test(message.text()))) problems.push(`console error: ${message.text()}`);
  });
  return { context, page, problems };
}

const acceptLanguage = (locale: string) => ({ 'Accept-Language': `${locale},${locale.split('-')[0]};q=0.9` });

/** A phone: 390×844 CSS pixels, touch, the given browser language. */
export function newPhone(browser: Browser, locale: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  return watchedPage(browser, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, extraHTTPHeaders: acceptLanguage(locale) });
}

/** A desk: 1280×900 CSS pixels, the given browser language; console errors matching `ignore` (an expected 401) are not problems. */
export function newDesktop(browser: Browser, locale: string, ignore?: RegExp): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  return watchedPage(browser, { viewport: { width: 1280, height: 900 }, locale, extraHTTPHeaders: acceptLanguage(locale) }, ignore);
}

// ---- Web Chat 4.18 DOM ----

export const SEND_BOX = '[data-id="webchat-sendbox-input"]';
export const FILE_INPUT = 'input.webchat__upload-button--file-input[type="file"]';
export const TRANSCRIPT_ACTIVITY = '.webchat__basic-transcript__activity';

/** Text as compared: whitespace collapsed, typographic quotes made plain (Web Chat's markdown may curl them). */
export function normalizeText(text: string): string {
  return text
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** The part of a localized text before its first {{variable}} (what the bot's message must contain). */
export function fixedPart(text: string): string {
  return normalizeText(text.split('{{')[0] ?? text);
}

/** How many activities the transcript shows now. */
export function transcriptLength(page: Page): Promise<number> {
  return page.locator(TRANSCRIPT_ACTIVITY).count();
}

/** Types into Web Chat's send box and presses Enter. */
export async function say(page: Page, text: string): Promise<void> {
  const box = page.locator(SEND_BOX);
  await box.click();
  await box.fill(text);
  await box.press('Enter');
}

/**
 * Waits until an activity after the first `after` in the transcript contains `text`
 * (normalized); returns the index of that activity.
 */
export async function waitForTranscriptText(page: Page, text: string, after = 0, timeoutMs = 20000): Promise<number> {
  const wanted = normalizeText(text);
  const handle = await page.waitForFunction(
    ({ selector, wanted, after }) => {
      const clean = (s: string) =>
        s
          .replace(/[\u201c\u201d\u201e]/g, '"')
          .replace(/[\u2018\u2019]/g, "'")
          .replace(/\s+/g, ' ')
          .trim();
      const items = Array.from(document.querySelectorAll(selector));
      for (let i = after; i < items.length; i++) {
        if (clean((items[i] as HTMLElement).innerText ?? '').includes(wanted)) return i + 1;
      }
      return 0;
    },
    { selector: TRANSCRIPT_ACTIVITY, wanted, after },
    { timeout: timeoutMs, polling: 200 },
  );
  return (await handle.jsonValue()) - 1;
}

/** The transcript's text, one line per activity (for failure messages). */
export async function transcriptText(page: Page): Promise<string> {
  const items = await page.locator(TRANSCRIPT_ACTIVITY).allInnerTexts();
  return items.map((t, i) => `${i}: ${normalizeText(t)}`).join('\n');
}

/** An activity as the page's Web Chat received it from the Direct Line stream, and when. */
export interface ReceivedActivity {
  activity: { id?: string; type?: string; text?: string; replyToId?: string; from?: { role?: string }; attachments?: unknown[] };
  receivedAt: number;
}

/** Records every activity the page reads from the Direct Line stream (GET …/activities), in order. */
export function recordStream(page: Page): ReceivedActivity[] {
  const received: ReceivedActivity[] = [];
  page.on('response', (response) => {
    if (response.request().method() !== 'GET' || !/\/v3\/directline\/conversations\/[^/]+\/activities/.test(response.url()) || !response.ok()) return;
    const receivedAt = Date.now();
    response
      .json()
      .then((body: { activities?: ReceivedActivity['activity'][] }) => {
        for (const activity of body.activities ?? []) received.push({ activity, receivedAt });
      })
      .catch(() => undefined); // a page that navigated away mid-response
  });
  return received;
}

/** The page's remembered conversation (what the help page keeps in localStorage). */
export interface RememberedChat {
  conversationId: string;
  token: string;
  resume?: string;
  domain: string;
  webSocket?: boolean;
}

export const REMEMBERED_CHAT_KEY = 'webchat-conversation';

export function rememberedChat(page: Page): Promise<RememberedChat | null> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null') as RememberedChat | null, REMEMBERED_CHAT_KEY);
}

/** waitForTranscriptText that fails with the whole transcript in the message, so a wrong turn is easy to see. */
export async function expectTranscriptText(page: Page, text: string, after = 0, timeoutMs?: number): Promise<number> {
  try {
    return await waitForTranscriptText(page, text, after, timeoutMs);
  } catch (error) {
    throw new Error(`expected "${text}" after activity ${after}; transcript:\n${await transcriptText(page)}\n${String(error)}`);
  }
}
