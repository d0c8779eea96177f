import path from 'node:path';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { LeaseLocks, LeaseLostError, LeaseTimeoutError } from '../../src/services/store/leaseLock';
import { tempDir } from '../helpers/appHarness';

describe('leases over the document store', () => {
  let store: DocumentStore;
  beforeAll(async () => {
    store = await openDocumentStore(`sqlite://${path.join(tempDir(), 'lease.sqlite')}`);
  });
  afterAll(async () => {
    await store.close();
  });

  it('one holder at a time; a release lets the next in with a higher fence', async () => {
    const one = new LeaseLocks(store, { ttlMs: 5000, waitMs: 100 });
    const two = new LeaseLocks(store, { ttlMs: 5000, waitMs: 100 });
    const first = await one.acquire('a');
    await expect(two.acquire('a')).rejects.toBeInstanceOf(LeaseTimeoutError);
    await first.release();
    const second = await two.acquire('a');
    expect(second.fence).toBe(first.fence + 1);
    await second.release();
  });

  it('a lease left by a dead holder is taken once it expires', async () => {
    await store.put('lease/b', { owner: 'dead', fence: 7, expiresAt: Date.now() + 200 });
    const locks = new LeaseLocks(store, { ttlMs: 5000, waitMs: 5000 });
    const lease = await locks.acquire('b');
    expect(lease.fence).toBe(8);
    await lease.release();
  });

  it('a holder whose lease was taken over learns it at the next renewal and may send nothing more', async () => {
    const locks = new LeaseLocks(store, { ttlMs: 300, waitMs: 1000 });
    const lease = await locks.acquire('c');
    expect(lease.held).toBe(true);
    await store.put('lease/c', { owner: 'other', fence: lease.fence + 1, expiresAt: Date.now() + 60_000 });
    await new Promise((r) => setTimeout(r, 400));
    expect(lease.held).toBe(false);
    expect(() => lease.assertHeld()).toThrow(LeaseLostError);
    await lease.release();
    expect((await store.get<{ owner: string }>('lease/c'))!.value.owner).toBe('other');
  });

  it('a long turn keeps its lease by renewing it', async () => {
    const one = new LeaseLocks(store, { ttlMs: 200, waitMs: 100 });
    const two = new LeaseLocks(store, { ttlMs: 200, waitMs: 100 });
    const lease = await one.acquire('d');
    await new Promise((r) => setTimeout(r, 600));
    await expect(two.acquire('d')).rejects.toBeInstanceOf(LeaseTimeoutError);
    expect(lease.held).toBe(true);
    await lease.release();
  });
});
