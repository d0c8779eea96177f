import { backoffDelayMs } from '../../src/services/store/backoff';
import { addKeyedJob, changeClaimed, forgetJob, type JobRecord } from '../../src/services/jobs/jobRecords';
import { type DocumentStore, EtagConflictError, updateDocument } from '../../src/services/store/documentStore';

describe('backoff between attempts on a busy document or lease', () => {
  it('waits from half to all of min(max, base·2^(attempt-1))', () => {
    const least = () => 0;
    const most = () => 1;
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 10, 1000, least))).toEqual([5, 10, 20, 40]);
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, 10, 1000, most))).toEqual([10, 20, 40, 80]);
    expect(backoffDelayMs(3, 10, 1000, () => 0.5)).toBe(30);
    // capped at max, also after very many attempts
    expect(backoffDelayMs(8, 10, 100, least)).toBe(50);
    expect(backoffDelayMs(8, 10, 100, most)).toBe(100);
    expect(backoffDelayMs(500, 10, 100, most)).toBe(100);
  });

  it('updateDocument waits between attempts on a document that always conflicts, then gives up with the conflict', async () => {
    const reads: number[] = [];
    let writes = 0;
    const alwaysConflicting = {
      backend: 'sqlite',
      get: async () => {
        reads.push(performance.now());
        return { value: { n: 1 }, etag: `e${reads.length}` };
      },
      put: async (key: string) => {
        writes += 1;
        throw new EtagConflictError(key);
      },
    } as unknown as DocumentStore;

    const attempt = updateDocument<{ n: number }>(alwaysConflicting, 'busy', (current) => ({ n: (current?.n ?? 0) + 1 }), { attempts: 5, minRetryMs: 20, maxRetryMs: 40 });
    await expect(attempt).rejects.toBeInstanceOf(EtagConflictError);
    expect(writes).toBe(5);
    expect(reads).toHaveLength(5);
    // the waits: at least half of 20, 40, 40, 40 ms (a timer may fire up to a millisecond early by this clock)
    const gaps = reads.slice(1).map((at, i) => at - reads[i]!);
    [10, 20, 20, 20].forEach((least, i) => expect(gaps[i]).toBeGreaterThanOrEqual(least - 1));
  });

  it.each([
    ['enqueueing a keyed job', (store: DocumentStore) => addKeyedJob(store, 'k-1', 'mail', {}, 0, 0)],
    ['changing a claimed job', (store: DocumentStore) => changeClaimed(store, 'k-1', 'claim-1', (record) => ({ record }))],
    ['forgetting a running job', (store: DocumentStore) => forgetJob(store, 'k-1')],
  ])('%s retries a conflict with the same backoff, then gives up with it', async (_name, write) => {
    const running: JobRecord = { id: 'k-1', type: 'mail', status: 'running', attempts: 1, runAt: 0, createdAt: 0, claim: 'claim-1', leaseUntil: Date.now() + 60_000 };
    let writes = 0;
    const alwaysConflicting = {
      backend: 'sqlite',
      get: async () => ({ value: running, etag: 'e' }),
      put: async (key: string) => {
        writes += 1;
        throw new EtagConflictError(key);
      },
    } as unknown as DocumentStore;
    const started = performance.now();
    await expect(write(alwaysConflicting)).rejects.toBeInstanceOf(EtagConflictError);
    expect(writes).toBe(30);
    // 29 waits of at least half of 2, 4, 8 … 128, then 200 ms: 2327 ms
    expect(performance.now() - started).toBeGreaterThanOrEqual(2300);
  });
});
