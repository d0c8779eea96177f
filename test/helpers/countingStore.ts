import type { DocumentStore } from '../../src/services/store/documentStore';

/**
 * The store, with every document write (put, create) recorded by key: a list kept as a set is
 * written with no document write at all, so a test can show nothing contends on (or retries) it.
 * Not counted: writing an empty array, which is how reading an index drops the one-document list an
 * earlier version kept (legacyList.ts), e.g. one another test run on the shared server just wrote.
 */
export function countingWrites(store: DocumentStore): { store: DocumentStore; writesTo: (key: string) => number } {
  const written: string[] = [];
  const record = (key: string, value: unknown) => {
    if (!(Array.isArray(value) && value.length === 0)) written.push(key);
  };
  const counted: DocumentStore = Object.assign(Object.create(store) as DocumentStore, {
    put: (...args: Parameters<DocumentStore['put']>) => (record(args[0], args[1]), store.put(...args)),
    create: (...args: Parameters<DocumentStore['create']>) => (record(args[0], args[1]), store.create(...args)),
  });
  return { store: counted, writesTo: (key) => written.filter((k) => k === key).length };
}
