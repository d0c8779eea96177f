import type { Language } from '../../../src/domain/language';
import { channelActivity, startApp, type Harness } from '../../helpers/appHarness';
import { localeText } from '../../helpers/localeText';
import { chatAtConfirmationStep } from '../../helpers/supportChat';
import { TestChannel } from '../../helpers/testChannel';
import { TestSmtpServer, waitUntil } from '../../helpers/testSmtpServer';

const KARI = { id: 'agent-kari', firstName: 'Kari' };

type Mail = Awaited<ReturnType<TestSmtpServer['message']>>;
const recipient = (m: Mail) => (m.to && 'text' in m.to ? m.to.text : '');

describe.each<[Language, string, string, string, string]>([
  ['nb', 'nb-NO', 'kari.hansen@elektro.no', 'kari.h@elektro.no', 'menneske'],
  ['en', 'en-GB', 'sam.jones@sparks.co.uk', 'sam.j@sparks.co.uk', 'human'],
])('the agent unblocks an installer in %s', (language, locale, typedEmail, correctedEmail, askForPerson) => {
  let h: Harness;
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();

  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url, SUPPORT_EMAIL: 'support@example.test' });
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  const mailTo = async (address: string, subject: string): Promise<Mail> => {
    let found: Mail | undefined;
    await waitUntil(async () => {
      found = (await smtp.parsed()).find((m) => recipient(m).includes(address) && m.subject === subject);
      return found !== undefined;
    }, `mail "${subject}"`, 15_000);
    return found!;
  };

  it('new password link, a reply by email when the chat is gone, a corrected address, and the data deleted', async () => {
    const conversation = `actions-${language}`;
    const support = h.app.services.support;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale }));
    const oldId = await chatAtConfirmationStep(h, channel, { language, locale, email: typedEmail }, conversation, 'global');
    let count = channel.messagesTo(conversation).length;
    await say(askForPerson);
    const queued = (await channel.waitForMessages(conversation, count + 1))[count]!;
    const ticket = (await support.queue()).find((t) => queued.includes(`#${t.number}`))!;
    expect(ticket).toBeDefined();

    // an action before accepting is refused: the agent must own the ticket
    expect(await support.act(ticket.id, KARI, 'newPasswordLink')).toEqual({ kind: 'not_yours' });
    expect(await support.accept(ticket.id, KARI)).toEqual({ kind: 'accepted' });

    // a new password link, by email, that opens the password page
    expect(await support.act(ticket.id, KARI, 'newPasswordLink')).toEqual({ kind: 'ok', outcome: 'sent' });
    const linkMail = await mailTo(oldId, localeText(language, 'email:passwordLink.subject'));
    const link = /https?:\/\/\S+\/account\/password\?token=[^\s"<>)]+/.exec(linkMail.text ?? '')![0];
    expect((await fetch(link)).status).toBe(200);

    // the chat cannot be reached: the agent's reply goes by email
    channel.statusFor.set(conversation, 403);
    expect(await support.reply(ticket.id, KARI, 'Sjekk søppelposten / check your spam folder')).toEqual({ kind: 'ok' });
    const replyMail = await mailTo(oldId, localeText(language, 'email:supportReply.subject', { number: ticket.number }));
    expect(replyMail.text).toContain('Sjekk søppelposten / check your spam folder');
    channel.statusFor.delete(conversation);

    // a wrong address is corrected: the registration moves, a confirmation goes to the new address
    expect(await support.act(ticket.id, KARI, 'correctEmail', 'not an address')).toEqual({ kind: 'ok', outcome: 'invalid' });
    expect(await support.act(ticket.id, KARI, 'correctEmail', correctedEmail)).toEqual({ kind: 'ok', outcome: 'corrected' });
    expect(await h.app.services.installers.get(oldId)).toBeUndefined();
    expect(await h.app.services.installers.get(correctedEmail)).toMatchObject({ stage: 'registered', email: correctedEmail, language });
    await mailTo(correctedEmail, localeText(language, 'email:confirmation.subject'));
    const detail = (await support.ticket(ticket.id))!;
    expect(detail.maskedEmail).toBe(correctedEmail.replace(/^(.)[^@]*(.)@/, '$1***$2@'));
    expect(detail.actions.map((a) => [a.kind, a.outcome])).toEqual([
      ['accepted', 'ok'],
      ['newPasswordLink', 'sent'],
      ['replied', 'sent'],
      ['correctEmail', 'invalid'],
      ['correctEmail', 'corrected'],
    ]);

    // closed: the chat follows the corrected registration (its confirmation step, at the new address)
    count = channel.messagesTo(conversation).length;
    await support.close(ticket.id, KARI);
    const chat = await channel.waitForMessages(conversation, count + 2);
    expect(chat[count]).toBe(localeText(language, 'support:closed'));
    expect(chat.slice(count + 1).join('\n')).toContain(localeText(language, 'registration:confirm.checkInbox', { email: correctedEmail }));

    // "delete my data": the ticket stays, with nothing personal
    await h.app.services.registration.deleteInstaller(correctedEmail);
    const anonymised = (await support.ticket(ticket.id))!;
    expect(anonymised).toMatchObject({ id: ticket.id, number: ticket.number, status: 'closed', stage: 'registered', transcript: [] });
    expect(anonymised.maskedEmail).toBeUndefined();
    const stored = JSON.stringify(await h.app.store.get(`support/tickets/${ticket.id}`));
    for (const address of [oldId, correctedEmail, oldId.split('@')[0]!, correctedEmail.split('@')[0]!]) expect(stored).not.toContain(address);
    expect(await h.app.store.get(`support/ticket-owners/${ticket.id}`)).toBeUndefined();
    // and the chat's recent messages (kept for a ticket) are gone
    expect(await h.app.services.recentMessages.read({ channelId: 'test', conversationId: conversation })).toEqual([]);
  });
});
