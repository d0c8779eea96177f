import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import type { Language } from '../../src/domain/language';
import { CONVERSATION_TTL_MS } from '../../src/web/webchat/conversationStore';
import { DirectLineTokens } from '../../src/web/webchat/directLineTokens';
import { loadDirectLineKey, loadResumeKey } from '../../src/web/webchat/tokenKey';
import { startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { latestCodeIn } from '../helpers/mailCodes';
import {
  describeWithChromium,
  fixedPart,
  launchChromium,
  newPhone,
  normalizeText,
  rememberedChat,
  REMEMBERED_CHAT_KEY,
  say,
  SEND_BOX,
  transcriptLength,
  transcriptText,
  TRANSCRIPT_ACTIVITY,
  expectTranscriptText,
  type RememberedChat,
} from '../helpers/browser';

jest.setTimeout(180_000);

const firstLine = (text: string) => fixedPart(text.split('\n')[0] ?? text);
const welcome = (language: Language) => firstLine(localeText(language, 'chat:root.welcome'));
const regionQuestion = (language: Language) => fixedPart(localeText(language, 'registration:region.question', { suggested: '{{suggested}}' }));
const emailQuestion = (language: Language) => fixedPart(localeText(language, 'registration:email.question'));

/** The user id a local Direct Line token carries. */
function userOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { user: string }).user;
}

describeWithChromium('Web Chat remembers the conversation on this device (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let first: Page;
  let tab: Page;
  const problems: string[] = [];
  const email = `memory.${Date.now()}@example.com`;
  let conversationId = '';

  const watch = (page: Page) => {
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  };
  const open = async (page: Page, language: Language) => {
    await page.goto(`${h.url}/?lang=${language}`);
    await page.locator(SEND_BOX).waitFor({ timeout: 20000 });
  };
  /** How many activities on screen contain the text (history must come back once, not twice). */
  const countOf = async (page: Page, text: string) =>
    (await page.locator(TRANSCRIPT_ACTIVITY).allInnerTexts()).filter((t) => normalizeText(t).includes(normalizeText(text))).length;
  const remembered = async (page: Page): Promise<RememberedChat> => {
    const chat = await rememberedChat(page);
    if (!chat) throw new Error('the page remembers no conversation');
    return chat;
  };

  beforeAll(async () => {
    h = await startApp();
    browser = await launchChromium();
    const phone = await newPhone(browser, 'nb-NO');
    context = phone.context;
    first = watch(phone.page);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.stop();
  });

  it('a new tab continues the same conversation: the history is shown once and the bot knows the step (nb)', async () => {
    await open(first, 'nb');
    await expectTranscriptText(first, welcome('nb'));
    const mark = await transcriptLength(first);
    await say(first, 'ja');
    await expectTranscriptText(first, regionQuestion('nb'), mark);
    conversationId = (await remembered(first)).conversationId;

    tab = watch(await context.newPage());
    await open(tab, 'nb');
    await expectTranscriptText(tab, regionQuestion('nb'));
    await tab.waitForTimeout(1500); // a second poll brings nothing twice
    expect(await countOf(tab, welcome('nb'))).toBe(1);
    expect(await countOf(tab, regionQuestion('nb'))).toBe(1);
    expect((await remembered(tab)).conversationId).toBe(conversationId);

    // the bot is still at the region question: the answer leads to the email question
    const next = await transcriptLength(tab);
    await say(tab, 'Europa');
    await expectTranscriptText(tab, emailQuestion('nb'), next);
  });

  it('the page\'s Norsk/English switch keeps the conversation, and the bot goes on in English', async () => {
    await tab.locator('nav a[hreflang="en"]').click();
    await tab.waitForURL(/\?lang=en$/);
    await tab.locator(SEND_BOX).waitFor({ timeout: 20000 });
    await expectTranscriptText(tab, emailQuestion('nb'));
    expect((await remembered(tab)).conversationId).toBe(conversationId);
    expect(await countOf(tab, welcome('en'))).toBe(0);

    let mark = await transcriptLength(tab);
    await say(tab, email);
    // the address is shown back before anything is sent to it
    await expectTranscriptText(tab, fixedPart(localeText('en', 'registration:email.check.question', { email: '{{email}}' })), mark);
    mark = await transcriptLength(tab);
    await say(tab, 'yes');
    await expectTranscriptText(tab, fixedPart(localeText('en', 'registration:code.sent', { email: '{{email}}', minutes: 10 })), mark);
    const code = await latestCodeIn(h.dataDir, h.app.services.mailer, email);
    const afterCode = await transcriptLength(tab);
    await say(tab, code);
    await expectTranscriptText(tab, fixedPart(localeText('en', 'registration:password.prompt', { minutes: 30 })), afterCode);
  });

  it("tomorrow's visit (the token long expired) continues the same conversation", async () => {
    const kept = await remembered(tab);
    const key = loadDirectLineKey(loadConfig({ DATA_DIR: h.dataDir }));
    const yesterday = new DirectLineTokens(key).issue({ conv: kept.conversationId, user: userOf(kept.token) }, Date.now() - 24 * 60 * 60 * 1000).token;
    await tab.evaluate(([name, value]) => localStorage.setItem(name, value), [REMEMBERED_CHAT_KEY, JSON.stringify({ ...kept, token: yesterday })] as const);

    await open(tab, 'en');
    await expectTranscriptText(tab, fixedPart(localeText('en', 'registration:password.prompt', { minutes: 30 })));
    const now = await remembered(tab);
    expect(now.conversationId).toBe(conversationId);
    expect(now.token).not.toBe(yesterday);
    expect(await countOf(tab, welcome('nb'))).toBe(1);
  });

  it('offers "start over" in the page language; it forgets the conversation and starts a fresh one (en)', async () => {
    const button = tab.getByRole('button', { name: localeText('en', 'help:chat.startOver') });
    await button.click();
    await tab.waitForURL(/\?lang=en$/);
    await tab.locator(SEND_BOX).waitFor({ timeout: 20000 });
    await expectTranscriptText(tab, welcome('en'));
    await tab.waitForTimeout(1500);
    const transcript = await transcriptText(tab);
    expect(transcript).not.toContain(email);
    expect(transcript).not.toContain(emailQuestion('nb'));
    const fresh = (await remembered(tab)).conversationId;
    expect(fresh).not.toBe(conversationId);

    // the same device: the first tab, opened again, is in the fresh conversation too
    await open(first, 'nb');
    await expectTranscriptText(first, welcome('en'));
    expect((await remembered(first)).conversationId).toBe(fresh);
    await first.getByRole('button', { name: localeText('nb', 'help:chat.startOver') }).waitFor();
    expect(problems).toEqual([]);
  });

  it('a remembered conversation that is gone (deleted or too old) quietly gives a new chat, never a broken one (nb)', async () => {
    const config = loadConfig({ DATA_DIR: h.dataDir });
    const gone = { conv: 'goneConversation0001', user: 'dl_goneUser000000001' };
    const chat: RememberedChat = {
      conversationId: gone.conv,
      token: new DirectLineTokens(loadDirectLineKey(config)).issue(gone).token,
      resume: new DirectLineTokens(loadResumeKey(config), CONVERSATION_TTL_MS / 1000).issue(gone).token,
      domain: `${h.url}/v3/directline`,
      webSocket: false,
    };
    await first.evaluate(([name, value]) => localStorage.setItem(name, value), [REMEMBERED_CHAT_KEY, JSON.stringify(chat)] as const);
    await open(first, 'nb');
    await expectTranscriptText(first, welcome('nb'));
    expect(await first.locator('#webchat-status').isVisible()).toBe(false);
    const now = await remembered(first);
    expect(now.conversationId).not.toBe(gone.conv);
    expect(problems).toEqual([]);
  });
});

describeWithChromium('The help page has one way to register: the chat (Chromium)', () => {
  let h: Harness;
  let browser: Browser;
  beforeAll(async () => {
    h = await startApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.stop();
  });

  it.each<[Language, string]>([
    ['nb', 'nb-NO'],
    ['en', 'en-GB'],
  ])('in %s it sends people to the chat, with no sign-up page of their own', async (language, locale) => {
    const phone = await newPhone(browser, locale);
    try {
      await phone.page.goto(`${h.url}/?lang=${language}`);
      const guide = phone.page.locator('#guide');
      const hrefs = await guide.locator('a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
      expect(hrefs.filter((href) => /learnupon|sign_?up/i.test(href))).toEqual([]);
      const text = normalizeText(await guide.innerText());
      for (const key of ['introOnePath', 'register.inChat1', 'register.inChat2', 'register.inChat3', 'register.inChatNote']) {
        expect(text).toContain(normalizeText(localeText(language, `help:${key}`)));
      }
      expect(hrefs).toContain(`${h.url}/?lang=${language}#chat`);
    } finally {
      await phone.context.close();
    }
  });
});
