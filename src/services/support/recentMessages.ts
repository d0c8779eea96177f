import { transcriptText } from '../../logger';
import { type DocumentStore, updateDocument } from '../store/documentStore';
import type { TranscriptEntry } from './supportDesk';

/** Which conversation (the project's own terms). */
export interface ConversationKey {
  channelId: string;
  conversationId: string;
}

export interface RecentMessagesOptions {
  /** How many messages a conversation keeps (the oldest go first). */
  keep?: number;
  /** A conversation quiet this long forgets them. */
  ttlMs?: number;
}

const recentKey = (c: ConversationKey) => `support/recent/${encodeURIComponent(c.channelId)}/${encodeURIComponent(c.conversationId)}`;

/** A MAC address (which mixes letters, digits and upper case like a password, and support needs to see). */
const MAC_LIKE = /^[0-9a-f]{2}(?:[:-]?[0-9a-f]{2}){5}[.,;!?]?$/i;

/**
 * A word that reads as a password someone typed: 8+ characters with letters and digits and either
 * both cases ("Sommer2024") or a symbol ("sommer2024!"). A MAC address, a date, coordinates, a
 * serial number in capitals ("2135WS1234") and a hyphenated word do not.
 */
function looksLikePassword(word: string): boolean {
  if (word.length < 8 || word.includes('[') || MAC_LIKE.test(word)) return false;
  const letters = /\p{L}/u.test(word);
  const digits = /\d/.test(word);
  const bothCases = /\p{Ll}/u.test(word) && /\p{Lu}/u.test(word);
  const symbol = /[!#$%&*+=?^_~|\\<>{}"§¤£€]/.test(word);
  return letters && digits && (bothCases || symbol);
}

/**
 * Redacted as every transcript is (the log's transcript rules: emails masked, link tokens, text
 * after a password word and long numbers removed), and a lone password-like word as well.
 */
export function redactTranscript(text: string): string {
  return transcriptText(text)
    .split(/(\s+)/)
    .map((word) => (looksLikePassword(word) ? '[redacted]' : word))
    .join('');
}

export function redactedEntry(from: TranscriptEntry['from'], text: string, at = new Date().toISOString(), agentName?: string): TranscriptEntry {
  return { at, from, text: redactTranscript(text), ...(agentName ? { agentName } : {}) };
}

/**
 * The last messages of each conversation, redacted before they are stored: what a ticket
 * attaches as "what happened" when the installer asks for a person.
 */
export class RecentMessages {
  private readonly keep: number;
  private readonly ttlMs: number;

  constructor(
    private readonly store: DocumentStore,
    options: RecentMessagesOptions = {},
  ) {
    this.keep = options.keep ?? 20;
    this.ttlMs = options.ttlMs ?? 7 * 24 * 60 * 60 * 1000;
  }

  async append(conversation: ConversationKey, entries: TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await updateDocument<TranscriptEntry[]>(this.store, recentKey(conversation), (current) => [...(current ?? []), ...entries].slice(-this.keep), { ttlMs: this.ttlMs });
  }

  async read(conversation: ConversationKey): Promise<TranscriptEntry[]> {
    return (await this.store.get<TranscriptEntry[]>(recentKey(conversation)))?.value ?? [];
  }

  async erase(conversation: ConversationKey): Promise<void> {
    await this.store.delete(recentKey(conversation));
  }
}
