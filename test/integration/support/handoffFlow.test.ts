import type { Activity } from 'botbuilder';
import type { Language } from '../../../src/domain/language';
import { channelActivity, freePort, startApp, tempDir, type Harness } from '../../helpers/appHarness';
import { TestChannel } from '../../helpers/testChannel';
import { TestSmtpServer, waitUntil } from '../../helpers/testSmtpServer';
import { localeText } from '../../helpers/localeText';
import { chatAtConfirmationStep } from '../../helpers/supportChat';
import { SYSTEM_NOTES } from '../../../src/services/support/supportService';
import type { TicketDetail, TicketSummary } from '../../../src/services/support/supportDesk';
import { AgentAccounts } from '../../../src/services/support/agentAccounts';
import { signedInClient, type AgentClient } from '../../helpers/agentConsoleClient';

const PASSWORD = 'Hemmelig-Passord-77';
const TOKEN = 'AbCdEf1234567890abcdef1234567890';
const KARI = { id: 'agent-kari', firstName: 'Kari' };
const AGENT = { email: 'kari.support@chargepoint.example', firstName: 'Kari', password: 'Kundestotte-Bergen-2026' };

interface Case {
  language: Language;
  locale: string;
  email: string;
  masked: string;
  passwordSaid: string;
  askForPerson: string;
  stuckMessage: string;
  backToBot: string;
  cancelWord: string;
  /** Said while waiting: about the password (kept for the agent), and a password typed after a password word (masked). */
  passwordTalk: string;
  passwordTyped: [said: string, shown: string];
  /** Answering support's message, after choosing to. */
  answerToSupport: string;
  /** Choosing to answer it, typed (not the button). */
  typedReply: string;
  /** An answer to support that the bot would read as thanks to itself. */
  thanksToSupport: string;
}

const CASES: Case[] = [
  {
    language: 'nb',
    locale: 'nb-NO',
    email: 'ola.nordmann@firma.no',
    /** The address this test registers (ola.nordmann+support-nb@firma.no), masked. */
    masked: 'o***b@firma.no',
    passwordSaid: `passordet mitt er ${PASSWORD}`,
    askForPerson: 'kan jeg fa snakke med et ekte menneske?',
    stuckMessage: 'jeg har ikke fått noen epost, kan dere sjekke?',
    backToBot: 'tilbake til boten takk',
    cancelWord: 'avbryt',
    passwordTalk: 'passordlenken har gått ut, og passordet funker ikke på siden',
    passwordTyped: ['passordet mitt er sommerfugl', 'passordet [redacted]'],
    answerToSupport: 'Takk, nå fant jeg e-posten i søppelposten',
    typedReply: 'svar kundestøtten',
    thanksToSupport: 'takk for hjelpa, nå virker det',
  },
  {
    language: 'en',
    locale: 'en-GB',
    email: 'jane.smith@company.co.uk',
    masked: 'j***n@company.co.uk',
    passwordSaid: `my password is ${PASSWORD}`,
    askForPerson: 'can i speak to a real person please',
    stuckMessage: "the email never came, can you check my address?",
    backToBot: 'take me back to the bot',
    cancelWord: 'cancel',
    passwordTalk: "the password link says it expired and the password page won't load",
    passwordTyped: ['my new password will be sunshine', 'my new password [redacted]'],
    answerToSupport: 'Thanks, I found the email in the spam folder now',
    typedReply: 'reply to support',
    thanksToSupport: 'thanks for the help, it works now',
  },
];

const PROFILE = { firstName: 'Ola', lastName: 'Nordmann', company: 'Elektro Nord AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' as const };
const STATIONS = [
  { mac: '00:1A:2B:3C:4D:5E', latitude: 59.9139, longitude: 10.7522, accuracyMeters: 8, localizedAt: '2026-11-20T10:15:00.000Z' },
  { mac: '00:1A:2B:3C:4D:5F', latitude: 59.914, longitude: 10.7525, localizedAt: '2026-11-20T10:40:00.000Z' },
];

const eventsTo = (channel: TestChannel, conversation: string, name: string) =>
  channel.received.filter((a) => a.conversation?.id === conversation && a.type === 'event' && a.name === name);

/** No full address, no password, no link token. */
function expectNothingSecret(text: string, email: string): void {
  expect(text).not.toContain(email);
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(TOKEN);
}

describe.each(CASES)('human support over HTTP in $language', (c) => {
  let h: Harness;
  let agent: AgentClient;
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  const dataDir = tempDir();
  let env: Record<string, string>;
  /** The ticket as the console's API shows it. */
  const consoleTicket = async (id: string) => ((await (await agent.get(`/agent/api/tickets/${id}`)).json()) as { ticket: TicketDetail }).ticket;
  const consoleQueue = async () => ((await (await agent.get('/agent/api/queue')).json()) as { tickets: TicketSummary[] }).tickets;

  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
    const port = await freePort();
    env = {
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: smtp.url,
      SUPPORT_EMAIL: 'support@example.test',
      // North America is never open in this test (a minute on a day that is not today); Europe is always open
      SUPPORT_HOURS: `na=America/New_York ${otherDay()} 03:00-03:01`,
      SUPPORT_PICKUP_MINUTES: '10',
    };
    h = await startApp(env, dataDir);
    await new AgentAccounts(h.app.store).add(AGENT);
    // the agent's console speaks the language of this case
    agent = await signedInClient(h.url, AGENT.email, AGENT.password, { 'accept-language': c.locale });
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('opens a ticket, hands the chat to an agent through the console and back, and resumes at the same step', async () => {
    const conversation = `support-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'global');
    const email = installerId;
    const step = localeText(c.language, 'registration:confirm.checkInbox', { email });

    // what happened before: a password typed into the chat and a pasted link with its token
    let count = channel.messagesTo(conversation).length;
    expect((await say(c.passwordSaid)).status).toBe(200);
    await channel.waitForMessages(conversation, count + 1);
    await new Promise((r) => setTimeout(r, 300));
    count = channel.messagesTo(conversation).length;
    await say(`${h.url}/account/password?token=${TOKEN}`);
    await channel.waitForMessages(conversation, count + 1);
    await new Promise((r) => setTimeout(r, 300));

    // asked in their own words: a ticket, its place in the queue, the hand-off event with the transcript
    count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    const messages = await channel.waitForMessages(conversation, count + 1);
    const queue = await consoleQueue();
    const number = Number(/#(\d+)/.exec(messages[count]!)?.[1]);
    const ticket = queue.find((t) => t.number === number);
    expect(ticket).toBeDefined();
    expect(ticket!.maskedEmail).toBe(c.masked);
    const id = ticket!.id;
    expect(ticket).toMatchObject({ status: 'waiting', language: c.language, region: 'global', stage: 'registered' });
    const position = queue.filter((t) => t.status === 'waiting').findIndex((t) => t.id === id) + 1;
    expect(messages[count]).toBe(localeText(c.language, 'support:queued', { number: ticket!.number, position, minutes: 5 }));

    const [initiate] = eventsTo(channel, conversation, 'handoff.initiate');
    expect(initiate).toBeDefined();
    expect(initiate!.value).toMatchObject({ ticketId: id, number: ticket!.number, language: c.language, stage: 'registered' });
    const transcript = (initiate!.attachments?.[0]?.content as { activities: Array<Partial<Activity>> }).activities;
    const transcriptText = transcript.map((a) => a.text ?? '').join('\n');
    expect(transcriptText).toContain(c.askForPerson);
    expect(transcriptText).toContain('[email]');
    expect(transcriptText).toContain('[redacted]');
    expectNothingSecret(JSON.stringify(initiate), email);

    // SUPPORT_EMAIL: the ticket's number and its link in the console, the masked address only
    const supportMail = await waitForMail(smtp, (m) => (m.subject ?? '').includes(`#${ticket!.number}`));
    expect(supportMail.text).toContain(`${env.PUBLIC_URL}/agent/tickets/${id}`);
    expect(supportMail.text).toContain(ticket!.maskedEmail!);
    expectNothingSecret(`${supportMail.subject}\n${supportMail.text}\n${supportMail.html}`, email);

    // while waiting, what the installer writes goes to the ticket; the bot says nothing
    count = channel.messagesTo(conversation).length;
    await say(c.stuckMessage);
    await waitUntil(async () => (await consoleTicket(id)).transcript.some((e) => e.from === 'installer' && e.text === c.stuckMessage), 'the message on the ticket');
    await new Promise((r) => setTimeout(r, 500));
    expect(channel.messagesTo(conversation)).toHaveLength(count);

    // the agent accepts in the console: "Kari has joined" and handoff.status accepted
    expect(await (await agent.post(`/agent/api/tickets/${id}/accept`)).json()).toEqual({ result: 'accepted' });
    let chat = await channel.waitForMessages(conversation, count + 1);
    expect(chat[count]).toBe(localeText(c.language, 'support:joined', { name: 'Kari' }));
    expect(eventsTo(channel, conversation, 'handoff.status').map((a) => (a.value as { state: string }).state)).toEqual(['accepted']);

    // the agent's reply is shown in the chat; the installer's answer goes to the ticket
    expect((await agent.post(`/agent/api/tickets/${id}/reply`, { text: 'Jeg har sendt deg en ny lenke / I have sent a new link.' })).status).toBe(200);
    chat = await channel.waitForMessages(conversation, count + 2);
    expect(chat[count + 1]).toBe(localeText(c.language, 'support:agentSays', { name: 'Kari', text: 'Jeg har sendt deg en ny lenke / I have sent a new link.' }));
    await say('takk / thanks');
    await waitUntil(async () => (await consoleTicket(id)).transcript.some((e) => e.text === 'takk / thanks'), 'the answer on the ticket');

    // an agent action, recorded on the ticket: a new confirmation email reaches the installer
    const mailsBefore = (await smtp.parsed()).length;
    expect(await (await agent.post(`/agent/api/tickets/${id}/actions`, { kind: 'resendConfirmation' })).json()).toEqual({ result: 'action', kind: 'resendConfirmation', outcome: 'sent' });
    await waitUntil(async () => (await smtp.parsed()).slice(mailsBefore).some((m) => m.subject === localeText(c.language, 'email:confirmation.subject')), 'a new confirmation email');

    // closed in the console: handoff.status completed, the bot says so and asks the step the installer was at again
    expect((await agent.post(`/agent/api/tickets/${id}/close`)).status).toBe(200);
    chat = await channel.waitForMessages(conversation, count + 4);
    expect(chat[count + 2]).toBe(localeText(c.language, 'support:closed'));
    expect(chat[count + 3]).toContain(step);
    expect(eventsTo(channel, conversation, 'handoff.status').map((a) => (a.value as { state: string }).state)).toEqual(['accepted', 'completed']);

    const detail = await consoleTicket(id);
    expect(detail.status).toBe('closed');
    expect(detail.actions.map((a) => [a.kind, a.outcome])).toEqual([
      ['accepted', 'ok'],
      ['replied', 'sent'],
      ['resendConfirmation', 'sent'],
      ['closed', 'ok'],
    ]);
    expect(detail.context.stageHistory.map((e) => e.stage)).toEqual(['new', 'registered']);
    expectNothingSecret(JSON.stringify(detail), email);
    expect((await consoleQueue()).map((t) => t.id)).not.toContain(id);

    // the bot answers again
    count = channel.messagesTo(conversation).length;
    await say('status');
    await channel.waitForMessages(conversation, count + 1);
  });

  it('leaves the queue on "back to the bot" and carries on at the step', async () => {
    const conversation = `support-back-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'global');
    let count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    const queued = (await channel.waitForMessages(conversation, count + 1))[count]!;
    const number = Number(/#(\d+)/.exec(queued)?.[1]);
    const ticket = (await h.app.services.support.queue()).find((t) => t.number === number);
    expect(ticket?.status).toBe('waiting');
    count = channel.messagesTo(conversation).length;
    await say(c.backToBot);
    const chat = await channel.waitForMessages(conversation, count + 2);
    expect(chat[count]).toBe(localeText(c.language, 'support:left'));
    expect(chat[count + 1]).toContain(localeText(c.language, 'registration:confirm.checkInbox', { email: installerId }));
    expect(eventsTo(channel, conversation, 'handoff.status').map((a) => (a.value as { state: string }).state)).toEqual(['completed']);
    expect((await h.app.services.support.queue()).map((t) => t.id)).not.toContain(ticket!.id);
    expect((await h.app.services.support.ticket(ticket!.id))!.status).toBe('closed');
    // the bot answers again
    count = channel.messagesTo(conversation).length;
    await say(c.language === 'nb' ? 'fremdrift' : 'status');
    await channel.waitForMessages(conversation, count + 1);
  });

  it('support sees the profile and the stations by name, a photo as a note, and every note in the agent\'s language', async () => {
    const conversation = `support-context-${c.language}`;
    const say = (fields: Partial<Activity>) => h.post(channelActivity(channel.serviceUrl, conversation, { locale: c.locale, ...fields }));
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'global');
    await h.app.services.installers.update(installerId, (i) => ({ ...i, profile: PROFILE, stationsLocalized: STATIONS }));

    let count = channel.messagesTo(conversation).length;
    await say({ text: c.askForPerson });
    const number = Number(/#(\d+)/.exec((await channel.waitForMessages(conversation, count + 1))[count]!)?.[1]);
    const id = (await consoleQueue()).find((t) => t.number === number)!.id;

    // a photo while waiting: not passed on, and the installer is told to say it in words (the bot answers nothing else)
    count = channel.messagesTo(conversation).length;
    await say({ text: '', attachments: [{ contentType: 'image/jpeg', contentUrl: `${channel.serviceUrl}/photos/lader.jpg`, name: 'lader.jpg' }] });
    const chat = await channel.waitForMessages(conversation, count + 1);
    expect(chat[count]).toBe(localeText(c.language, 'support:photoNotPassed'));
    await waitUntil(async () => (await consoleTicket(id)).transcript.some((e) => e.from === 'system' && e.text === SYSTEM_NOTES.photo), 'the photo note on the ticket');
    await new Promise((r) => setTimeout(r, 300));
    expect(channel.messagesTo(conversation)).toHaveLength(count + 1);

    expect(await (await agent.post(`/agent/api/tickets/${id}/accept`)).json()).toEqual({ result: 'accepted' });
    const page = await (await agent.get(`/agent/tickets/${id}`)).text();
    // the profile by the profile's own labels, in the agent's language
    for (const field of ['firstName', 'lastName', 'company', 'phone', 'postalCode']) {
      expect(page).toContain(`<dt>${localeText(c.language, `profile:fields.${field}.label`)}</dt>`);
    }
    expect(page).toContain(`<dd>${PROFILE.phone}</dd>`);
    // which stations, not only how many
    expect(page).toContain(localeText(c.language, 'agent:ticket.stations', { count: 2 }));
    for (const station of STATIONS) expect(page).toContain(station.mac);
    expect(page).toContain('59.91390, 10.75220');
    // notes as text, not locale keys
    expect(page).toContain(localeText(c.language, SYSTEM_NOTES.photo));
    expect(page).toContain(localeText(c.language, 'support:system.agentJoined', { name: 'Kari' }));
    expect(page).not.toContain('support:system');
    expect((await agent.post(`/agent/api/tickets/${id}/close`)).status).toBe(200);
  });

  it('the agent reads what the installer says about the password; a password typed after a password word stays masked', async () => {
    const conversation = `support-password-talk-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    await chatAtConfirmationStep(h, channel, c, conversation, 'global');
    const count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    const number = Number(/#(\d+)/.exec((await channel.waitForMessages(conversation, count + 1))[count]!)?.[1]);
    const id = (await consoleQueue()).find((t) => t.number === number)!.id;
    await say(c.passwordTalk);
    await say(c.passwordTyped[0]);
    await waitUntil(async () => (await consoleTicket(id)).transcript.filter((e) => e.from === 'installer').length >= 3, 'both messages on the ticket');
    const said = (await consoleTicket(id)).transcript.filter((e) => e.from === 'installer').map((e) => e.text);
    expect(said.slice(-2)).toEqual([c.passwordTalk, c.passwordTyped[1]]);
    const page = await (await agent.get(`/agent/tickets/${id}`)).text();
    expect(page).not.toContain(c.passwordTyped[0].split(' ').pop());
    // the queue shows the last message, redacted as on the ticket
    const queue = await (await agent.get('/agent')).text();
    const row = new RegExp(`<tr data-ticket="${id}"[\\s\\S]*?</tr>`).exec(queue)![0];
    expect(row).toContain(`<td class="said" lang="${c.language}">${c.passwordTyped[1]}</td>`);
    expect(row).not.toContain(c.passwordTyped[0].split(' ').pop());
    expect((await agent.post(`/agent/api/tickets/${id}/accept`)).status).toBe(200);
    expect((await agent.post(`/agent/api/tickets/${id}/close`)).status).toBe(200);
  });

  it('"back to the bot" while talking with an agent closes the ticket and carries on at the step', async () => {
    const conversation = `support-talking-back-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'global');
    let count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    const number = Number(/#(\d+)/.exec((await channel.waitForMessages(conversation, count + 1))[count]!)?.[1]);
    const id = (await consoleQueue()).find((t) => t.number === number)!.id;
    count = channel.messagesTo(conversation).length;
    expect(await (await agent.post(`/agent/api/tickets/${id}/accept`)).json()).toEqual({ result: 'accepted' });
    await channel.waitForMessages(conversation, count + 1);

    // with an agent in the chat, "avbryt" / "cancel" is for the agent (it only leaves the queue while waiting)
    count = channel.messagesTo(conversation).length;
    await say(c.cancelWord);
    await waitUntil(async () => (await consoleTicket(id)).transcript.some((e) => e.from === 'installer' && e.text === c.cancelWord), 'cancel, on the ticket');
    await new Promise((r) => setTimeout(r, 300));
    expect(channel.messagesTo(conversation)).toHaveLength(count);
    expect((await consoleTicket(id)).status).toBe('active');

    await say(c.backToBot);
    const chat = await channel.waitForMessages(conversation, count + 2);
    expect(chat[count]).toBe(localeText(c.language, 'support:left'));
    expect(chat[count + 1]).toContain(localeText(c.language, 'registration:confirm.checkInbox', { email: installerId }));
    const ticket = await consoleTicket(id);
    expect(ticket.status).toBe('closed');
    expect(ticket.transcript.at(-1)).toMatchObject({ from: 'system', text: SYSTEM_NOTES.installerLeft });
    expect(eventsTo(channel, conversation, 'handoff.status').map((a) => (a.value as { state: string }).state)).toEqual(['accepted', 'completed']);
    // the agent can no longer reply into the chat
    expect((await agent.post(`/agent/api/tickets/${id}/reply`, { text: 'hallo?' })).status).not.toBe(200);
  });

  it('help carries a "talk to a person" button, and a tap on it opens a ticket', async () => {
    const conversation = `support-help-button-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale, channelId: 'webchat' }));
    await say(c.language === 'nb' ? 'hei' : 'hi');
    await channel.waitForMessages(conversation, 1);
    await new Promise((r) => setTimeout(r, 300));
    let count = channel.messagesTo(conversation).length;
    await say(c.language === 'nb' ? 'hjelp' : 'help');
    await channel.waitForMessages(conversation, count + 1);
    const help = channel.received.find((a) => a.conversation?.id === conversation && a.type === 'message' && (a.text ?? '').includes(localeText(c.language, 'chat:help.general')));
    expect(help).toBeDefined();
    const human = localeText(c.language, 'chat:guess.human');
    expect(help!.suggestedActions?.actions.map((a) => [a.title, a.value])).toEqual([[human, human]]);

    count = channel.messagesTo(conversation).length;
    await say(human);
    const queued = (await channel.waitForMessages(conversation, count + 1))[count]!;
    const number = Number(/#(\d+)/.exec(queued)?.[1]);
    const ticket = (await consoleQueue()).find((t) => t.number === number);
    expect(ticket).toMatchObject({ status: 'waiting', language: c.language });
    // (the expected wait follows the waits of the tickets before it)
    const position = (await consoleQueue()).filter((t) => t.status === 'waiting').findIndex((t) => t.id === ticket!.id) + 1;
    expect(queued).toBe(localeText(c.language, 'support:queued', { number, position, minutes: Number(/(\d+) min/.exec(queued)?.[1]) }));
    count = channel.messagesTo(conversation).length;
    await say(c.backToBot);
    expect((await channel.waitForMessages(conversation, count + 1))[count]).toBe(localeText(c.language, 'support:left'));
  });

  it('"delete my data" in the chat also forgets its recent messages', async () => {
    const conversation = `support-delete-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    await say(c.language === 'nb' ? 'hei' : 'hi');
    await channel.waitForMessages(conversation, 2);
    const recent = () => h.app.services.recentMessages.read({ channelId: 'test', conversationId: conversation });
    expect((await recent()).map((e) => e.from)).toEqual(['installer', 'bot', 'bot']);
    await say(c.language === 'nb' ? 'slett dataene mine' : 'delete my data');
    await channel.waitForMessages(conversation, 3);
    await say(localeText(c.language, 'chat:delete.button'));
    const chat = await channel.waitForMessages(conversation, 4);
    expect(chat[3]).toBe(localeText(c.language, 'chat:delete.done'));
    await new Promise((r) => setTimeout(r, 200));
    expect(await recent()).toEqual([]);
  });

  it('outside support hours: the ticket stays open, support answers by email, and the bot carries on', async () => {
    const conversation = `support-closed-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'na');
    let count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    const chat = await channel.waitForMessages(conversation, count + 1);
    const ticket = (await h.app.services.support.queue()).find((t) => t.region === 'na' && t.createdAt && chat[count]!.includes(`#${t.number}`));
    expect(ticket).toBeDefined();
    expect(chat[count]).toBe(localeText(c.language, 'support:outOfHours', { number: ticket!.number }));
    expect(ticket!.status).toBe('waiting');
    const mail = await waitForMail(smtp, (m) => (m.to && 'text' in m.to ? m.to.text : '').includes(installerId) && (m.text ?? '').includes(`#${ticket!.number}`));
    expect(mail.subject).toBe(localeText(c.language, 'email:supportByEmail.subject', { number: ticket!.number }));
    // not agent-owned: the bot answers the next message itself
    count = channel.messagesTo(conversation).length;
    await say(c.language === 'nb' ? 'fremdrift' : 'status');
    await channel.waitForMessages(conversation, count + 1);

    // asking again: the request is still open (no second ticket)
    await new Promise((r) => setTimeout(r, 300));
    count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    expect((await channel.waitForMessages(conversation, count + 1))[count]).toContain(localeText(c.language, 'support:stillOpen', { number: ticket!.number }));
    expect((await consoleQueue()).filter((t) => t.region === 'na' && t.language === c.language)).toHaveLength(1);

    // "delete my data": the open ticket leaves the queue, kept for statistics with nothing that identifies the installer
    await new Promise((r) => setTimeout(r, 300));
    count = channel.messagesTo(conversation).length;
    await say(c.language === 'nb' ? 'slett dataene mine' : 'delete my data');
    await channel.waitForMessages(conversation, count + 1);
    await say(localeText(c.language, 'chat:delete.button'));
    await waitUntil(async () => channel.messagesTo(conversation).slice(count).includes(localeText(c.language, 'chat:delete.done')), 'data deleted');
    expect((await consoleQueue()).map((t) => t.id)).not.toContain(ticket!.id);
    const kept = await consoleTicket(ticket!.id);
    expect(kept).toMatchObject({ status: 'closed', transcript: [] });
    expect(kept.maskedEmail).toBeUndefined();
  });

  it('outside support hours: accepting the next morning leaves the chat to the installer; the answer comes by email and in the chat, and only an answer the installer chooses to give reaches the agent', async () => {
    const conversation = `support-closed-answer-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    const text = (key: string, vars?: Record<string, string | number>) => localeText(c.language, key, vars);
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'na');
    const step = text('registration:confirm.checkInbox', { email: installerId });
    const status = c.language === 'nb' ? 'fremdrift' : 'status';
    /** What the installer said that reached the ticket. */
    const installerLines = async (id: string) => (await consoleTicket(id)).transcript.filter((e) => e.from === 'installer').map((e) => e.text);
    /** Says `text`; waits for the bot's `replies` messages (and a moment for any more) and returns every message since. */
    const turn = async (said: string, replies = 1) => {
      const before = channel.messagesTo(conversation).length;
      await say(said);
      await channel.waitForMessages(conversation, before + replies);
      await new Promise((r) => setTimeout(r, 250));
      return channel.messagesTo(conversation).slice(before);
    };

    const [told] = await turn(c.askForPerson);
    const ticket = (await h.app.services.support.queue()).find((t) => told!.includes(`#${t.number}`))!;
    expect(told).toBe(text('support:outOfHours', { number: ticket.number }));

    // the console: in the queue and on the ticket, the agent sees the answer is owed by email, and that the chat is not theirs
    const unescape = (html: string) => html.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
    const queuePage = unescape(await (await agent.get('/agent')).text());
    const row = new RegExp(`<tr data-ticket="${ticket.id}"[\\s\\S]*?</tr>`).exec(queuePage)![0];
    expect(row).toContain(text('agent:queue.byEmail'));
    expect(unescape(await (await agent.get(`/agent/tickets/${ticket.id}`)).text())).toContain(text('agent:ticket.byEmail'));
    const asked = await installerLines(ticket.id);

    // the next morning: accepted. The installer hears nothing of it, and the chat stays theirs
    const before = channel.messagesTo(conversation).length;
    expect(await (await agent.post(`/agent/api/tickets/${ticket.id}/accept`)).json()).toEqual({ result: 'accepted' });
    await new Promise((r) => setTimeout(r, 500));
    expect(channel.messagesTo(conversation)).toHaveLength(before);
    expect(eventsTo(channel, conversation, 'handoff.status')).toEqual([]);
    expect((await consoleTicket(ticket.id)).transcript.at(-1)).toMatchObject({ from: 'system', text: SYSTEM_NOTES.agentTookLater, agentName: 'Kari' });
    // hours later, about something else: the bot answers it, the agent does not get it
    expect((await turn(status))[0]).not.toBe('');
    expect(await installerLines(ticket.id)).toEqual(asked);

    // the answer: by email, and in the chat as support's answer, with the offer to answer it
    const answer = c.language === 'nb' ? 'God morgen! Jeg har sendt bekreftelsen på nytt.' : 'Good morning! I have sent the confirmation again.';
    expect(await (await agent.post(`/agent/api/tickets/${ticket.id}/reply`, { text: answer })).json()).toEqual({ result: 'replied' });
    const mail = await waitForMail(smtp, (m) => (m.to && 'text' in m.to ? m.to.text : '').includes(installerId) && m.subject === text('email:supportReply.subject', { number: ticket.number }));
    expect(mail.text).toContain(answer);
    const label = text('support:replyButton', { name: 'Kari' });
    const shown = `${text('support:agentAnswer', { name: 'Kari', number: ticket.number, text: answer })}\n\n${text('support:agentAnswerEmailed')} ${text('support:answerHow', { name: 'Kari', reply: label })}`;
    await waitUntil(async () => channel.messagesTo(conversation).includes(shown), 'the answer, in the chat too');
    expect(channel.messagesTo(conversation)).not.toContain(text('support:agentSays', { name: 'Kari', text: answer }));

    // still the installer's chat: what they write next is the bot's
    expect((await turn(status))[0]).not.toBe('');
    expect(await installerLines(ticket.id)).toEqual(asked);

    // they choose to answer: that one message goes to the agent, and the chat is theirs again at the step
    expect(await turn(label)).toEqual([text('support:answerPrompt', { name: 'Kari' })]);
    const reply = await turn(c.answerToSupport, 2);
    expect(reply[0]).toBe(text('support:answerSent', { name: 'Kari' }));
    expect(reply[1]).toContain(step);
    expect(await installerLines(ticket.id)).toEqual([...asked, c.answerToSupport]);
    expect((await turn(status))[0]).not.toBe('');
    expect(await installerLines(ticket.id)).toEqual([...asked, c.answerToSupport]);

    // after "avbryt" to the bot (no step open), typed rather than tapped: the answer goes to the agent, and the bot
    // does not read it as its own ("takk …" is not thanked for); the installer is back at the step
    expect(await turn(c.cancelWord)).toEqual([text('chat:command.cancelled')]);
    expect(await turn(c.typedReply)).toEqual([text('support:answerPrompt', { name: 'Kari' })]);
    const thanked = await turn(c.thanksToSupport, 2);
    expect(thanked).toHaveLength(2);
    expect(thanked[0]).toBe(text('support:answerSent', { name: 'Kari' }));
    expect(thanked[1]).toContain(step);
    expect(await installerLines(ticket.id)).toEqual([...asked, c.answerToSupport, c.thanksToSupport]);

    // then not answering after all: nothing is sent
    expect(await turn(c.typedReply)).toEqual([text('support:answerPrompt', { name: 'Kari' })]);
    const cancelled = await turn(c.cancelWord, 2);
    expect(cancelled[0]).toBe(text('support:answerCancelled'));
    expect(cancelled[1]).toContain(step);
    expect(await installerLines(ticket.id)).toEqual([...asked, c.answerToSupport, c.thanksToSupport]);

    // closed: one line; the bot was here all along
    const closing = channel.messagesTo(conversation).length;
    expect((await agent.post(`/agent/api/tickets/${ticket.id}/close`)).status).toBe(200);
    expect((await channel.waitForMessages(conversation, closing + 1)).slice(closing)).toEqual([text('support:closedLater', { number: ticket.number })]);
    await new Promise((r) => setTimeout(r, 300));
    expect(channel.messagesTo(conversation)).toHaveLength(closing + 1);
    expect(eventsTo(channel, conversation, 'handoff.status').map((a) => (a.value as { state: string }).state)).toEqual(['completed']);
    // "svar Kari" is now just a message to the bot
    await turn(label);
    expect(await installerLines(ticket.id)).toEqual([...asked, c.answerToSupport, c.thanksToSupport]);
  });

  it('outside support hours, before an email address is known: an agent will answer here in the chat', async () => {
    const conversation = `support-closed-noemail-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    await say(c.language === 'nb' ? 'hei' : 'hi');
    await channel.waitForMessages(conversation, 2);
    await say(c.language === 'nb' ? 'ja' : 'yes');
    await channel.waitForMessages(conversation, 3);
    // the region question: North America, whose support is closed in this test
    await say(localeText(c.language, 'registration:region.na'));
    await channel.waitForMessages(conversation, 4);
    const mailsBefore = (await smtp.parsed()).length;
    const count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    const chat = await channel.waitForMessages(conversation, count + 1);
    const number = Number(/#(\d+)/.exec(chat[count]!)?.[1]);
    expect(chat[count]).toBe(localeText(c.language, 'support:outOfHoursNoEmail', { number }));
    const ticket = (await consoleQueue()).find((t) => t.number === number);
    expect(ticket).toMatchObject({ status: 'waiting', region: 'na', language: c.language });
    // no installer address: only the support mailbox hears of it
    await new Promise((r) => setTimeout(r, 500));
    const mailed = (await smtp.parsed()).slice(mailsBefore);
    expect(mailed.every((m) => (m.to && 'text' in m.to ? m.to.text : '') === 'support@example.test')).toBe(true);
    const unescape = (html: string) => html.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));
    expect(unescape(await (await agent.get(`/agent/tickets/${ticket!.id}`)).text())).toContain(localeText(c.language, 'agent:ticket.byChatLater'));

    // when support opens: accepted (the chat is not taken over), and the answer shows in the chat, as promised (no email)
    const before = channel.messagesTo(conversation).length;
    expect(await (await agent.post(`/agent/api/tickets/${ticket!.id}/accept`)).json()).toEqual({ result: 'accepted' });
    const answer = c.language === 'nb' ? 'Hei! Skriv e-postadressen din her, så hjelper jeg deg videre.' : 'Hello! Type your email address here and I will help you on.';
    expect(await (await agent.post(`/agent/api/tickets/${ticket!.id}/reply`, { text: answer })).json()).toEqual({ result: 'replied' });
    const label = localeText(c.language, 'support:replyButton', { name: 'Kari' });
    const shown = `${localeText(c.language, 'support:agentAnswer', { name: 'Kari', number, text: answer })}\n\n${localeText(c.language, 'support:answerHow', { name: 'Kari', reply: label })}`;
    expect((await channel.waitForMessages(conversation, before + 1)).slice(before)).toEqual([shown]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await smtp.parsed()).slice(mailsBefore).every((m) => (m.to && 'text' in m.to ? m.to.text : '') === 'support@example.test')).toBe(true);
    expect((await agent.post(`/agent/api/tickets/${ticket!.id}/close`)).status).toBe(200);
  });
});

describe.each(CASES)('no pickup in time, and a restart, in $language', (c) => {
  let h: Harness;
  const channel = new TestChannel();
  const smtp = new TestSmtpServer();
  const dataDir = tempDir();

  beforeAll(async () => {
    await channel.start();
    await smtp.listen();
  });
  afterAll(async () => {
    await h.stop();
    await smtp.close();
    await channel.stop();
  });

  it('tells the installer support answers by email, keeps the ticket open, and keeps it over a restart', async () => {
    const port = await freePort();
    const env = { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: smtp.url, SUPPORT_PICKUP_MINUTES: '0.03' };
    h = await startApp(env, dataDir);
    const conversation = `support-nopickup-${c.language}`;
    const say = (text: string) => h.post(channelActivity(channel.serviceUrl, conversation, { text, locale: c.locale }));
    const installerId = await chatAtConfirmationStep(h, channel, c, conversation, 'global');
    let count = channel.messagesTo(conversation).length;
    await say(c.askForPerson);
    await channel.waitForMessages(conversation, count + 1);
    const [ticket] = await h.app.services.support.queue();
    expect(ticket).toBeDefined();
    // about two seconds later nobody has accepted
    const chat = await channel.waitForMessages(conversation, count + 3, 15_000);
    expect(chat[count + 1]).toBe(localeText(c.language, 'support:noPickup', { number: ticket!.number }));
    expect(chat[count + 2]).toContain(localeText(c.language, 'registration:confirm.checkInbox', { email: installerId }));
    const mail = await waitForMail(smtp, (m) => (m.subject ?? '') === localeText(c.language, 'email:supportByEmail.subject', { number: ticket!.number }));
    expect(mail.text).toContain(`#${ticket!.number}`);
    const waiting = (await h.app.services.support.ticket(ticket!.id))!;
    expect(waiting.status).toBe('waiting');
    // the console sees why, in the agent's language (the note is a locale key)
    expect(waiting.transcript.map((e) => e.text)).toContain(SYSTEM_NOTES.noPickup);
    expect(localeText(c.language, SYSTEM_NOTES.noPickup).length).toBeGreaterThan(10);

    // the bot answers again
    count = channel.messagesTo(conversation).length;
    await say(c.language === 'nb' ? 'fremdrift' : 'status');
    await channel.waitForMessages(conversation, count + 1);

    // a restart keeps the ticket, its transcript and its place in the queue
    await h.stop();
    h = await startApp(env, dataDir);
    const after = await h.app.services.support.queue();
    expect(after.map((t) => t.id)).toEqual([ticket!.id]);
    expect((await h.app.services.support.ticket(ticket!.id))!.transcript.some((e) => e.text === c.askForPerson)).toBe(true);

    // accepted later: the chat is not taken over (the installer was told support answers by email);
    // the answer still reaches the chat (the one proactive path), as support's answer
    expect(await h.app.services.support.accept(ticket!.id, KARI)).toEqual({ kind: 'accepted' });
    const answer = c.language === 'nb' ? 'Hei! Jeg har sett på saken din.' : 'Hello! I have looked at your request.';
    expect(await h.app.services.support.reply(ticket!.id, KARI, answer)).toEqual({ kind: 'ok' });
    // (the answer is queued: it may come after the rest of the status answer)
    const shown = localeText(c.language, 'support:agentAnswer', { name: 'Kari', number: ticket!.number, text: answer });
    await waitUntil(async () => channel.messagesTo(conversation).slice(count + 1).some((m) => m.startsWith(shown)), 'the answer');
    expect(channel.messagesTo(conversation)).not.toContain(localeText(c.language, 'support:joined', { name: 'Kari' }));
  });
});

/** A weekday name that is neither today nor tomorrow nor yesterday in New York. */
function otherDay(): string {
  const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', weekday: 'short' }).format(new Date());
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return days[(days.indexOf(today) + 3) % 7]!;
}

async function waitForMail(smtp: TestSmtpServer, match: (mail: Awaited<ReturnType<TestSmtpServer['message']>>) => boolean) {
  let found: Awaited<ReturnType<TestSmtpServer['message']>> | undefined;
  await waitUntil(async () => {
    found = (await smtp.parsed()).find(match);
    return found !== undefined;
  }, 'the email', 15_000);
  return found!;
}
