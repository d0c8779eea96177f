import type { ConversationAddress } from '../../domain/conversationAddress';
import { type DocumentStore, updateDocument } from '../store/documentStore';

type ReferenceMap = Record<string, ConversationAddress>;

const linkedKey = (installerId: string) => `conversation-refs/${installerId}`;

/** The channel account a reference belongs to: one entry per channel and user. */
export function accountKey(address: Pick<ConversationAddress, 'channelId' | 'user'>): string {
  return `${address.channelId}:${address.user?.id ?? ''}`;
}

/**
 * Conversation addresses per installer: the conversations that belong to the installer (the
 * one that registered, and any other whose user typed the one-time code from the email).
 */
export class ConversationReferences {
  constructor(private readonly store: DocumentStore) {}

  async link(installerId: string, reference: ConversationAddress): Promise<void> {
    await updateDocument<ReferenceMap>(this.store, linkedKey(installerId), (current) => {
      const existing = current?.[accountKey(reference)];
      if (existing && JSON.stringify(existing) === JSON.stringify(reference)) return undefined;
      return { ...current, [accountKey(reference)]: reference };
    });
  }

  async linked(installerId: string): Promise<ConversationAddress[]> {
    return Object.values((await this.store.get<ReferenceMap>(linkedKey(installerId)))?.value ?? {});
  }

  async forget(installerId: string): Promise<void> {
    await this.store.delete(linkedKey(installerId));
  }
}
