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

/** A transcript entry, its text redacted as the log's transcripts are (emails, link tokens, passwords, codes). */
export function redactedEntry(from: TranscriptEntry['from'], text: string, at = new Date().toISOString(), agentName?: string): TranscriptEntry {
  return { at, from, text: transcriptText(text), ...(agentName ? { agentName } : {}) };
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
