import { type DocumentStore, isEtagConflict } from './documentStore';

/**
 * The members of an index kept as a set (the outbox's and the jobs' to-do lists, the support
 * queue …), after folding in what an earlier version of the app kept under the same key: one
 * document holding an array of ids, rewritten by every writer. Reading an index is where that
 * array is moved into the set, so an upgrade loses no queued email, job or ticket.
 *
 * Safe when several instances fold at once (adding to a set twice is once), and during a rolling
 * upgrade: the document is dropped only if it is still the version that was folded (a conditional
 * write that expires at once, since the store has no conditional delete), so an id that an
 * instance of the earlier version appended meanwhile stays, and the next read folds it. Once no
 * such document exists, the fold costs one read of a missing key.
 */
export async function indexMembers(store: DocumentStore, key: string): Promise<string[]> {
  const legacy = await store.get<unknown>(key);
  if (legacy) {
    const ids = Array.isArray(legacy.value) ? legacy.value.filter((id): id is string => typeof id === 'string') : [];
    await store.addToSet(key, ids);
    try {
      await store.put(key, [], { etag: legacy.etag, mustExist: true, ttlMs: 1 });
    } catch (error) {
      if (!isEtagConflict(error)) throw error;
    }
  }
  return store.setMembers(key);
}
