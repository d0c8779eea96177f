import type { ConversationReference } from 'botbuilder';
import { type DocumentStore, updateDocument } from '../store/documentStore';

type ReferenceMap = Record<string, Partial<ConversationReference>>;

const linkedKey = (installerId: string) => `conversation-refs/${installerId}`;
const pendingKey = (installerId: string) => `conversation-refs-pending/${installerId}`;

/** The channel account a reference belongs to: one entry per channel and user. */
export function accountKey(reference: Partial<ConversationReference>): string {
  return `${reference.channelId ?? ''}:${reference.user?.id ?? ''}`;
}

/**
 * Conversation references per installer. "Linked" references are conversations that belong to
 * the installer; a "pending" one is a conversation that asked for an emailed link to continue
 * an existing registration — it is linked only when that link is followed.
 */
export class ConversationReferences {
  constructor(private readonly store: DocumentStore) {}

  async link(installerId: string, reference: Partial<ConversationReference>): Promise<void> {
    await updateDocument<ReferenceMap>(this.store, linkedKey(installerId), (current) => {
      const existing = current?.[accountKey(reference)];
      if (existing && JSON.stringify(existing) === JSON.stringify(reference)) return undefined;
      return { ...current, [accountKey(reference)]: reference };
    });
  }

  async linked(installerId: string): Promise<Array<Partial<ConversationReference>>> {
    return Object.values((await this.store.get<ReferenceMap>(linkedKey(installerId)))?.value ?? {});
  }

  /** Remembers the conversation waiting for an emailed link (the latest request wins, like the latest link). */
  async setPending(installerId: string, reference: Partial<ConversationReference>): Promise<void> {
    await this.store.put(pendingKey(installerId), reference);
  }

  /** Links the pending conversation, if any, and returns it. */
  async promotePending(installerId: string): Promise<Partial<ConversationReference> | undefined> {
    const pending = await this.store.get<Partial<ConversationReference>>(pendingKey(installerId));
    if (!pending) return undefined;
    await this.link(installerId, pending.value);
    await this.store.delete(pendingKey(installerId));
    return pending.value;
  }

  async forget(installerId: string): Promise<void> {
    await this.store.delete(linkedKey(installerId));
    await this.store.delete(pendingKey(installerId));
  }
}
