import type { DocumentStore, PutOptions } from '../../../src/services/store/documentStore';
import { updateDocument } from '../../../src/services/store/documentStore';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { indexMembers } from '../../../src/services/store/legacyList';
import { AVAILABLE_BACKENDS, uniqueKey } from '../../helpers/backends';

/** The folded document is dropped by a conditional write that expires in 1 ms: read it once that has passed. */
async function legacyDocument(store: DocumentStore, key: string): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return (await store.get(key))?.value;
}

describe.each(AVAILABLE_BACKENDS)('an index kept as one array document by an earlier version, on $name', (backend) => {
  let store: DocumentStore;
  beforeAll(async () => {
    store = await openDocumentStore(backend.url);
  });
  afterAll(async () => {
    await store.close();
  });

  it('is folded into the set of the same key, in its order, after what the set holds; the document is gone', async () => {
    const key = uniqueKey('legacy');
    await store.addToSet(key, ['new-1']);
    await store.put(key, ['old-2', 'old-1', 'new-1']);
    expect(await indexMembers(store, key)).toEqual(['new-1', 'old-2', 'old-1']);
    expect(await legacyDocument(store, key)).toBeUndefined();
    // read again: nothing left to fold
    expect(await indexMembers(store, key)).toEqual(['new-1', 'old-2', 'old-1']);
    await store.removeFromSet(key, ['new-1', 'old-2', 'old-1']);
  });

  it('many instances folding at once: every id lands once, nobody fails', async () => {
    const key = uniqueKey('legacy-race');
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    await store.put(key, ids);
    const others = await Promise.all([openDocumentStore(backend.url), openDocumentStore(backend.url)]);
    try {
      const reads = await Promise.all(Array.from({ length: 12 }, (_, i) => indexMembers(i % 3 === 0 ? store : others[i % 2]!, key)));
      for (const read of reads) expect(read).toEqual(ids);
      expect(await legacyDocument(store, key)).toBeUndefined();
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
    await store.removeFromSet(key, ids);
  });

  it('an id the earlier version appends while the array is being folded is not lost (a rolling upgrade)', async () => {
    const key = uniqueKey('legacy-upgrade');
    await store.put(key, ['queued-before']);
    // an instance of the earlier version appends between the fold's read and its drop of the document
    let appended = false;
    const racing: DocumentStore = Object.assign(Object.create(store) as DocumentStore, {
      put: async <T>(k: string, value: T, options?: PutOptions) => {
        if (k === key && !appended) {
          appended = true;
          await updateDocument<string[]>(store, key, (ids = []) => [...ids, 'queued-meanwhile']);
        }
        return store.put(k, value, options);
      },
    });
    expect(await indexMembers(racing, key)).toEqual(['queued-before']);
    expect(appended).toBe(true);
    // the document was not dropped: the next read folds what was appended
    expect(await indexMembers(store, key)).toEqual(['queued-before', 'queued-meanwhile']);
    expect(await legacyDocument(store, key)).toBeUndefined();
    await store.removeFromSet(key, ['queued-before', 'queued-meanwhile']);
  });
});
