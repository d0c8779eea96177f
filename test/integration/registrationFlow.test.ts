import fs from 'node:fs';
import path from 'node:path';
import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import type { Language } from '../../src/domain/language';
import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { TestChannel } from '../helpers/testChannel';
import { TestSmtpServer } from '../helpers/testSmtpServer';
import { localeText, withNumberedChoices } from '../helpers/localeText';
import { codeInMail } from '../helpers/mailCodes';

const PASSWORD = 'Ladestasjon-Bergen-2026!';
const firstLine = (text: string) => text.split('\n')[0]!;
const CODE_CHOICES = ['registration:code.newCodeButton', 'registration:code.otherAddressButton'];
const linkIn = (text: string, pathPart: string) => {
  const match = new RegExp(`https?://\\S+${pathPart.replace('/', '\\/')}\\?token=[^\\s"<>)]+`).exec(text);
  if (!match) throw new Error(`no ${pathPart} link in: ${text}`);
  return match[0].replace(/&amp;/g, '&');
};

/** Every file under a folder, as one string (to search stored values for a secret). */
function allBytes(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name)).toString('latin1'))
    .join('\n');
}

describe.each<[Language, string, string, string]>([
  ['nb', 'nb-NO', 'hei', 'ola.nordmann@Firma.NO'],
  ['en', 'en-GB', 'hi', 'jane.smith@Company.CO.UK'],
])('registration and email confirmation over HTTP in %s', (language, locale, greeting, typedEmail) => {
  let t: Translator;
  let h: Harness;
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  const conversation = `reg-${language}`;
  const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale }));
  const tr = (key: string, vars?: Record<string, string | number>) => t.t(language, key, vars);

  beforeAll(async () => {
    t = await createTranslator();
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Installer assistant <assistant@example.test>' });
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('goes from greeting to confirmed account, the password never entering the chat', async () => {
    expect((await say(greeting)).status).toBe(200);
    let messages = await channel.waitForMessages(conversation, 2);
    expect(firstLine(messages[0]!)).toBe(firstLine(tr('chat:root.welcome')));
    expect(messages[1]).toContain(tr('chat:root.startQuestion'));

    await say(tr('chat:choice.yes'));
    messages = await channel.waitForMessages(conversation, 3);
    const regionQuestion = messages[2]!;
    expect(regionQuestion).toContain(tr('registration:region.global'));
    // the locale suggests the region (both nb-NO and en-GB → Europe/UK)
    expect(regionQuestion).toContain(tr('registration:region.question', { suggested: tr('registration:region.global') }));

    await say(tr('registration:region.global'));
    messages = await channel.waitForMessages(conversation, 4);
    expect(messages[3]).toBe(tr('registration:email.question'));

    // the reason and the question again, in one message
    await say('not-an-email');
    messages = await channel.waitForMessages(conversation, 5);
    expect(messages[4]).toBe(`${localeText(language, 'registration:email.problem.missing_at')}\n\n${localeText(language, 'registration:email.question')}`);

    // the address is proved with the code from a mail to it, typed here, before anything is created
    // (shown back first: nothing is sent to an address the installer has not seen written out)
    await say(typedEmail);
    messages = await channel.waitForMessages(conversation, 6);
    const address = typedEmail.replace(/@.*/, '') + '@' + typedEmail.split('@')[1]!.toLowerCase();
    expect(messages[5]).toContain(localeText(language, 'registration:email.check.question', { email: address }));
    await say(localeText(language, 'chat:choice.yes'));
    messages = await channel.waitForMessages(conversation, 7);
    // a text-only channel: the choices are numbered in the text
    expect(messages[6]).toBe(withNumberedChoices(language, localeText(language, 'registration:code.sent', { email: address, minutes: 10 }), CODE_CHOICES));
    expect(await h.app.services.installers.get(typedEmail.toLowerCase())).toBeUndefined();
    const codeMail = await smtp.message(1);
    expect(codeMail.subject).toContain(codeInMail(codeMail));
    await say(codeInMail(codeMail));
    messages = await channel.waitForMessages(conversation, 8);
    expect(messages[7]).toContain(tr('registration:password.prompt', { minutes: 30 }));
    const passwordUrl = linkIn(messages[7]!, '/account/password');
    const stored = await h.app.services.installers.get(typedEmail.toLowerCase());
    expect(stored).toMatchObject({ stage: 'new', region: 'global', language, email: typedEmail.replace(/@.*/, '') + '@' + typedEmail.split('@')[1]!.toLowerCase() });

    // the password page: GET shows the form, POST with a mismatch explains, POST ok saves
    const form = await fetch(passwordUrl);
    expect(form.status).toBe(200);
    const token = new URL(passwordUrl).searchParams.get('token')!;
    const post = (password: string, confirmation: string) =>
      fetch(new URL('/account/password', passwordUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, password, confirmation }).toString(),
      });
    const mismatch = await post(PASSWORD, PASSWORD + 'x');
    expect(mismatch.status).toBe(422);
    expect(await h.app.services.installers.get(typedEmail.toLowerCase())).toMatchObject({ stage: 'new' });
    const saved = await post(PASSWORD, PASSWORD);
    expect(saved.status).toBe(200);

    // the chat continues by itself: password saved, check your inbox (and the spam folder)
    messages = await channel.waitForMessages(conversation, 10);
    expect(messages[8]).toBe(tr('registration:password.saved'));
    const email = (await h.app.services.installers.get(typedEmail.toLowerCase()))!.email;
    expect(messages[9]).toBe(withNumberedChoices(language, localeText(language, 'registration:confirm.checkInbox', { email }), ['registration:confirm.didntGetButton']));
    // said on its own, answering no message of the user's: no replyToId (a channel would hold it back waiting for that id)
    const sent = channel.received.filter((a) => a.conversation?.id === conversation && a.type === 'message');
    expect(sent.slice(8, 10).map((a) => a.replyToId)).toEqual([undefined, undefined]);
    expect(sent.slice(0, 8).every((a) => typeof a.replyToId === 'string')).toBe(true);
    expect((await h.app.services.installers.get(email.toLowerCase()))!.stage).toBe('registered');

    // the confirmation email, received by a real SMTP server, in the installer's language
    const mail = await smtp.message(2);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(email);
    expect(mail.html || '').toContain('lang="' + language);
    const confirmLink = linkIn(mail.text ?? '', '/confirm');
    const confirmed = await fetch(confirmLink);
    expect(confirmed.status).toBe(200);

    messages = await channel.waitForMessages(conversation, 13);
    expect(messages[10]).toBe(localeText(language, 'registration:confirm.done'));
    // the profile step begins by itself: what it is about, and its first question
    expect(messages[11]).toBe(localeText(language, 'profile:intro'));
    const firstQuestion = localeText(language, 'profile:fields.firstName.question');
    expect(messages[12]).toBe(firstQuestion);
    expect((await h.app.services.installers.get(email.toLowerCase()))!.stage).toBe('confirmed');

    // status shows the journey with "confirmed" done and the profile as the current step;
    // the open question is the next step, asked again right after it
    await say(language === 'nb' ? 'fremdrift' : 'status');
    messages = await channel.waitForMessages(conversation, 15);
    const [status, after] = messages.slice(13);
    expect(status!.startsWith(localeText(language, 'journey:title'))).toBe(true);
    expect(status).toContain(`✅ ${localeText(language, 'journey:stage.registered')}`);
    expect(status).toContain(`➡️ **${localeText(language, 'journey:stage.confirmed')}**`);
    expect(after).toBe(firstQuestion);

    // a later message does not celebrate again: it is an answer to the open question
    await new Promise((r) => setTimeout(r, 200));
    const before = channel.messagesTo(conversation).length;
    await say(language === 'nb' ? 'Ola' : 'Jane');
    messages = await channel.waitForMessages(conversation, before + 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(channel.messagesTo(conversation).slice(before)).toEqual([localeText(language, 'profile:fields.lastName.question')]);

    // the password is nowhere: not in the chat, the logs, the stored data or the email
    await h.app.services.mailer.flush();
    const everything = [channel.received.map((a) => JSON.stringify(a)).join('\n'), h.logs.text, allBytes(h.dataDir), smtp.raw.map((r) => r.toString('latin1')).join('\n')];
    for (const place of everything) expect(place).not.toContain(PASSWORD);
    expect(h.logs.text).not.toContain(token);
  });

  it('a stranger who types that address is never linked by the owner clicking links; only the code typed in the stranger\'s chat links it', async () => {
    const stranger = `stranger-${language}`;
    const strangerSays = (text: string) => h.post(channelActivity(channel.serviceUrl, stranger, { text, locale }));
    const address = typedEmail.replace(/@.*/, '') + '@' + typedEmail.split('@')[1]!.toLowerCase();
    await strangerSays(greeting);
    await strangerSays(tr('chat:choice.yes'));
    await strangerSays(tr('registration:region.global'));
    await channel.waitForMessages(stranger, 4);
    const mailsBefore = smtp.raw.length;
    await strangerSays(typedEmail);
    await channel.waitForMessages(stranger, 5);
    await strangerSays(localeText(language, 'chat:choice.yes'));
    let messages = await channel.waitForMessages(stranger, 6);
    // the same answer as for an address nobody has registered
    expect(messages[5]).toBe(withNumberedChoices(language, localeText(language, 'registration:code.sent', { email: address, minutes: 10 }), CODE_CHOICES));
    const codeMail = await smtp.message(mailsBefore + 1);
    expect(codeMail.text).toContain(localeText(language, 'email:linkCode.notYou'));

    // the owner clicks every link in every mail they ever got
    const links = (await smtp.parsed()).flatMap((m) => (m.text ?? '').match(/https?:\/\/\S+/g) ?? []).filter((u) => u.startsWith(h.url));
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) await fetch(link);
    await new Promise((r) => setTimeout(r, 300));
    expect(channel.messagesTo(stranger)).toHaveLength(6);
    expect((await h.app.services.references.linked(address.toLowerCase())).map((r) => r.conversation?.id)).toEqual([conversation]);
    await strangerSays(language === 'nb' ? 'fremdrift' : 'status');
    messages = await channel.waitForMessages(stranger, 7);
    expect(messages.slice(6).join('\n')).not.toContain(`➡️ **${tr('journey:stage.confirmed')}**`);

    // with the code from the mail, typed in the stranger's chat, that chat is linked (the owner's own other chat)
    const count = channel.messagesTo(stranger).length;
    await strangerSays(codeInMail(codeMail));
    messages = await channel.waitForMessages(stranger, count + 2);
    expect(messages[count]).toBe(localeText(language, 'registration:code.linked'));
    expect((await h.app.services.references.linked(address.toLowerCase())).map((r) => r.conversation?.id).sort()).toEqual([conversation, stranger].sort());
  });
});

describe('when the conversation cannot be reached (the user blocked or uninstalled the bot)', () => {
  it('falls back to email after the confirmation link is followed', async () => {
    const t = await createTranslator();
    const channel = new TestChannel();
    const smtp = new TestSmtpServer();
    await channel.start();
    await smtp.listen();
    const h = await startApp({ SMTP_URL: smtp.url });
    try {
      channel.statusFor.set('blocked', 403);
      const reference = { channelId: 'msteams', serviceUrl: channel.serviceUrl, conversation: { id: 'blocked', isGroup: false, conversationType: 'personal' }, user: { id: 'u1' }, bot: { id: 'bot' }, locale: 'nb-NO' };
      const { registration, installers } = h.app.services;
      await registration.start({ id: 'blokkert@firma.no', email: 'blokkert@firma.no', region: 'global', language: 'nb' }, reference);
      await registration.setPassword('blokkert@firma.no', PASSWORD);
      const confirmation = await smtp.withSubject(t.t('nb', 'email:confirmation.subject'));
      // the password page's notice could not reach the chat either: it came by email
      await smtp.withSubject(t.t('nb', 'email:passwordSetNotice.subject'));
      expect((await fetch(linkIn(confirmation.text ?? '', '/confirm'))).status).toBe(200);
      const fallback = await smtp.withSubject(t.t('nb', 'email:accountConfirmed.subject'));
      expect(smtp.raw).toHaveLength(3);
      expect(fallback.text).toContain(`${h.url}/`);
      expect((await installers.get('blokkert@firma.no'))!.stage).toBe('confirmed');
      expect(channel.messagesTo('blocked')).toEqual([]);
      expect(h.logs.text).toContain('conversation unreachable');
    } finally {
      await h.stop();
      await smtp.close();
      await channel.stop();
    }
  });
});
