import { type Activity, ActivityTypes, EventFactory, type TurnContext } from 'botbuilder';
import { photosOf } from './photos';
import { isTooLong, MAX_MESSAGE_LENGTH } from '../domain/input';
import type { DialogContext } from './dialogs/dialogKit';
import type { Installer } from '../domain/installer';
import type { Region } from '../domain/journey';
import type { Language } from '../domain/language';
import type { Choice } from '../domain/understanding';
import { NOTIFY_TURN, type NotifyTurn } from './notifyTurns';
import type { ConversationReferences } from '../services/notify/conversationReferences';
import { type RecentMessages, redactedEntry } from '../services/support/recentMessages';
import type { TicketChangeResult } from '../services/support/supportDesk';
import { SYSTEM_NOTES, type SupportService } from '../services/support/supportService';
import { supportChatKey } from '../services/support/ticketRecord';
import type { StationService } from '../services/stations/stationService';
import type { Understander } from '../services/understanding/understander';
import { referenceOf } from './dialogs/conversationReference';
import { choiceMessage } from './cards';
import type { BotStates, Handoff } from './state';
import { type Phrases, turnLanguage } from './turnLanguage';

export interface HumanHandoffDeps {
  phrases: Phrases;
  states: BotStates;
  support: SupportService;
  references: ConversationReferences;
  recentMessages: RecentMessages;
  understander: Understander;
  stations: Pick<StationService, 'localized'>;
}

/** What a turn is after the hand-off had its say: finished, go back to the question on screen, or start the journey again (the registration moved). */
export type HandoffTurn = 'pass' | 'done' | 'resume' | 'restart';

const BACK_TO_BOT = 'backToBot';
const HOW_LONG = 'howLong';
const REPLY = 'replyToSupport';
/** How many of the installer's latest stations a ticket shows. */
const TICKET_STATIONS = 10;
const BACK_TO_BOT_SCORE = 0.8;

/**
 * Human support in the chat: opens a ticket (context, recent transcript, Bot Framework
 * `handoff.initiate`), and while an agent owns the conversation (waiting in the queue or talking)
 * the installer's messages go to the ticket and the bot stays silent; "back to the bot" leaves.
 * Agent joined / replied / closed arrive through the notify path as events. A ticket the installer
 * was told would be answered by email (mode email) never takes the chat over: an agent's reply
 * shows as support's answer with the offer to answer it, and only the message after "svar Kari"
 * (mode answer) goes to the ticket.
 */
export class HumanHandoff {
  constructor(private readonly deps: HumanHandoffDeps) {}

  /** Opens a ticket for this conversation; true when the question on screen should be asked again. */
  async open(context: TurnContext, installer: Installer | undefined, region: Region | undefined): Promise<boolean> {
    const { phrases, states, support } = this.deps;
    const conversation = await states.conversationData.get(context, {});
    const current = conversation.handoff;
    if (current) {
      const ticket = await support.ticket(current.ticketId);
      if (ticket && ticket.status !== 'closed') {
        await phrases.send(context, 'support:stillOpen', { number: ticket.number });
        return true;
      }
    }
    const language: Language = turnLanguage(context) ?? installer?.language ?? 'nb';
    const recent = await this.deps.recentMessages.read({ channelId: context.activity.channelId, conversationId: context.activity.conversation.id });
    const asked = context.activity.type === ActivityTypes.Message && context.activity.text ? [redactedEntry('installer', context.activity.text)] : [];
    const transcript = [...recent, ...asked];
    const stations = installer ? await this.deps.stations.localized(installer.id) : [];
    const opened = await support.open({
      installerId: installer?.id,
      language,
      region: region ?? installer?.region,
      stage: installer?.stage ?? 'new',
      stageHistory: installer?.stageHistory ?? [],
      profile: profileOf(installer),
      stations: stations.length,
      stationList: stations.slice(-TICKET_STATIONS).map(({ mac, latitude, longitude, localizedAt }) => ({ mac, latitude, longitude, localizedAt })),
      transcript,
    });
    const { ticket } = opened;
    await this.deps.references.link(supportChatKey(ticket.id), referenceOf(context));
    const handoffContext = { ticketId: ticket.id, number: ticket.number, language, region: ticket.region, stage: ticket.stage };
    const activities = transcript.map((entry) => ({
      type: ActivityTypes.Message,
      timestamp: new Date(entry.at),
      from: { id: entry.from, name: entry.from, role: entry.from === 'installer' ? 'user' : 'bot' },
      text: entry.text,
    })) as unknown as Activity[];
    await sendHandoffEvent(context, EventFactory.createHandoffInitiation(context, handoffContext, { activities }));
    if (opened.outOfHours) {
      await this.setHandoff(context, { ticketId: ticket.id, number: ticket.number, mode: 'email' });
      await phrases.send(context, opened.emailKnown ? 'support:outOfHours' : 'support:outOfHoursNoEmail', { number: ticket.number });
      return true;
    }
    await this.setHandoff(context, { ticketId: ticket.id, number: ticket.number, mode: 'queue' });
    await phrases.send(context, 'support:queued', { number: ticket.number, position: Math.max(1, opened.position), minutes: opened.waitMinutes });
    return false;
  }

  /** Runs before the dialogs on every turn: support events, and the messages of a conversation an agent owns. */
  async turn(dc: DialogContext): Promise<HandoffTurn> {
    const context = dc.context;
    const notified = context.turnState.get(NOTIFY_TURN) as NotifyTurn | undefined;
    if (context.activity.type === ActivityTypes.Event && notified) return this.onEvent(context, notified);
    if (context.activity.type !== ActivityTypes.Message) return 'pass';
    const handoff = (await this.deps.states.conversationData.get(context, {})).handoff;
    if (!handoff) return 'pass';
    const text = context.activity.text ?? '';
    if (handoff.mode === 'email') return this.answersSupport(context, handoff, text);
    // the length cap comes first here too: a message longer than the assistant reads is neither understood nor passed on
    if (isTooLong(text)) {
      await this.deps.phrases.send(context, 'input:tooLong', { max: MAX_MESSAGE_LENGTH });
      return 'done';
    }
    const wants = await this.readWhileHandedOff(context, text, handoff.mode);
    if (wants === 'bot' && handoff.mode === 'answer') {
      // not answering after all: the chat stays the installer's, the ticket stays open
      await this.setHandoff(context, { ...handoff, mode: 'email' });
      await this.deps.phrases.send(context, 'support:answerCancelled');
      return handoff.restart ? 'restart' : 'resume';
    }
    if (wants === 'bot') {
      await this.deps.support.leave(handoff.ticketId);
      await this.setHandoff(context, undefined);
      await sendHandoffEvent(context, EventFactory.createHandoffStatus(context.activity.conversation, 'completed'));
      await this.deps.phrases.send(context, 'support:left');
      return handoff.restart ? 'restart' : 'resume';
    }
    const photos = photosOf(context.activity).length;
    let recorded: TicketChangeResult = { kind: 'ok' };
    if (text.trim()) recorded = await this.deps.support.record(handoff.ticketId, 'installer', text);
    // a photo is not passed on (support sees text only): the ticket says one came, the installer is told to describe it
    if (photos > 0 && recorded.kind === 'ok') {
      recorded = await this.deps.support.record(handoff.ticketId, 'system', SYSTEM_NOTES.photo);
      if (recorded.kind === 'ok') await this.deps.phrases.send(context, 'support:photoNotPassed');
    }
    if (recorded.kind === 'ok' && wants === 'howLong') {
      // "hvor lenge må jeg vente?" while waiting: the queue answers (support sees the question too)
      const wait = await this.deps.support.waitFor(handoff.ticketId);
      await this.deps.phrases.send(context, 'support:stillQueued', { position: Math.max(1, wait.position), minutes: wait.waitMinutes });
    }
    if (recorded.kind === 'ok' && handoff.mode === 'answer' && text.trim()) {
      // the one message that answers support's: sent, and the chat is the installer's again
      await this.setHandoff(context, { ...handoff, mode: 'email' });
      await this.deps.phrases.send(context, 'support:answerSent', { name: handoff.replyTo ?? '' });
      return handoff.restart ? 'restart' : 'resume';
    }
    if (recorded.kind === 'ok') return 'done';
    // the ticket was closed while this conversation did not hear of it: the bot answers again
    await this.setHandoff(context, undefined);
    if (handoff.mode !== 'answer') return 'pass';
    await this.deps.phrases.send(context, 'support:answerNotSent', { number: handoff.number });
    return 'resume';
  }

  /**
   * A message while support answers by email: the bot's, unless it says the installer wants to
   * answer support's last message ("svar Kari", the button under it); then the next message goes
   * to the ticket. Nothing else the installer writes reaches support (the chat was never handed over).
   */
  private async answersSupport(context: TurnContext, handoff: Handoff, text: string): Promise<HandoffTurn> {
    if (handoff.replyTo === undefined || !text.trim() || isTooLong(text)) return 'pass';
    const { phrases, understander } = this.deps;
    const language = turnLanguage(context) ?? 'nb';
    const reading = await understander.understand(text, { choices: [this.replyChoice(handoff.replyTo)] }, language);
    if (reading.kind !== 'answer' || reading.answer.kind !== 'choice' || reading.answer.value !== REPLY || reading.score < BACK_TO_BOT_SCORE) return 'pass';
    await this.setHandoff(context, { ...handoff, mode: 'answer' });
    await phrases.send(context, 'support:answerPrompt', { name: handoff.replyTo });
    return 'done';
  }

  /** "svar Kari" / "reply to Kari" (the button's label first), in both languages. */
  private replyChoice(name: string): Choice {
    const { translator } = this.deps.phrases;
    const phrases = (language: Language) => [translator.t(language, 'support:replyButton', { name }), ...translator.t(language, 'support:reply', { name }).split('|')];
    return { value: REPLY, utterances: { nb: phrases('nb'), en: phrases('en') } };
  }

  /** Support's answer to a ticket the installer was told would be answered by email (or later here), with the offer to answer it. */
  private async showAnswer(context: TurnContext, name: string, number: number, text: string, emailed: boolean): Promise<void> {
    const { phrases } = this.deps;
    const label = phrases.text(context, 'support:replyButton', { name });
    const lines = [
      phrases.text(context, 'support:agentAnswer', { name, number, text }),
      [...(emailed ? [phrases.text(context, 'support:agentAnswerEmailed')] : []), phrases.text(context, 'support:answerHow', { name, reply: label })].join(' '),
    ];
    await context.sendActivity(choiceMessage(context, phrases, lines.join('\n\n'), [label], { numbered: false }));
  }

  private async onEvent(context: TurnContext, notified: NotifyTurn): Promise<HandoffTurn> {
    const { phrases } = this.deps;
    const event = notified.event;
    const handoff = (await this.deps.states.conversationData.get(context, {})).handoff;
    // told "support answers by email": the installer's chat stays theirs (an agent accepting takes the ticket, not the chat)
    const ticketId = 'ticketId' in event ? event.ticketId : undefined;
    const later = handoff !== undefined && handoff.ticketId === ticketId && (handoff.mode === 'email' || handoff.mode === 'answer') ? handoff : undefined;
    switch (event.name) {
      case 'agentJoined':
        if (later) return 'done';
        await this.setHandoff(context, { ...(handoff ?? { number: 0 }), ticketId: event.ticketId, mode: 'agent' });
        await sendHandoffEvent(context, EventFactory.createHandoffStatus(context.activity.conversation, 'accepted'));
        await phrases.send(context, 'support:joined', { name: event.agentName });
        return 'done';
      case 'agentMessage': {
        const answer = event.answer;
        if (!answer || !(later || handoff === undefined)) {
          await phrases.send(context, 'support:agentSays', { name: event.agentName, text: event.text });
          return 'done';
        }
        // support's answer, which the installer may answer here ("svar Kari"); the chat stays theirs
        await this.setHandoff(context, { ...(later ?? { ticketId: event.ticketId, number: answer.number, mode: 'email' as const }), replyTo: event.agentName });
        await this.showAnswer(context, event.agentName, answer.number, event.text, answer.emailed);
        return 'done';
      }
      case 'handoffClosed':
        if (later) {
          // the bot was here all along: nothing to come back to
          await this.setHandoff(context, undefined);
          await sendHandoffEvent(context, EventFactory.createHandoffStatus(context.activity.conversation, 'completed'));
          await phrases.send(context, 'support:closedLater', { number: later.number });
          return later.restart ? 'restart' : 'done';
        }
        await this.setHandoff(context, undefined);
        await sendHandoffEvent(context, EventFactory.createHandoffStatus(context.activity.conversation, 'completed'));
        await phrases.send(context, 'support:closed');
        return handoff?.restart ? 'restart' : 'resume';
      case 'handoffByEmail': {
        if (handoff?.ticketId !== event.ticketId || handoff.mode !== 'queue') return 'done';
        await this.setHandoff(context, { ...handoff, mode: 'email' });
        await phrases.send(context, event.emailKnown ? 'support:noPickup' : 'support:noPickupNoEmail', { number: event.number });
        return handoff.restart ? 'restart' : 'resume';
      }
      case 'emailCorrected':
        // the registration now has another id: the journey is routed again (after the agent is done)
        if (handoff && handoff.mode !== 'email') {
          await this.setHandoff(context, { ...handoff, restart: true });
          return 'done';
        }
        return 'restart';
      default:
        return 'pass';
    }
  }

  /**
   * "back to the bot", however phrased, understood by the one understanding port. While still
   * waiting in the queue, "avbryt" / "never mind" (cancel) also ends the wait, and "how long do I
   * have to wait?" is answered by the queue; with an agent in the chat those words are for the agent.
   */
  private async readWhileHandedOff(context: TurnContext, text: string, mode: Exclude<Handoff['mode'], 'email'>): Promise<'bot' | 'howLong' | undefined> {
    if (!text.trim()) return undefined;
    // (about to answer support's message: "avbryt" / "tilbake til boten" means not answering after all)
    const waiting = mode !== 'agent';
    const { translator } = this.deps.phrases;
    const choiceOf = (value: string, key: string): Choice => ({ value, utterances: { nb: translator.t('nb', key).split('|'), en: translator.t('en', key).split('|') } });
    const choices = [choiceOf(BACK_TO_BOT, 'support:backToBot'), ...(mode === 'queue' ? [choiceOf(HOW_LONG, 'support:howLong')] : [])];
    const reading = await this.deps.understander.understand(text, { choices }, turnLanguage(context) ?? 'nb');
    if (reading.kind === 'none' || reading.score < BACK_TO_BOT_SCORE) return undefined;
    if (reading.kind === 'answer' && reading.answer.kind === 'choice') return reading.answer.value === BACK_TO_BOT ? 'bot' : reading.answer.value === HOW_LONG ? 'howLong' : undefined;
    return waiting && reading.kind === 'intent' && reading.intent === 'cancel' ? 'bot' : undefined;
  }

  private async setHandoff(context: TurnContext, handoff: Handoff | undefined): Promise<void> {
    const conversation = await this.deps.states.conversationData.get(context, {});
    conversation.handoff = handoff;
    await this.deps.states.conversationData.set(context, conversation);
  }
}

/**
 * The Bot Framework hand-off events are for channels that route conversations to agents; a channel
 * that refuses event activities must not cost the installer the turn (what they see follows).
 */
async function sendHandoffEvent(context: TurnContext, event: Partial<Activity>): Promise<void> {
  try {
    await context.sendActivity(event);
  } catch {
    // the messages the installer reads come next and fail on their own if the chat is gone
  }
}

/** The profile fields support sees (whatever the record holds as text; never a password). */
function profileOf(installer: Installer | undefined): Record<string, string> | undefined {
  const profile: unknown = installer ? Reflect.get(installer, 'profile') : undefined;
  if (!profile || typeof profile !== 'object') return undefined;
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(profile)) if (typeof value === 'string' && !/password/i.test(key)) fields[key] = value;
  return fields;
}
