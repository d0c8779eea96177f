import type { Language } from '../../src/domain/language';
import type { Region, Stage } from '../../src/domain/journey';
import type {
  AcceptResult,
  Agent,
  AgentActionKind,
  SupportDesk,
  TicketChange,
  TicketChangeResult,
  TicketDetail,
  TicketSummary,
} from '../../src/services/support/supportDesk';
import { lastInstallerMessage } from '../../src/services/support/supportDesk';

/**
 * A TEST DOUBLE of the SupportDesk port, in memory, for the agent console's web tests only: it
 * keeps tickets, applies accept/reply/close/act by the port's rules (one agent owns a ticket, a
 * closed ticket takes nothing) and reports every change to subscribers. It sends nothing to any
 * chat and no email; the real service (src/services/support) is tested end to end on its own.
 */
export class FakeSupportDesk implements SupportDesk {
  readonly tickets = new Map<string, TicketDetail>();
  /** Every call the console made, in order (what a test asserts the buttons did). */
  readonly calls: Array<{ method: string; id: string; agent: string; kind?: AgentActionKind; value?: string; text?: string }> = [];
  private readonly listeners = new Set<(change: TicketChange) => void>();
  private nextNumber = 1001;
  /** What the next actions come to ("not_needed", "taken" …), in order; else "sent" ("corrected" for a new address). */
  readonly nextOutcomes: string[] = [];

  /** A waiting installer's ticket. */
  open(input: {
    language: Language;
    region?: Region;
    stage?: Stage;
    maskedEmail?: string;
    waitingMinutes?: number;
    firstMessage?: string;
    profile?: Record<string, string>;
    /** The installer was told support answers by email (or, without an address, later in the chat). */
    byEmail?: 'outOfHours' | 'noPickup';
  }): TicketDetail {
    const number = this.nextNumber++;
    const id = `t${number}`;
    const since = new Date(Date.now() - (input.waitingMinutes ?? 0) * 60_000).toISOString();
    const stage = input.stage ?? 'registered';
    const ticket: TicketDetail = {
      id,
      number,
      status: 'waiting',
      language: input.language,
      region: input.region,
      maskedEmail: input.maskedEmail,
      stage,
      createdAt: since,
      waitingSince: since,
      context: {
        stageHistory: [
          { stage: 'new', at: since },
          ...(stage === 'new' ? [] : [{ stage, at: since, event: 'passwordSet' as const }]),
        ],
        profile: input.profile,
        stations: 0,
      },
      transcript: input.firstMessage ? [{ at: since, from: 'installer', text: input.firstMessage }] : [],
      actions: [],
      ...(input.byEmail ? { byEmail: { at: since, reason: input.byEmail } } : {}),
    };
    this.tickets.set(id, ticket);
    this.emit({ ticketId: id, kind: 'created' });
    return ticket;
  }

  /** The installer writes while waiting or talking with an agent. */
  installerSays(id: string, text: string): void {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    ticket.transcript.push({ at: new Date().toISOString(), from: 'installer', text });
    this.emit({ ticketId: id, kind: 'message' });
  }

  /** The installer goes back to the bot: the ticket closes (as SupportService.leave). */
  installerLeaves(id: string): void {
    const ticket = this.tickets.get(id);
    if (!ticket) throw new Error(`no ticket ${id}`);
    ticket.status = 'closed';
    ticket.closedAt = new Date().toISOString();
    ticket.transcript.push({ at: ticket.closedAt, from: 'system', text: 'support:system.installerLeft' });
    this.emit({ ticketId: id, kind: 'closed' });
  }

  subscriberCount(): number {
    return this.listeners.size;
  }

  async queue(): Promise<TicketSummary[]> {
    const open = [...this.tickets.values()].filter((t) => t.status !== 'closed');
    const rank = (t: TicketSummary) => (t.status === 'waiting' ? 0 : 1);
    return open.sort((a, b) => rank(a) - rank(b) || a.waitingSince.localeCompare(b.waitingSince)).map((t) => this.summary(t));
  }

  async ticket(id: string): Promise<TicketDetail | undefined> {
    const ticket = this.tickets.get(id);
    return ticket ? structuredClone(ticket) : undefined;
  }

  async accept(id: string, agent: Agent): Promise<AcceptResult> {
    this.calls.push({ method: 'accept', id, agent: agent.firstName });
    const ticket = this.tickets.get(id);
    if (!ticket) return { kind: 'missing' };
    if (ticket.status === 'closed') return { kind: 'closed' };
    if (ticket.agent) return { kind: 'taken', by: ticket.agent };
    ticket.status = 'active';
    ticket.agent = agent;
    this.record(ticket, agent, 'accepted', 'ok');
    ticket.transcript.push({ at: new Date().toISOString(), from: 'system', text: `${agent.firstName} joined` });
    this.emit({ ticketId: id, kind: 'accepted' });
    return { kind: 'accepted' };
  }

  async reply(id: string, agent: Agent, text: string): Promise<TicketChangeResult> {
    this.calls.push({ method: 'reply', id, agent: agent.firstName, text });
    const refused = this.refusal(id, agent);
    if (refused) return refused;
    const ticket = this.tickets.get(id)!;
    ticket.transcript.push({ at: new Date().toISOString(), from: 'agent', agentName: agent.firstName, text });
    this.emit({ ticketId: id, kind: 'message' });
    return { kind: 'ok' };
  }

  async close(id: string, agent: Agent): Promise<TicketChangeResult> {
    this.calls.push({ method: 'close', id, agent: agent.firstName });
    const refused = this.refusal(id, agent);
    if (refused) return refused;
    const ticket = this.tickets.get(id)!;
    ticket.status = 'closed';
    ticket.closedAt = new Date().toISOString();
    this.record(ticket, agent, 'closed', 'ok');
    this.emit({ ticketId: id, kind: 'closed' });
    return { kind: 'ok' };
  }

  async act(id: string, agent: Agent, kind: AgentActionKind, value?: string): Promise<TicketChangeResult & { outcome?: string }> {
    this.calls.push({ method: 'act', id, agent: agent.firstName, kind, value });
    const refused = this.refusal(id, agent);
    if (refused) return refused;
    const ticket = this.tickets.get(id)!;
    const outcome = this.nextOutcomes.shift() ?? (kind === 'correctEmail' ? 'corrected' : 'sent');
    this.record(ticket, agent, kind, outcome);
    this.emit({ ticketId: id, kind: 'action' });
    return { kind: 'ok', outcome };
  }

  subscribe(listener: (change: TicketChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private summary(ticket: TicketDetail): TicketSummary {
    const { context: _context, transcript, actions: _actions, ...summary } = ticket;
    const lastMessage = lastInstallerMessage(transcript);
    return structuredClone({ ...summary, ...(lastMessage ? { lastMessage } : {}) });
  }

  /** As the real service: only the agent who accepted a ticket may reply, act or close (a waiting ticket is nobody's yet). */
  private refusal(id: string, agent: Agent): TicketChangeResult | undefined {
    const ticket = this.tickets.get(id);
    if (!ticket) return { kind: 'missing' };
    if (ticket.status === 'closed') return { kind: 'closed' };
    if (ticket.status !== 'active' || ticket.agent?.id !== agent.id) return { kind: 'not_yours' };
    return undefined;
  }

  private record(ticket: TicketDetail, agent: Agent, kind: TicketDetail['actions'][number]['kind'], outcome: string): void {
    ticket.actions.push({ at: new Date().toISOString(), agent, kind, outcome });
  }

  private emit(change: TicketChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
