import { randomUUID } from 'node:crypto';
import type { Region, Stage } from '../../domain/journey';
import type { StageEntry } from '../../domain/journeyTransitions';
import type { Language } from '../../domain/language';
import { maskEmail } from '../../domain/email';
import { isSupportOpen, type SupportHours } from '../../domain/supportHours';
import type { Logger } from '../../logger';
import type { InstallerRepository } from '../installers/installerRepository';
import type { Mailer, OutgoingMail } from '../mail/mailer';
import type { NotifyEvent } from '../notify/events';
import { type DocumentStore, isEtagConflict, updateDocument } from '../store/documentStore';
import { indexMembers } from '../store/legacyList';
import { redactedEntry } from './recentMessages';
import {
  type AcceptResult,
  type Agent,
  type AgentActionKind,
  type SupportDesk,
  type TicketAction,
  type TicketChange,
  type TicketChangeResult,
  type TicketDetail,
  type TicketStation,
  type TicketSummary,
  type TranscriptEntry,
  lastInstallerMessage,
} from './supportDesk';
import { TicketChanges } from './ticketChanges';
import { SupportMails } from './supportMails';
import { SYSTEM_NOTES } from './systemNotes';

export { SYSTEM_NOTES };
import {
  installerTicketsKey,
  NUMBER_KEY,
  OPEN_KEY,
  ownerKey,
  type StoredTicket,
  STATS_KEY,
  supportChatKey,
  TICKET_TRANSCRIPT_LIMIT,
  ticketKey,
  type TicketOwner,
} from './ticketRecord';

/** What the agent's actions ask of the registration service (RegistrationService implements it). */
export interface SupportAccountActions {
  resendConfirmation(installerId: string): Promise<{ kind: string }>;
  sendPasswordLink(installerId: string): Promise<{ kind: string }>;
  /** Moves the registration to another address; `installerId` is the new id when it moved. */
  correctEmail(installerId: string, email: string): Promise<{ kind: string; installerId?: string }>;
}

/** The one proactive path (Notifier.notify), by a notify key. */
export type SupportNotify = (key: string, event: NotifyEvent, fallback?: OutgoingMail) => Promise<unknown>;

export interface SupportServiceDeps {
  store: DocumentStore;
  mailer: Mailer;
  installers: InstallerRepository;
  account: SupportAccountActions;
  notify: SupportNotify;
  /** Forgets the conversation a notify key reaches (ConversationReferences.forget): a closed ticket reaches no chat. */
  forgetChat: (key: string) => Promise<void>;
  logger: Logger;
  publicUrl: string;
  /** Gets an email per new ticket (SUPPORT_EMAIL); unset: none. */
  supportEmail?: string;
  hours: SupportHours;
  /** Nobody accepted within this → the installer is told support answers by email. */
  pickupMinutes: number;
  /** How often an instance looks for other instances' changes and overdue pickups. */
  pollMs?: number;
  now?: () => Date;
}

/** What the bot knows when the installer asks for a person. */
export interface OpenTicketRequest {
  installerId?: string;
  language: Language;
  region?: Region;
  stage: Stage;
  stageHistory: StageEntry[];
  profile?: Record<string, string>;
  stations: number;
  /** The latest stations localized, newest last. */
  stationList?: TicketStation[];
  /** The recent messages, redacted (RecentMessages). */
  transcript: TranscriptEntry[];
}

export interface OpenedTicket {
  ticket: TicketSummary;
  /** 1 = next in line. */
  position: number;
  /** The expected wait in minutes. */
  waitMinutes: number;
  /** Outside support hours: support answers by email (when the installer's address is known). */
  outOfHours: boolean;
  /** Whether the installer has an address an answer by email can go to. */
  emailKnown: boolean;
}

interface Stats {
  /** Moving average of how long accepted tickets waited, in minutes. */
  averageWaitMinutes: number;
}

const SUMMARY_FIELDS = ['id', 'number', 'status', 'language', 'region', 'maskedEmail', 'stage', 'createdAt', 'waitingSince', 'agent', 'closedAt', 'byEmail'] as const;

function summaryOf(ticket: StoredTicket): TicketSummary {
  const summary: Record<string, unknown> = {};
  for (const field of SUMMARY_FIELDS) if (ticket[field] !== undefined) summary[field] = ticket[field];
  const lastMessage = lastInstallerMessage(ticket.transcript);
  if (lastMessage) summary.lastMessage = lastMessage;
  return summary as unknown as TicketSummary;
}

function detailOf(ticket: StoredTicket): TicketDetail {
  return { ...summaryOf(ticket), context: ticket.context, transcript: ticket.transcript, actions: ticket.actions };
}

/**
 * Human support: tickets, the queue and transcripts in the store (every instance sharing it sees
 * the same), the agent console's port (SupportDesk) and what the bot asks of it. Whatever reaches
 * the installer goes through the one proactive path, keyed by the ticket's conversation.
 */
export class SupportService implements SupportDesk {
  readonly changes: TicketChanges;
  private readonly mails: SupportMails;
  private readonly now: () => Date;
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;

  constructor(private readonly deps: SupportServiceDeps) {
    this.changes = new TicketChanges(deps.store, deps.logger);
    this.mails = new SupportMails(deps);
    this.now = deps.now ?? (() => new Date());
  }

  // ---- the installer's side (the bot) ----

  async open(request: OpenTicketRequest): Promise<OpenedTicket> {
    const at = this.now();
    const id = randomUUID();
    const number = (await updateDocument<{ next: number }>(this.deps.store, NUMBER_KEY, (current) => ({ next: (current?.next ?? 1000) + 1 })))!.next;
    const installer = request.installerId ? await this.deps.installers.get(request.installerId) : undefined;
    const outOfHours = !isSupportOpen(this.deps.hours, request.region, at);
    const ticket: StoredTicket = {
      id,
      number,
      status: 'waiting',
      language: request.language,
      ...(request.region ? { region: request.region } : {}),
      ...(installer ? { maskedEmail: maskEmail(installer.email) } : {}),
      stage: request.stage,
      createdAt: at.toISOString(),
      waitingSince: at.toISOString(),
      context: {
        stageHistory: request.stageHistory,
        ...(request.profile ? { profile: request.profile } : {}),
        stations: request.stations,
        ...(request.stationList && request.stationList.length > 0 ? { stationList: request.stationList } : {}),
      },
      transcript: [...request.transcript, ...(outOfHours ? [{ at: at.toISOString(), from: 'system' as const, text: SYSTEM_NOTES.outOfHours }] : [])].slice(-TICKET_TRANSCRIPT_LIMIT),
      actions: [],
      chatKey: supportChatKey(id),
      ...(outOfHours
        ? { byEmail: { at: at.toISOString(), reason: 'outOfHours' as const } }
        : { pickupBy: new Date(at.getTime() + this.deps.pickupMinutes * 60_000).toISOString() }),
    };
    await this.deps.store.put(ticketKey(id), ticket);
    if (installer) {
      await this.deps.store.put<TicketOwner>(ownerKey(id), { installerId: installer.id });
      await this.deps.store.addToSet(installerTicketsKey(installer.id), [id]);
    }
    await this.deps.store.addToSet(OPEN_KEY, [id]);
    await this.mails.newTicket(ticket);
    if (outOfHours && installer) await this.mails.byEmail(ticket, installer.id);
    await this.changes.publish({ ticketId: id, kind: 'created' });
    this.deps.logger.info({ ticket: number, region: request.region, stage: request.stage, outOfHours }, 'support ticket opened');
    return { ticket: summaryOf(ticket), ...(await this.waitFor(id)), outOfHours, emailKnown: installer !== undefined };
  }

  /** Where a waiting ticket stands: its place in the queue (0 when not waiting) and about how many minutes until an agent picks it up. */
  async waitFor(ticketId: string): Promise<{ position: number; waitMinutes: number }> {
    const position = await this.position(ticketId);
    const average = (await this.deps.store.get<Stats>(STATS_KEY))?.value.averageWaitMinutes ?? this.deps.pickupMinutes / 2;
    return { position, waitMinutes: Math.max(1, Math.min(Math.ceil(this.deps.pickupMinutes), Math.ceil(average * position))) };
  }

  /** Place in the queue (1 = next), in the console's order (longest waiting first); 0 when the ticket is not waiting. */
  async position(ticketId: string): Promise<number> {
    const waiting = (await this.queue()).filter((t) => t.status === 'waiting');
    const index = waiting.findIndex((t) => t.id === ticketId);
    return index + 1;
  }

  /** A message of the installer's (or a note of the bot's) while the ticket is open: redacted onto the ticket. */
  async record(ticketId: string, from: 'installer' | 'system', text: string): Promise<TicketChangeResult> {
    const result = await this.change(ticketId, (ticket) => ({ ...ticket, transcript: [...ticket.transcript, redactedEntry(from, text, this.now().toISOString())].slice(-TICKET_TRANSCRIPT_LIMIT) }));
    if (result.kind === 'ok') await this.changes.publish({ ticketId, kind: 'message' });
    return result;
  }

  /** The installer went back to the bot: the ticket closes (an agent who had it sees that). */
  async leave(ticketId: string): Promise<TicketChangeResult> {
    const at = this.now().toISOString();
    const result = await this.change(ticketId, (ticket) => ({
      ...ticket,
      status: 'closed',
      closedAt: at,
      transcript: [...ticket.transcript, { at, from: 'system' as const, text: SYSTEM_NOTES.installerLeft }].slice(-TICKET_TRANSCRIPT_LIMIT),
    }));
    if (result.kind === 'ok') {
      await this.closed(ticketId);
      await this.deps.forgetChat(supportChatKey(ticketId));
    }
    return result;
  }

  /**
   * "Delete my data": the installer's tickets stay for statistics, with nothing that identifies
   * them; one still open is closed (nobody is left to answer: the chat and the address are gone).
   */
  async anonymise(installerId: string): Promise<void> {
    const ids = await indexMembers(this.deps.store, installerTicketsKey(installerId));
    const at = this.now().toISOString();
    for (const id of ids) {
      let wasOpen = false;
      await updateDocument<StoredTicket>(this.deps.store, ticketKey(id), (ticket) => {
        if (!ticket) return undefined;
        wasOpen = ticket.status !== 'closed';
        return {
          ...ticket,
          maskedEmail: undefined,
          context: { stageHistory: ticket.context.stageHistory, stations: ticket.context.stations },
          transcript: [],
          anonymised: true,
          ...(wasOpen ? { status: 'closed' as const, closedAt: at } : {}),
        };
      });
      if (wasOpen) await this.closed(id);
      await this.deps.store.delete(ownerKey(id));
      await this.deps.forgetChat(supportChatKey(id));
    }
    // the set and the key it was folded from name the installer: neither stays behind
    await this.deps.store.removeFromSet(installerTicketsKey(installerId), ids);
    await this.deps.store.delete(installerTicketsKey(installerId));
  }

  /**
   * Support corrected the email address (the installer id): the installer's tickets are filed under
   * the new id (so "delete my data" of the new id anonymises them) and show the new address, masked.
   */
  async moveTickets(fromId: string, installer: { id: string; email: string }): Promise<void> {
    const ids = await indexMembers(this.deps.store, installerTicketsKey(fromId));
    for (const id of ids) {
      await this.deps.store.put<TicketOwner>(ownerKey(id), { installerId: installer.id });
      await updateDocument<StoredTicket>(this.deps.store, ticketKey(id), (ticket) => (ticket && !ticket.anonymised ? { ...ticket, maskedEmail: maskEmail(installer.email) } : undefined));
    }
    await this.deps.store.addToSet(installerTicketsKey(installer.id), ids);
    await this.deps.store.removeFromSet(installerTicketsKey(fromId), ids);
    await this.deps.store.delete(installerTicketsKey(fromId));
  }

  // ---- the agent console (SupportDesk) ----

  async queue(): Promise<TicketSummary[]> {
    const open = await this.openTickets();
    const rank = (t: StoredTicket) => (t.status === 'waiting' ? 0 : 1);
    return open.sort((a, b) => rank(a) - rank(b) || a.waitingSince.localeCompare(b.waitingSince)).map(summaryOf);
  }

  async ticket(id: string): Promise<TicketDetail | undefined> {
    const stored = (await this.deps.store.get<StoredTicket>(ticketKey(id)))?.value;
    return stored ? detailOf(stored) : undefined;
  }

  async accept(id: string, agent: Agent): Promise<AcceptResult> {
    for (let attempt = 1; attempt <= 10; attempt++) {
      const current = await this.deps.store.get<StoredTicket>(ticketKey(id));
      if (!current) return { kind: 'missing' };
      const ticket = current.value;
      if (ticket.status === 'closed') return { kind: 'closed' };
      if (ticket.status === 'active' && ticket.agent) return ticket.agent.id === agent.id ? { kind: 'accepted' } : { kind: 'taken', by: ticket.agent };
      const at = this.now();
      // told "support answers by email" (or later in the chat): accepting takes the ticket, not the chat (see reply)
      const later = ticket.byEmail !== undefined;
      const accepted: StoredTicket = {
        ...ticket,
        status: 'active',
        agent,
        actions: [...ticket.actions, this.action(agent, 'accepted', 'ok')],
        transcript: [...ticket.transcript, { at: at.toISOString(), from: 'system' as const, text: later ? SYSTEM_NOTES.agentTookLater : SYSTEM_NOTES.agentJoined, agentName: agent.firstName }].slice(
          -TICKET_TRANSCRIPT_LIMIT,
        ),
      };
      try {
        // the conditional write: of two agents accepting at once, one write wins and the other reads it taken
        await this.deps.store.put(ticketKey(id), accepted, { etag: current.etag });
      } catch (error) {
        if (isEtagConflict(error)) continue;
        throw error;
      }
      await this.recordWait((at.getTime() - Date.parse(ticket.waitingSince)) / 60_000);
      await this.changes.publish({ ticketId: id, kind: 'accepted' });
      if (!later) await this.deps.notify(ticket.chatKey, { name: 'agentJoined', ticketId: id, agentName: agent.firstName });
      return { kind: 'accepted' };
    }
    return { kind: 'missing' };
  }

  async reply(id: string, agent: Agent, text: string): Promise<TicketChangeResult> {
    const entry = redactedEntry('agent', text, this.now().toISOString(), agent.firstName);
    const result = await this.change(id, (ticket) => ({ ...ticket, transcript: [...ticket.transcript, entry].slice(-TICKET_TRANSCRIPT_LIMIT), actions: [...ticket.actions, this.action(agent, 'replied', 'sent')] }), agent);
    if (result.kind !== 'ok') return result;
    await this.changes.publish({ ticketId: id, kind: 'message' });
    const ticket = (await this.deps.store.get<StoredTicket>(ticketKey(id)))?.value;
    if (!ticket) return { kind: 'missing' };
    const owner = (await this.deps.store.get<TicketOwner>(ownerKey(id)))?.value;
    const installer = owner ? await this.deps.installers.get(owner.installerId) : undefined;
    const mail = installer ? this.mails.reply(ticket, installer.email, agent.firstName, text) : undefined;
    // told "support answers by email": the answer goes by email (the chat may be long closed), and to the chat as well,
    // as support's answer the installer may answer there (the chat is not taken over)
    if (ticket.byEmail && mail) await this.deps.mailer.enqueue(mail);
    const answer = ticket.byEmail ? { answer: { number: ticket.number, emailed: mail !== undefined } } : {};
    await this.deps.notify(ticket.chatKey, { name: 'agentMessage', ticketId: id, agentName: agent.firstName, text, ...answer }, ticket.byEmail ? undefined : mail);
    return result;
  }

  async close(id: string, agent: Agent): Promise<TicketChangeResult> {
    const at = this.now().toISOString();
    const result = await this.change(id, (ticket) => ({ ...ticket, status: 'closed', closedAt: at, actions: [...ticket.actions, this.action(agent, 'closed', 'ok')] }), agent);
    if (result.kind !== 'ok') return result;
    await this.closed(id);
    const ticket = (await this.deps.store.get<StoredTicket>(ticketKey(id)))?.value;
    if (ticket) {
      await this.deps.notify(ticket.chatKey, { name: 'handoffClosed', ticketId: id });
      await this.deps.forgetChat(ticket.chatKey);
    }
    return result;
  }

  async act(id: string, agent: Agent, kind: AgentActionKind, value?: string): Promise<TicketChangeResult & { outcome?: string }> {
    const current = (await this.deps.store.get<StoredTicket>(ticketKey(id)))?.value;
    if (!current) return { kind: 'missing' };
    if (current.status === 'closed') return { kind: 'closed' };
    if (current.status !== 'active' || current.agent?.id !== agent.id) return { kind: 'not_yours' };
    const owner = (await this.deps.store.get<TicketOwner>(ownerKey(id)))?.value;
    let outcome = 'no_registration';
    if (owner) {
      const { account } = this.deps;
      if (kind === 'resendConfirmation') outcome = (await account.resendConfirmation(owner.installerId)).kind;
      else if (kind === 'newPasswordLink') outcome = (await account.sendPasswordLink(owner.installerId)).kind;
      else {
        // a registration that moved takes its tickets along (moveTickets, run by the registration's moves)
        outcome = (await account.correctEmail(owner.installerId, value ?? '')).kind;
      }
    }
    const installer = owner ? await this.ownerInstaller(id) : undefined;
    const result = await this.change(id, (ticket) => ({
      ...ticket,
      ...(installer ? { maskedEmail: maskEmail(installer.email) } : {}),
      actions: [...ticket.actions, this.action(agent, kind, outcome)],
    }));
    if (result.kind === 'ok') await this.changes.publish({ ticketId: id, kind: 'action' });
    return { ...result, outcome };
  }

  subscribe(listener: (change: TicketChange) => void): () => void {
    return this.changes.subscribe(listener);
  }

  // ---- background: other instances' changes, overdue pickups ----

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ticking ??= this.tick()
        .catch((error: unknown) => this.deps.logger.warn({ err: error instanceof Error ? error.name : 'error' }, 'support poll failed'))
        .finally(() => (this.ticking = undefined));
    }, this.deps.pollMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
  }

  /** One round: emit other instances' changes, then tell installers nobody picked up in time. */
  async tick(): Promise<void> {
    await this.changes.poll();
    const now = this.now();
    for (const ticket of await this.openTickets()) {
      if (ticket.status !== 'waiting' || ticket.byEmail || !ticket.pickupBy || Date.parse(ticket.pickupBy) > now.getTime()) continue;
      await this.pickupMissed(ticket.id, now);
    }
  }

  private async pickupMissed(id: string, now: Date): Promise<void> {
    const current = await this.deps.store.get<StoredTicket>(ticketKey(id));
    if (!current || current.value.status !== 'waiting' || current.value.byEmail) return;
    const note = { at: now.toISOString(), from: 'system' as const, text: SYSTEM_NOTES.noPickup };
    const ticket: StoredTicket = { ...current.value, byEmail: { at: now.toISOString(), reason: 'noPickup' }, transcript: [...current.value.transcript, note].slice(-TICKET_TRANSCRIPT_LIMIT) };
    try {
      // one instance wins this write and tells the installer once
      await this.deps.store.put(ticketKey(id), ticket, { etag: current.etag });
    } catch (error) {
      if (isEtagConflict(error)) return;
      throw error;
    }
    const owner = (await this.deps.store.get<TicketOwner>(ownerKey(id)))?.value;
    if (owner) await this.mails.byEmail(ticket, owner.installerId);
    await this.changes.publish({ ticketId: id, kind: 'action' });
    await this.deps.notify(ticket.chatKey, { name: 'handoffByEmail', ticketId: id, number: ticket.number, emailKnown: owner !== undefined });
  }

  // ---- helpers ----

  private async openTickets(): Promise<StoredTicket[]> {
    const ids = await indexMembers(this.deps.store, OPEN_KEY);
    const tickets = await Promise.all(ids.map(async (id) => (await this.deps.store.get<StoredTicket>(ticketKey(id)))?.value));
    return tickets.filter((t): t is StoredTicket => t !== undefined && t.status !== 'closed');
  }

  /** Changes an open ticket (for an agent: only the one who accepted it). */
  private async change(id: string, change: (ticket: StoredTicket) => StoredTicket, agent?: Agent): Promise<TicketChangeResult> {
    let result: TicketChangeResult = { kind: 'missing' };
    await updateDocument<StoredTicket>(this.deps.store, ticketKey(id), (ticket) => {
      if (!ticket) return (result = { kind: 'missing' }), undefined;
      if (ticket.status === 'closed') return (result = { kind: 'closed' }), undefined;
      if (agent && (ticket.status !== 'active' || ticket.agent?.id !== agent.id)) return (result = { kind: 'not_yours' }), undefined;
      result = { kind: 'ok' };
      return change(ticket);
    });
    return result;
  }

  private async closed(id: string): Promise<void> {
    await this.deps.store.removeFromSet(OPEN_KEY, [id]);
    await this.changes.publish({ ticketId: id, kind: 'closed' });
  }

  private action(agent: Agent, kind: TicketAction['kind'], outcome: string): TicketAction {
    return { at: this.now().toISOString(), agent, kind, outcome };
  }

  private async recordWait(minutes: number): Promise<void> {
    await updateDocument<Stats>(this.deps.store, STATS_KEY, (current) => ({
      averageWaitMinutes: current ? current.averageWaitMinutes * 0.8 + minutes * 0.2 : minutes,
    }));
  }

  private async ownerInstaller(id: string) {
    const owner = (await this.deps.store.get<TicketOwner>(ownerKey(id)))?.value;
    return owner ? this.deps.installers.get(owner.installerId) : undefined;
  }

}
