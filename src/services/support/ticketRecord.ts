import type { TicketDetail } from './supportDesk';

/** How many transcript lines a ticket keeps (the oldest go first). */
export const TICKET_TRANSCRIPT_LIMIT = 300;

/**
 * A ticket as stored: what the console sees, plus what the service needs to reach the chat.
 * It holds no full email address: who the installer is lives in a separate owner document
 * (deleted when the installer's data is), so an anonymised ticket is simply one without it.
 */
export interface StoredTicket extends TicketDetail {
  /** The notify key of the conversation that opened the ticket (see supportChatKey). */
  chatKey: string;
  /** When nobody has accepted by then, the installer is told support answers by email. */
  pickupBy?: string;
  /** The installer's data was deleted: the ticket is kept for statistics only. */
  anonymised?: boolean;
}

/** Who the ticket belongs to (kept apart from the ticket: the installer id is their email). */
export interface TicketOwner {
  installerId: string;
}

const NOTIFY_PREFIX = 'support-ticket:';

/** The key the notify path reaches a ticket's conversation by (the chat that asked for a person). */
export function supportChatKey(ticketId: string): string {
  return NOTIFY_PREFIX + ticketId;
}

/** Whether a notify key is a ticket's (not an installer's): such a turn links no installer. */
export function isSupportChatKey(key: string): boolean {
  return key.startsWith(NOTIFY_PREFIX);
}

export const ticketKey = (id: string) => `support/tickets/${id}`;
export const ownerKey = (id: string) => `support/ticket-owners/${id}`;
/** A set (DocumentStore addToSet) of the installer's ticket ids. */
export const installerTicketsKey = (installerId: string) => `support/installer-tickets/${installerId}`;
/** A set of the ids of the open tickets (waiting and active), oldest first: the queue. Opening and closing never contend on one document. */
export const OPEN_KEY = 'support/open';
export const NUMBER_KEY = 'support/next-number';
export const STATS_KEY = 'support/stats';
