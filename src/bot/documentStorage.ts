import type { Storage, StoreItems } from 'botbuilder';
import type { DocumentStore } from '../services/store/documentStore';

/**
 * botbuilder `Storage` over the DocumentStore: every read returns an eTag, a write carrying a
 * stale eTag is rejected (EtagConflictError), '*' or no eTag always writes, deleting a missing
 * key is fine. After a write the item's eTag is updated in place, so a second save of the same
 * object in one turn carries the current tag.
 */
export class DocumentStorage implements Storage {
  constructor(
    private readonly store: DocumentStore,
    private readonly prefix = 'botstate/',
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    for (const key of keys) {
      const found = await this.store.get<Record<string, unknown>>(this.prefix + key);
      if (found) items[key] = { ...found.value, eTag: found.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...document } = (item ?? {}) as Record<string, unknown> & { eTag?: string };
      const written = await this.store.put(this.prefix + key, document, { etag: eTag });
      if (item && typeof item === 'object') (item as { eTag?: string }).eTag = written;
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.store.delete(this.prefix + key);
  }
}
