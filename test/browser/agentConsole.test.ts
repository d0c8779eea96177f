import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addAgent } from '../../scripts/agent-add';
import type { Language } from '../../src/domain/language';
import { startApp, tempDir, type Harness } from '../helpers/appHarness';
import { describeWithChromium, launchChromium, newDesktop, normalizeText } from '../helpers/browser';
import { FakeSupportDesk } from '../helpers/fakeSupportDesk';
import { localeText } from '../helpers/localeText';

jest.setTimeout(120_000);

const CASES: Array<{ language: Language; locale: string; firstMessage: string; later: string; reply: string }> = [
  { language: 'nb', locale: 'nb-NO', firstMessage: 'Jeg får ikke bekreftelsesmeldingen', later: 'Nå har jeg sjekket søppelposten også', reply: 'Hei! Jeg sender den på nytt nå.' },
  { language: 'en', locale: 'en-GB', firstMessage: 'The confirmation email never came', later: 'I have checked the spam folder too', reply: 'Hello! I am sending it again now.' },
];

for (const { language, locale, firstMessage, later, reply } of CASES) {
  describeWithChromium(`agent console in ${language} (Chromium, fake desk)`, () => {
    let h: Harness;
    let desk: FakeSupportDesk;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let problems: string[] = [];
    const account = { email: `agent.${language}@ladefirma.no`, firstName: language === 'nb' ? 'Kari' : 'Sam', password: 'Console-in-a-browser-2026' };
    const text = (key: string, vars?: Record<string, string | number>) => localeText(language, `agent:${key}`, vars);

    beforeAll(async () => {
      desk = new FakeSupportDesk();
      h = await startApp({}, tempDir(), { supportDesk: desk });
      await addAgent(h.app.store, account);
      browser = await launchChromium();
      ({ context, page, problems } = await newDesktop(browser, locale, /401 \(Unauthorized\)/));
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await h?.stop();
    });

    /** Marks the document; a reload or navigation loses the mark. */
    const markDocument = () => page.evaluate(() => document.body.setAttribute('data-same-document', 'yes'));
    const sameDocument = () => page.evaluate(() => document.body.getAttribute('data-same-document') === 'yes');
    const liveConnected = () => page.waitForSelector('body[data-live="connected"]', { timeout: 10_000 });
    const mainText = async () => normalizeText(await page.locator('main').innerText());

    it('an agent signs in and sees the waiting installer (waiting time, what they wrote, language, region); a new one appears without reload', async () => {
      const ticket = desk.open({ language, region: 'global', maskedEmail: 'o***a@elektro.no', waitingMinutes: 12, firstMessage });
      const response = await page.goto(`${h.url}/agent`);
      expect(response?.status()).toBe(401);
      await page.getByLabel(text('signIn.email')).fill(account.email);
      await page.getByLabel(text('signIn.password')).fill(account.password);
      await page.getByRole('button', { name: text('signIn.submit') }).click();
      await page.getByRole('heading', { name: text('queue.title') }).waitFor();

      const row = page.locator(`tr[data-ticket="${ticket.id}"]`);
      expect(normalizeText(await row.innerText())).toEqual(
        normalizeText(
          [`#${ticket.number}`, text('statuses.waiting'), '12 min', firstMessage, text(`languages.${language}`), text('regions.global'), text('stages.registered'), 'o***a@elektro.no'].join(' '),
        ),
      );

      await liveConnected();
      await markDocument();
      const next = desk.open({ language: language === 'nb' ? 'en' : 'nb', region: 'na', waitingMinutes: 0 });
      await page.locator(`tr[data-ticket="${next.id}"]`).waitFor({ timeout: 10_000 });
      expect(await sameDocument()).toBe(true);
      expect(normalizeText(await page.locator(`tr[data-ticket="${next.id}"]`).innerText())).toContain(text('regions.na'));
    });

    it('only the status line is read out: a new installer raises "N waiting, 1 new" there, the queue itself is no live region', async () => {
      await page.goto(`${h.url}/agent`);
      await page.getByRole('heading', { name: text('queue.title') }).waitFor();
      await liveConnected();
      const liveRegions = () => page.evaluate(() => Array.from(document.querySelectorAll('[aria-live], [role="status"], [role="alert"], [role="log"]')).map((e) => e.id));
      expect(await liveRegions()).toEqual(['live-status']);
      const status = page.getByRole('status');
      const waiting = (await page.locator('tr[data-status="waiting"]').count());
      expect(await status.innerText()).toBe(text('queue.waitingCount', { count: waiting }));
      const arrived = desk.open({ language, waitingMinutes: 0, firstMessage: later });
      await page.locator(`tr[data-ticket="${arrived.id}"]`).waitFor({ timeout: 10_000 });
      await expect(status.innerText()).resolves.toBe(language === 'nb' ? `${waiting + 1} venter, 1 ny` : `${waiting + 1} waiting, 1 new`);
      expect(await liveRegions()).toEqual(['live-status']);
      desk.installerLeaves(arrived.id);
      await page.locator(`tr[data-ticket="${arrived.id}"]`).waitFor({ state: 'detached', timeout: 10_000 });
      await expect(status.innerText()).resolves.toBe(text('queue.waitingCount', { count: waiting }));
    });

    it('the tab title counts the waiting installers, and follows the queue without reload', async () => {
      const brand = language === 'nb' ? 'Supportkonsoll for montører' : 'Installer support console';
      const queueTitle = language === 'nb' ? 'Supportkø' : 'Support queue';
      const waiting = await page.locator('tr[data-status="waiting"]').count();
      expect(waiting).toBeGreaterThan(0);
      expect(await page.title()).toBe(`(${waiting}) ${queueTitle} – ${brand}`);
      await markDocument();
      const arrived = desk.open({ language, waitingMinutes: 0 });
      await page.waitForFunction((wanted) => document.title === wanted, `(${waiting + 1}) ${queueTitle} – ${brand}`, { timeout: 10_000 });
      desk.installerLeaves(arrived.id);
      await page.waitForFunction((wanted) => document.title === wanted, `(${waiting}) ${queueTitle} – ${brand}`, { timeout: 10_000 });
      expect(await sameDocument()).toBe(true);
    });

    it('opens the ticket: context and transcript; the installer\'s new message appears without reload', async () => {
      const ticket = [...desk.tickets.values()][0]!;
      await page.getByRole('link', { name: text('queue.open', { number: `#${ticket.number}` }) }).click();
      await page.getByRole('heading', { name: text('ticket.title', { number: `#${ticket.number}` }) }).waitFor();
      const main = await mainText();
      expect(main).toContain(firstMessage);
      expect(main).toContain(text('ticket.stageHistory'));
      expect(main).toContain(text('stages.registered'));
      expect(main).toContain(text('ticket.stations', { count: 0 }));

      await liveConnected();
      await markDocument();
      desk.installerSays(ticket.id, later);
      await page.locator('#live .transcript li', { hasText: later }).waitFor({ timeout: 10_000 });
      expect(await sameDocument()).toBe(true);
      // what is read out: the new message, on the status line (the ticket itself is no live region)
      expect(await page.getByRole('status').innerText()).toBe(`${text('from.installer')} ${language === 'nb' ? 'skrev' : 'wrote'}: ${later}`);
      expect(await page.evaluate(() => Array.from(document.querySelectorAll('[aria-live], [role="status"]')).map((e) => e.id))).toEqual(['live-status']);
    });

    it('accepts, replies, resends the confirmation and closes, each result shown', async () => {
      const ticket = [...desk.tickets.values()][0]!;
      const notice = page.locator('#result');

      await page.getByRole('button', { name: text('ticket.accept'), exact: true }).click();
      await expect(notice.innerText()).resolves.toBe(text('results.accepted'));
      expect(await mainText()).toContain(text('ticket.acceptedBy', { name: account.firstName }));

      await page.getByLabel(text('ticket.replyLabel')).fill(reply);
      await page.getByRole('button', { name: text('ticket.reply') }).click();
      await expect(notice.innerText()).resolves.toBe(text('results.replied'));
      await page.locator('#live .transcript li[data-from="agent"]', { hasText: reply }).waitFor();

      await page.getByRole('button', { name: text('ticket.resendConfirmation') }).click();
      await expect(notice.innerText()).resolves.toBe(text('actionResults.resendConfirmation.sent'));

      await page.getByRole('button', { name: text('ticket.close') }).click();
      await expect(notice.innerText()).resolves.toBe(text('results.closed'));
      expect(await page.getByRole('button', { name: text('ticket.reply') }).count()).toBe(0);

      expect(desk.calls.map((c) => `${c.method}${c.kind ? ':' + c.kind : ''} ${c.id} ${c.agent}`)).toEqual([
        `accept ${ticket.id} ${account.firstName}`,
        `reply ${ticket.id} ${account.firstName}`,
        `act:resendConfirmation ${ticket.id} ${account.firstName}`,
        `close ${ticket.id} ${account.firstName}`,
      ]);
      expect(desk.calls[1]?.text).toBe(reply);

      await page.getByRole('link', { name: text('ticket.back') }).click();
      await page.getByRole('heading', { name: text('queue.title') }).waitFor();
      expect(await page.locator(`tr[data-ticket="${ticket.id}"]`).count()).toBe(0);
    });

    it('a message over several lines keeps its lines; the journey\'s steps, and messages of another day, show their date', async () => {
      const threeDaysAgo = 3 * 24 * 60;
      const ticket = desk.open({ language, waitingMinutes: threeDaysAgo, firstMessage: `${firstMessage}\n${later}` });
      await page.goto(`${h.url}/agent/tickets/${ticket.id}`);
      await page.getByRole('heading', { name: text('ticket.title', { number: `#${ticket.number}` }) }).waitFor();
      const message = await page.locator('#live .transcript li[data-from="installer"] .text').innerText();
      expect(message.split('\n').map((line) => line.trim())).toEqual([firstMessage, later]);
      const entered = new Date(ticket.context.stageHistory[1]!.at);
      const shown = await page.locator('#live ol:not(.transcript) li time').nth(1).innerText();
      expect(shown).toContain(String(entered.getFullYear()));
      expect(shown).toContain(String(entered.getDate()));
      // the message of three days ago says its day too; one of today only its time
      const said = await page.locator('#live .transcript li[data-from="installer"] time').innerText();
      expect(said).toContain(String(entered.getDate()));
      expect(said).not.toMatch(/^\d{2}[:.]\d{2}$/);
      desk.installerSays(ticket.id, later);
      const now = page.locator('#live .transcript li[data-from="installer"] time').nth(1);
      await now.waitFor({ timeout: 10_000 });
      expect(await now.innerText()).toMatch(/^\d{2}[:.]\d{2}$/);
    });

    it('after a reply the page is back at the reply box, under the conversation, however long it is', async () => {
      const ticket = desk.open({ language, waitingMinutes: 5, firstMessage });
      for (let i = 1; i <= 25; i++) desk.installerSays(ticket.id, `${later} (${i})`);
      await page.goto(`${h.url}/agent/tickets/${ticket.id}`);
      await page.getByRole('button', { name: text('ticket.accept'), exact: true }).click();
      await page.getByLabel(text('ticket.replyLabel')).fill(reply);
      await page.getByRole('button', { name: text('ticket.reply') }).click();
      await page.locator('#live .transcript li[data-from="agent"]', { hasText: reply }).waitFor();
      const inView = (selector: string) =>
        page.evaluate((s) => {
          const box = document.querySelector(s)!.getBoundingClientRect();
          return box.top >= 0 && box.bottom <= window.innerHeight;
        }, selector);
      expect(await inView('#reply-text')).toBe(true);
      expect(await inView('#live .transcript li:last-child')).toBe(true);
      expect(await page.locator('#result').innerText()).toBe(text('results.replied'));
    });

    it('the installer goes back to the bot while the agent has the ticket open: the page shows it closed, without the reply form', async () => {
      const ticket = desk.open({ language, waitingMinutes: 2, firstMessage });
      await page.goto(`${h.url}/agent/tickets/${ticket.id}`);
      await page.getByRole('button', { name: text('ticket.accept'), exact: true }).click();
      await page.getByLabel(text('ticket.replyLabel')).waitFor();
      await liveConnected();
      desk.installerLeaves(ticket.id);
      await page.locator('#live .status[data-status="closed"]').waitFor({ timeout: 10_000 });
      await page.getByLabel(text('ticket.replyLabel')).waitFor({ state: 'detached', timeout: 10_000 });
      expect(await page.getByRole('button', { name: text('ticket.close') }).count()).toBe(0);
      expect(normalizeText(await page.locator('#live .transcript').innerText())).toContain(localeText(language, 'support:system.installerLeft'));
      expect(await page.locator('#result').count()).toBe(0);
    });

    it('signs out: the console asks for sign-in again', async () => {
      await page.getByRole('button', { name: text('signOut') }).click();
      await page.getByRole('heading', { name: text('signIn.title') }).waitFor();
      const response = await page.goto(`${h.url}/agent/api/queue`);
      expect(response?.status()).toBe(401);
      expect(problems).toEqual([]);
    });
  });
}
