import type { ParsedMail } from 'mailparser';
import type { ConversationAddress } from '../../src/domain/conversationAddress';
import type { Language } from '../../src/domain/language';
import type { NotifyEvent, NotifyEventName } from '../../src/services/notify/events';
import { startApp, type Harness } from '../helpers/appHarness';
import { localeText } from '../helpers/localeText';
import { TestChannel } from '../helpers/testChannel';
import { TestSmtpServer, waitUntil } from '../helpers/testSmtpServer';

jest.setTimeout(60_000);

const PASSWORD = 'Ladestasjon-Bergen-2026!';

function addressIn(channel: TestChannel, conversationId: string, locale: string): ConversationAddress {
  return {
    channelId: 'msteams',
    serviceUrl: channel.serviceUrl,
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal' },
    user: { id: `u-${conversationId}` },
    bot: { id: 'bot' },
    locale,
  };
}

const recipientOf = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : '');

describe('notify is queued: a page request never waits for the chat', () => {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  let h: Harness;
  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url, RATE_LIMITS: 'off' });
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('the password page answers while the chat channel hangs; the chat gets its notice once it answers again', async () => {
    const id = `treg.kanal.${Date.now()}@firma.example`;
    const conversation = `slow-${Date.now()}`;
    await h.app.services.registration.start({ id, email: id, region: 'global', language: 'nb' }, addressIn(channel, conversation, 'nb-NO'));
    const pageUrl = await h.app.services.registration.passwordLink(id);
    expect((await fetch(pageUrl)).status).toBe(200);
    // the channel takes posts in and answers none: a page that waited for the chat would never answer
    const release = channel.hold();
    try {
      const token = new URL(pageUrl).searchParams.get('token')!;
      const saved = await fetch(new URL('/account/password', pageUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, password: PASSWORD, confirmation: PASSWORD }).toString(),
      });
      expect(saved.status).toBe(200);
      expect(await saved.text()).toContain(localeText('nb', 'pages:saved.heading'));
      expect((await h.app.services.installers.get(id))?.stage).toBe('registered');
      // answered with the chat still hanging, and not by giving up on it
      expect(channel.messagesTo(conversation)).toEqual([]);
      expect(channel.aborted).toBe(0);
    } finally {
      release();
    }
    // the notice reaches the chat once the channel answers again
    await channel.waitForMessages(conversation, 1, 30_000);
    // it reached the chat, so no fallback email about the password: the confirmation is the only mail
    await h.app.services.jobs.runDue();
    const mailsTo = async () => (await smtp.parsed()).filter((m) => recipientOf(m).includes(id)).map((m) => m.subject);
    await waitUntil(async () => (await mailsTo()).length > 0, 'the confirmation email');
    await h.app.services.jobs.runDue();
    expect(await mailsTo()).toEqual([localeText('nb', 'email:confirmation.subject')]);
  });
});

/** Each event's fallback email, stated here (not read from the code's table): template and its variables. */
const FALLBACKS: Array<{ event: NotifyEvent; template: string; vars?: Record<string, string>; body: string[] }> = [
  { event: { name: 'passwordSet' }, template: 'passwordSetNotice', body: ['body'] },
  { event: { name: 'emailConfirmed' }, template: 'accountConfirmed', body: ['intro', 'next'] },
  { event: { name: 'stationLocalized', stationId: '0024:B100:0002:9F81' }, template: 'stationLocalizedNotice', body: ['body'] },
  { event: { name: 'coursesReady' }, template: 'coursesReadyNotice', body: ['body'] },
  { event: { name: 'courseCompleted', courseId: 'course-101' }, template: 'courseCompletedNotice', body: ['body'] },
  { event: { name: 'certified' }, template: 'certifiedNotice', body: ['body'] },
  { event: { name: 'accountActivated' }, template: 'accountActivatedNotice', body: ['body'] },
  { event: { name: 'agentJoined', ticketId: 't-1', agentName: 'Ingrid' }, template: 'agentJoinedNotice', vars: { agentName: 'Ingrid' }, body: ['body'] },
  {
    event: { name: 'agentMessage', ticketId: 't-1', agentName: 'Ingrid', text: 'Prøv å slå av sikringen i 30 sekunder, og skru den på igjen.' },
    template: 'agentMessageNotice',
    vars: { agentName: 'Ingrid', text: 'Prøv å slå av sikringen i 30 sekunder, og skru den på igjen.' },
    body: ['body', 'message', 'reply'],
  },
  { event: { name: 'handoffClosed', ticketId: 't-1' }, template: 'handoffClosedNotice', body: ['body'] },
  { event: { name: 'emailCorrected' }, template: 'emailCorrectedNotice', body: ['body'] },
];

describe('every notify event has an email fallback, in the installer\'s language, when no chat is reached (403)', () => {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  let h: Harness;
  const installers: Record<Language, string> = { nb: '', en: '' };
  const conversations: Record<Language, string> = { nb: '', en: '' };
  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url, RATE_LIMITS: 'off' });
    for (const language of ['nb', 'en'] as const) {
      const id = `ikke.naabar.${language}.${Date.now()}@firma.example`;
      const conversation = `blocked-${language}-${Date.now()}`;
      channel.statusFor.set(conversation, 403);
      await h.app.services.registration.start({ id, email: id, region: 'global', language }, addressIn(channel, conversation, language === 'nb' ? 'nb-NO' : 'en-GB'));
      installers[language] = id;
      conversations[language] = conversation;
    }
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('the table covers every event name', () => {
    const names: Record<NotifyEventName, true> = {
      passwordSet: true,
      emailConfirmed: true,
      stationLocalized: true,
      coursesReady: true,
      courseCompleted: true,
      certified: true,
      accountActivated: true,
      agentJoined: true,
      agentMessage: true,
      handoffClosed: true,
      emailCorrected: true,
      // the support service emails the ticket number itself, chat or not (handoffFlow.test.ts): no fallback
      handoffByEmail: true,
    };
    expect(FALLBACKS.map((f) => f.event.name).sort()).toEqual(Object.keys(names).filter((n) => n !== 'handoffByEmail').sort());
  });

  const cases = FALLBACKS.flatMap((fallback) => (['nb', 'en'] as const).map((language) => ({ ...fallback, language, name: fallback.event.name })));

  it.each(cases)('$name in $language', async ({ event, template, vars = {}, body, language }) => {
    const id = installers[language];
    const subject = localeText(language, `email:${template}.subject`, vars);
    const before = smtp.raw.length;
    await h.app.services.notifier.notify(id, event);
    let mail: ParsedMail | undefined;
    await waitUntil(async () => {
      mail = (await smtp.parsed()).slice(before).find((m) => m.subject === subject && recipientOf(m).includes(id));
      return mail !== undefined;
    }, `the ${template} email in ${language}`, 15_000);
    const text = mail!.text ?? '';
    for (const key of body) expect(text).toContain(localeText(language, `email:${template}.${key}`, vars));
    expect(text).toContain(template === 'accountConfirmed' ? localeText(language, 'email:accountConfirmed.action') : localeText(language, 'email:notice.action'));
    // the button leads back to the chat (the help page)
    expect(text).toContain(`${h.app.config.PUBLIC_URL}/`);
    expect(mail!.html).toContain(`<html lang="${language}">`);
    // nothing secret: no link token, no password (hash), no one-time code
    expect(text).not.toMatch(/token=|scrypt|\b\d{6}\b/);
    expect(channel.messagesTo(conversations[language])).toEqual([]);
  });
});
