import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addAgent } from '../../scripts/agent-add';
import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { describeWithChromium, launchChromium, newDesktop, normalizeText } from '../helpers/browser';
import { localeText } from '../helpers/localeText';
import { chatAtConfirmationStep } from '../helpers/supportChat';
import { TestChannel } from '../helpers/testChannel';
import { TestSmtpServer, waitUntil } from '../helpers/testSmtpServer';

jest.setTimeout(120_000);

const CASES: Array<{ language: Language; locale: string; email: string; ask: string; reply: string }> = [
  { language: 'nb', locale: 'nb-NO', email: 'lise.berg@elektro.no', ask: 'kan jeg få snakke med et menneske?', reply: 'Hei Lise! Jeg sender bekreftelsen på nytt nå.' },
  { language: 'en', locale: 'en-GB', email: 'amy.jones@sparks.co.uk', ask: 'can i talk to a real person', reply: 'Hi Amy! I am sending the confirmation again now.' },
];

/**
 * The console in real Chromium against the real support service: an installer asks for a person
 * in the chat, an agent signs in, sees them waiting, opens the ticket, accepts, replies, resends
 * the confirmation and closes; the installer gets each step in the chat and the new email.
 */
for (const c of CASES) {
  describeWithChromium(`agent console and the installer's chat in ${c.language} (Chromium, real support service)`, () => {
    const channel = new TestChannel();
    const smtp = new TestSmtpServer();
    const conversation = `console-browser-${c.language}`;
    const account = { email: `agent.real.${c.language}@ladefirma.no`, firstName: c.language === 'nb' ? 'Ingrid' : 'Oliver', password: 'Console-in-a-browser-2026' };
    let h: Harness;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let problems: string[] = [];
    const text = (key: string, vars?: Record<string, string | number>) => localeText(c.language, `agent:${key}`, vars);
    const chat = (key: string, vars?: Record<string, string | number>) => localeText(c.language, key, vars);

    beforeAll(async () => {
      await channel.start();
      await smtp.listen();
      h = await startApp({ SMTP_URL: smtp.url, SUPPORT_EMAIL: 'support@example.test' });
      await addAgent(h.app.store, account);
      browser = await launchChromium();
      ({ context, page, problems } = await newDesktop(browser, c.locale, /401 \(Unauthorized\)/));
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await h?.stop();
      await smtp.close();
      await channel.stop();
    });

    it('the installer waits; the agent accepts, replies, resends the confirmation and closes; the chat gets each', async () => {
      const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'global');
      let count = channel.messagesTo(conversation).length;
      await h.post(channelActivity(channel.serviceUrl, conversation, { text: c.ask, locale: c.locale }));
      await channel.waitForMessages(conversation, count + 1);
      const [ticket] = await h.app.services.support.queue();
      expect(ticket).toBeDefined();

      await page.goto(`${h.url}/agent`);
      await page.getByLabel(text('signIn.email')).fill(account.email);
      await page.getByLabel(text('signIn.password')).fill(account.password);
      await page.getByRole('button', { name: text('signIn.submit') }).click();
      await page.getByRole('heading', { name: text('queue.title') }).waitFor();
      const row = normalizeText(await page.locator(`tr[data-ticket="${ticket!.id}"]`).innerText());
      expect(row).toContain(`#${ticket!.number}`);
      expect(row).toContain(text(`languages.${c.language}`));
      expect(row).toContain(text('regions.global'));
      expect(row).not.toContain(installerId);

      await page.getByRole('link', { name: text('queue.open', { number: `#${ticket!.number}` }) }).click();
      await page.getByRole('heading', { name: text('ticket.title', { number: `#${ticket!.number}` }) }).waitFor();
      expect(normalizeText(await page.locator('main').innerText())).toContain(c.ask);
      const notice = page.locator('#result');

      count = channel.messagesTo(conversation).length;
      await page.getByRole('button', { name: text('ticket.accept'), exact: true }).click();
      await expect(notice.innerText()).resolves.toBe(text('results.accepted'));
      await waitUntil(async () => channel.messagesTo(conversation).slice(count).includes(chat('support:joined', { name: account.firstName })), 'joined, in the chat');

      await page.getByLabel(text('ticket.replyLabel')).fill(c.reply);
      await page.getByRole('button', { name: text('ticket.reply') }).click();
      await expect(notice.innerText()).resolves.toBe(text('results.replied'));
      await waitUntil(async () => channel.messagesTo(conversation).includes(chat('support:agentSays', { name: account.firstName, text: c.reply })), 'the reply, in the chat');

      const mails = (await smtp.parsed()).length;
      await page.getByRole('button', { name: text('ticket.resendConfirmation') }).click();
      await expect(notice.innerText()).resolves.toBe(text('actionResults.resendConfirmation.sent'));
      await waitUntil(async () => (await smtp.parsed()).slice(mails).some((m) => m.subject === chat('email:confirmation.subject')), 'the new confirmation email');

      count = channel.messagesTo(conversation).length;
      await page.getByRole('button', { name: text('ticket.close') }).click();
      await expect(notice.innerText()).resolves.toBe(text('results.closed'));
      await waitUntil(async () => channel.messagesTo(conversation).slice(count).includes(chat('support:closed')), 'closed, in the chat');
      expect(problems).toEqual([]);
    });
  });
}
