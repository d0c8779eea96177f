import type { DocumentStore } from '../../src/services/store/documentStore';

/**
 * The store, with every document write (put, create) recorded by key: a list kept as a set is
 * written with no document write at all, so a test can show nothing contends on (or retries) it.
 */
export function countingWrites(store: DocumentStore): { store: DocumentStore; writesTo: (key: string) => number } {
  const written: string[] = [];
  const counted: DocumentStore = Object.assign(Object.create(store) as DocumentStore, {
    put: (...args: Parameters<DocumentStore['put']>) => (written.push(args[0]), store.put(...args)),
    create: (...args: Parameters<DocumentStore['create']>) => (written.push(args[0]), store.create(...args)),
  });
  return { store: counted, writesTo: (key) => written.filter((k) => k === key).length };
}
