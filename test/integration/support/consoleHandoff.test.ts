import type { Language } from '../../../src/domain/language';
import type { TicketDetail, TicketSummary } from '../../../src/services/support/supportDesk';
import { AgentAccounts } from '../../../src/services/support/agentAccounts';
import { channelActivity, startApp, type Harness } from '../../helpers/appHarness';
import { signedInClient, type AgentClient } from '../../helpers/agentConsoleClient';
import { localeText } from '../../helpers/localeText';
import { chatAtConfirmationStep } from '../../helpers/supportChat';
import { TestChannel } from '../../helpers/testChannel';
import { TestSmtpServer, waitUntil } from '../../helpers/testSmtpServer';

const AGENT = { email: 'kari.support@chargepoint.example', firstName: 'Kari', password: 'Kundestotte-Bergen-2026' };

const CASES = [
  { language: 'nb' as Language, locale: 'nb-NO', email: 'per.hansen@elektro.no', ask: 'kan jeg snakke med et menneske', later: 'har dere sendt den nå?', reply: 'Jeg har sendt en ny e-post til deg nå.' },
  { language: 'en' as Language, locale: 'en-GB', email: 'tom.jones@sparks.co.uk', ask: 'can i talk to a person', later: 'have you sent it now?', reply: "I've sent you a new email now." },
];

/**
 * Human support end to end with the real support service behind the agent console's HTTP API:
 * the installer asks in the chat, the agent sees the ticket in the console's queue, accepts,
 * replies, resends the confirmation and closes, each through /agent/api with a session and the
 * CSRF token; the installer gets every step in the chat, and the bot carries on where they were.
 */
describe.each(CASES)('the agent console drives a hand-off over HTTP in $language', (c) => {
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  let h: Harness;
  let agent: AgentClient;
  const conversation = `console-${c.language}`;
  const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
  const t = (key: string, vars?: Record<string, string | number>) => localeText(c.language, key, vars);

  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
    h = await startApp({ SMTP_URL: smtp.url, SUPPORT_EMAIL: 'support@example.test' });
    await new AgentAccounts(h.app.store).add(AGENT);
    agent = await signedInClient(h.url, AGENT.email, AGENT.password);
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('request → queue → accept → reply → resend the confirmation → close → the bot resumes', async () => {
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'global');
    const step = t('registration:confirm.checkInbox', { email: installerId });

    let count = channel.messagesTo(conversation).length;
    await say(c.ask);
    await channel.waitForMessages(conversation, count + 1);
    const queue = (await (await agent.get('/agent/api/queue')).json()) as { tickets: TicketSummary[] };
    const ticket = queue.tickets.find((x) => x.status === 'waiting' && x.language === c.language)!;
    expect(ticket).toMatchObject({ region: 'global', stage: 'registered' });
    expect(ticket.maskedEmail).not.toContain(installerId.split('@')[0]);

    // while waiting, the installer's words go to the ticket, and the console shows them
    await say(c.later);
    await waitUntil(async () => {
      const detail = (await (await agent.get(`/agent/api/tickets/${ticket.id}`)).json()) as { ticket: TicketDetail };
      return detail.ticket.transcript.some((e) => e.from === 'installer' && e.text === c.later);
    }, 'the message in the console');

    // without the CSRF token nothing happens
    expect((await agent.post(`/agent/api/tickets/${ticket.id}/accept`, {}, false)).status).toBe(403);

    count = channel.messagesTo(conversation).length;
    expect(await (await agent.post(`/agent/api/tickets/${ticket.id}/accept`)).json()).toEqual({ result: 'accepted' });
    await waitUntil(async () => channel.messagesTo(conversation).slice(count).includes(t('support:joined', { name: AGENT.firstName })), 'joined, in the chat');

    expect((await agent.post(`/agent/api/tickets/${ticket.id}/reply`, { text: c.reply })).status).toBe(200);
    await waitUntil(async () => channel.messagesTo(conversation).includes(t('support:agentSays', { name: AGENT.firstName, text: c.reply })), "the agent's reply, in the chat");

    const mailsBefore = (await smtp.parsed()).length;
    expect(await (await agent.post(`/agent/api/tickets/${ticket.id}/actions`, { kind: 'resendConfirmation' })).json()).toEqual({ result: 'action', kind: 'resendConfirmation', outcome: 'sent' });
    await waitUntil(async () => (await smtp.parsed()).slice(mailsBefore).some((m) => m.subject === t('email:confirmation.subject')), 'a new confirmation email');

    count = channel.messagesTo(conversation).length;
    expect((await agent.post(`/agent/api/tickets/${ticket.id}/close`)).status).toBe(200);
    await waitUntil(async () => channel.messagesTo(conversation).slice(count).includes(t('support:closed')), 'closed, in the chat');
    // back with the bot, at the step the installer was at
    await waitUntil(async () => channel.messagesTo(conversation).slice(count).some((m) => m.includes(step)), 'the same step again');

    const detail = ((await (await agent.get(`/agent/api/tickets/${ticket.id}`)).json()) as { ticket: TicketDetail }).ticket;
    expect(detail.status).toBe('closed');
    expect(detail.actions.map((a) => a.kind)).toEqual(['accepted', 'replied', 'resendConfirmation', 'closed']);
    expect(JSON.stringify(detail)).not.toContain(installerId);
  });
});
