import type { Language } from '../../domain/language';
import type { Region, Stage } from '../../domain/journey';
import type { StageEntry } from '../../domain/journeyTransitions';

/** waiting: in the queue; active: an agent accepted it; closed: done (kept for statistics). */
export type TicketStatus = 'waiting' | 'active' | 'closed';

/** A support agent, as the console knows them (accounts created by `npm run agent:add`). */
export interface Agent {
  id: string;
  /** Shown to the installer: "Kari has joined". */
  firstName: string;
}

export interface TicketSummary {
  id: string;
  /** Human-friendly number for emails and the phone ("#1042"). */
  number: number;
  status: TicketStatus;
  language: Language;
  region?: Region;
  /** The installer's email, masked (k***@firma.no); never the full address. */
  maskedEmail?: string;
  stage: Stage;
  createdAt: string;
  /** When it (re-)entered the queue; the console shows the waiting time from it. */
  waitingSince: string;
  agent?: Agent;
  closedAt?: string;
  /** The installer was told support answers by email (outside support hours, or nobody picked up in time): replies go by email too. */
  byEmail?: { at: string; reason: 'outOfHours' | 'noPickup' };
  /** What the installer wrote last (redacted, as on the ticket): the queue shows it, so the urgent one is picked first. */
  lastMessage?: { at: string; text: string };
}

/** A localized station as support sees it: which charger, where, when. */
export interface TicketStation {
  mac: string;
  latitude: number;
  longitude: number;
  localizedAt: string;
}

export interface TranscriptEntry {
  at: string;
  from: 'installer' | 'bot' | 'agent' | 'system';
  /** Redacted: emails masked, link tokens and password-like text removed. */
  text: string;
  agentName?: string;
}

/** The installer's last message of a transcript (for TicketSummary.lastMessage), or undefined when they wrote nothing. */
export function lastInstallerMessage(transcript: readonly TranscriptEntry[]): TicketSummary['lastMessage'] {
  for (let i = transcript.length - 1; i >= 0; i--) {
    const entry = transcript[i]!;
    if (entry.from === 'installer') return { at: entry.at, text: entry.text };
  }
  return undefined;
}

export type AgentActionKind = 'resendConfirmation' | 'newPasswordLink' | 'correctEmail';

export interface TicketAction {
  at: string;
  agent: Agent;
  kind: AgentActionKind | 'accepted' | 'closed' | 'replied';
  /** What came of it, e.g. "sent", "limited", "not_needed" (no personal data). */
  outcome: string;
}

export interface TicketDetail extends TicketSummary {
  context: {
    stageHistory: StageEntry[];
    /** Profile fields as shown to the agent (no password; phone and names are fine for support). */
    profile?: Record<string, string>;
    /** How many stations the installer has localized (kept when the ticket is anonymised). */
    stations: number;
    /** The latest of them, newest last (gone when the ticket is anonymised). */
    stationList?: TicketStation[];
  };
  transcript: TranscriptEntry[];
  actions: TicketAction[];
}

export type AcceptResult = { kind: 'accepted' } | { kind: 'taken'; by: Agent } | { kind: 'closed' } | { kind: 'missing' };
export type TicketChangeResult = { kind: 'ok' } | { kind: 'closed' } | { kind: 'missing' } | { kind: 'not_yours' };

/** A change the console shows without reload (server-sent events). */
export interface TicketChange {
  ticketId: string;
  kind: 'created' | 'message' | 'accepted' | 'closed' | 'action';
}

/**
 * What the agent console works with. Tickets, queue and transcripts live in the store, so two
 * instances show the same queue; accept is a conditional write, so of two agents one wins.
 */
export interface SupportDesk {
  /** Open tickets (waiting first, oldest first, then active). */
  queue(): Promise<TicketSummary[]>;
  ticket(id: string): Promise<TicketDetail | undefined>;
  accept(id: string, agent: Agent): Promise<AcceptResult>;
  reply(id: string, agent: Agent, text: string): Promise<TicketChangeResult>;
  close(id: string, agent: Agent): Promise<TicketChangeResult>;
  /** Resend the confirmation email, send a new password link, or correct the email address (`value` = the new address). */
  act(id: string, agent: Agent, kind: AgentActionKind, value?: string): Promise<TicketChangeResult & { outcome?: string }>;
  /** Calls `listener` on every change (of any instance sharing the store); returns the unsubscribe. */
  subscribe(listener: (change: TicketChange) => void): () => void;
}
