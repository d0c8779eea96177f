import { randomUUID } from 'node:crypto';
import { createLogger, type Logger } from '../../src/logger';
import { createJobQueue, type JobQueueDeps } from '../../src/services/jobs/createJobQueue';
import { type JobQueue, PermanentJobError } from '../../src/services/jobs/jobQueue';
import { type JobRecord, JOB_INDEX_KEY, claimJob, groupHash, jobKey, markDone } from '../../src/services/jobs/jobRecords';
import { type DocumentStore, updateDocument } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { deadJobReport } from '../../scripts/jobs-dead';
import { LogCapture } from '../helpers/appHarness';
import { countingWrites } from '../helpers/countingStore';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS } from '../helpers/backends';
import { waitUntil } from '../helpers/testSmtpServer';

jest.setTimeout(60_000);

for (const skipped of SKIPPED_BACKENDS) console.log(`job queue on ${skipped.name}: SKIPPED (the server is not reachable)`);

/** Test job types are unique per run (the Redis and PostgreSQL stores outlive it); payload `{ n }`. */
type TestJobs = Record<string, { n: number }>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(AVAILABLE_BACKENDS)('durable jobs on $name', (backend) => {
  let store: DocumentStore;
  const queues: Array<JobQueue<TestJobs>> = [];
  const types: string[] = [];
  let logs: LogCapture;
  let logger: Logger;

  beforeAll(async () => {
    store = await openDocumentStore(backend.url);
  });
  beforeEach(() => {
    logs = new LogCapture();
    logger = createLogger({ level: 'debug', destination: logs });
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.stop()));
    // leave nothing of this run in the shared store's index
    const cleaner = createJobQueue<TestJobs>({ store, logger });
    const mine = types.splice(0);
    await cleaner.forget((type) => mine.includes(type));
  });
  afterAll(async () => {
    await store.close();
  });

  function queue(extra: Partial<JobQueueDeps> = {}): JobQueue<TestJobs> {
    const q = createJobQueue<TestJobs>({ store, logger, pollMs: 50, ...extra });
    queues.push(q);
    return q;
  }
  function jobType(name: string): string {
    const type = `${name}-${randomUUID().slice(0, 8)}`;
    types.push(type);
    return type;
  }
  const record = async (id: string) => (await store.get<JobRecord>(jobKey(id)))?.value;

  it('two queues on one store (two instances) run each job exactly once', async () => {
    const type = jobType('once');
    const runs = new Map<number, string[]>();
    const [a, b] = [queue(), queue()];
    for (const [name, q] of [['a', a], ['b', b]] as const) {
      q.register(type, async ({ n }) => {
        runs.set(n, [...(runs.get(n) ?? []), name]);
        await sleep(Math.random() * 10);
      });
    }
    const ids = await Promise.all(Array.from({ length: 24 }, (_, n) => (n % 2 ? a : b).enqueue(type, { n })));
    a.start();
    b.start();
    await waitUntil(() => runs.size === 24, 'every job ran', 30_000);
    await sleep(300);
    expect([...runs.values()].filter((by) => by.length !== 1)).toEqual([]);
    const ranBy = [...runs.values()].flat();
    // both instances took part
    expect(new Set(ranBy)).toEqual(new Set(['a', 'b']));
    for (const id of ids) expect(await record(id)).toMatchObject({ status: 'done', attempts: 1 });
    // a finished job keeps no payload, and leaves the to-do index
    expect((await record(ids[0]!))?.payload).toBeUndefined();
    expect((await store.setMembers(JOB_INDEX_KEY)).filter((id) => ids.includes(id))).toEqual([]);
  });

  it('100 jobs enqueued at once on one store are all listed, with no write to an index document, and each runs once', async () => {
    const type = jobType('busy');
    const { store: counted, writesTo } = countingWrites(store);
    const runs = new Map<number, number>();
    const [a, b] = [queue({ store: counted }), queue()];
    for (const q of [a, b]) q.register(type, async ({ n }) => void runs.set(n, (runs.get(n) ?? 0) + 1));
    const ids = await Promise.all(Array.from({ length: 100 }, (_, n) => a.enqueue(type, { n })));
    // the index is a set: listing a job is no read-modify-write of a shared document, so nothing retried
    expect(writesTo(JOB_INDEX_KEY)).toBe(0);
    const listed = new Set(await store.setMembers(JOB_INDEX_KEY));
    expect(ids.filter((id) => !listed.has(id))).toEqual([]);
    a.start();
    b.start();
    await waitUntil(() => runs.size === 100, 'every job ran', 30_000);
    await sleep(300);
    expect([...runs.values()].filter((count) => count !== 1)).toEqual([]);
    expect((await store.setMembers(JOB_INDEX_KEY)).filter((id) => ids.includes(id))).toEqual([]);
    expect(writesTo(JOB_INDEX_KEY)).toBe(0);
  });

  it("after an upgrade, jobs an earlier version listed in its one-document index run once, a group's in its order, and that document goes", async () => {
    const type = jobType('upgrade');
    const ids: string[] = [0, 1, 2].map(() => randomUUID());
    const at = Date.now();
    for (const [n, id] of ids.entries()) {
      const pending: JobRecord = { id, type, payload: { n }, status: 'pending', attempts: 0, runAt: at, createdAt: at, group: groupHash(`upgrade-${type}@firma.example`) };
      await store.create(jobKey(id), pending);
    }
    // listed the earlier way, appended to the `jobs/index` document
    await updateDocument<string[]>(store, JOB_INDEX_KEY, (listed = []) => [...listed, ...ids]);
    const log: number[] = [];
    const [a, b] = [queue(), queue()];
    for (const q of [a, b]) {
      q.register(type, async ({ n }) => {
        log.push(n);
        await sleep(5);
      });
    }
    a.start();
    b.start();
    await waitUntil(() => log.length === 3, 'the three jobs ran', 30_000);
    await sleep(300);
    expect(log).toEqual([0, 1, 2]);
    for (const id of ids) expect(await record(id)).toMatchObject({ status: 'done', attempts: 1 });
    expect((await store.setMembers(JOB_INDEX_KEY)).filter((id) => ids.includes(id))).toEqual([]);
    expect((await store.get<string[]>(JOB_INDEX_KEY))?.value ?? []).toEqual([]);
  });

  it('survives a restart: a job enqueued before stop runs on the next start; stop lets a running job finish', async () => {
    const type = jobType('restart');
    const done: number[] = [];
    const first = queue();
    // the process that enqueued has no worker running (a web request, or it stops at once)
    const waiting = await first.enqueue(type, { n: 1 });
    await first.stop();
    expect(await record(waiting)).toMatchObject({ status: 'pending', payload: { n: 1 } });

    const second = queue();
    second.register(type, async ({ n }) => {
      await sleep(n === 2 ? 400 : 0);
      done.push(n);
    });
    second.start();
    await waitUntil(() => done.includes(1), 'the job left by the first process ran');

    const slow = await second.enqueue(type, { n: 2 });
    await waitUntil(async () => (await record(slow))?.status === 'running', 'the slow job is running');
    await second.stop();
    // stop() returned only after the running job finished and was recorded
    expect(done).toEqual([1, 2]);
    expect(await record(slow)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('backs off between failed attempts and gives up after the cap; the operator lists the dead job', async () => {
    const type = jobType('failing');
    let clock = Date.UTC(2026, 10, 24, 8, 0, 0);
    const q = queue({ now: () => clock, retry: { baseMs: 1_000, maxMs: 60_000 }, maxAttempts: 4 });
    let attempts = 0;
    q.register(type, async () => {
      attempts += 1;
      throw new Error('LMS answered 503 for kari.nordmann@firma.example');
    });
    const id = await q.enqueue(type, { n: 7 });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      expect(await q.runDue()).toBe(1);
      expect(attempts).toBe(attempt);
      if (attempt === 4) break;
      const current = await record(id);
      expect(current).toMatchObject({ status: 'pending', attempts: attempt });
      const wait = current!.runAt - clock;
      waits.push(wait);
      // not before its time
      clock += wait - 1;
      expect(await q.runDue()).toBe(0);
      clock += 1;
    }
    // exponential: about 1 s, 2 s, 4 s (less up to 10 % jitter)
    expect(waits.map((w) => Math.round(w / 1000))).toEqual([1, 2, 4]);
    expect(await record(id)).toMatchObject({ status: 'dead', attempts: 4, deadAt: clock });
    clock += 24 * 60 * 60_000;
    expect(await q.runDue()).toBe(0);
    expect(attempts).toBe(4);

    const dead = (await q.dead()).filter((job) => job.type === type);
    expect(dead).toEqual([expect.objectContaining({ id, attempts: 4, lastError: expect.stringContaining('503') })]);
    const report = await deadJobReport(store);
    expect(report).toContain(id);
    expect(report).toContain(`${type}  attempts=4`);
    // an address in an error message is not kept or logged as it was
    for (const text of [report, logs.text, JSON.stringify(await record(id))]) expect(text).not.toContain('kari.nordmann');
    const errors = logs.lines.map((line) => JSON.parse(line) as { level: number; jobId?: string }).filter((l) => l.level >= 50);
    expect(errors).toEqual([expect.objectContaining({ jobId: id })]);

    // a permanent error: dead at the first attempt
    const hopeless = jobType('hopeless');
    q.register(hopeless, async () => {
      throw new PermanentJobError('no such course');
    });
    const hopelessId = await q.enqueue(hopeless, { n: 1 });
    expect(await q.runDue()).toBe(1);
    expect(await record(hopelessId)).toMatchObject({ status: 'dead', attempts: 1, lastError: 'PermanentJobError: no such course' });
  });

  it('a failure that asks for a wait (retryAfterMs, also wrapped) retries no sooner than that, nor than the backoff, and at most 10 minutes later', async () => {
    const type = jobType('asking');
    let clock = Date.UTC(2026, 10, 24, 8, 30, 0);
    const q = queue({ now: () => clock, retry: { baseMs: 1_000, maxMs: 60_000 }, maxAttempts: 20 });
    // what each attempt's error asks for: a channel's 429 with Retry-After 30, the same wrapped,
    // less than the backoff, far too much, and values that do not ask (the backoff applies)
    const asks: unknown[] = [30_000, 'wrapped', 500, 99_999_999_000, Number.POSITIVE_INFINITY, -5, Number.NaN, '120', undefined];
    let attempt = 0;
    q.register(type, async () => {
      const asked = asks[attempt++];
      const error = Object.assign(new Error('the channel answered 429'), { retryAfterMs: asked });
      throw asked === 'wrapped' ? new Error('turn failed', { cause: Object.assign(new Error('429'), { retryAfterMs: 45_000 }) }) : error;
    });
    const id = await q.enqueue(type, { n: 1 });
    const waits: number[] = [];
    for (let n = 0; n < asks.length; n++) {
      expect(await q.runDue()).toBe(1);
      const wait = (await record(id))!.runAt - clock;
      waits.push(wait);
      // nothing runs before its time
      clock += wait - 1;
      expect(await q.runDue()).toBe(0);
      clock += 1;
    }
    const backoff = (n: number) => Math.min(60_000, 1_000 * 2 ** n);
    expect(waits.slice(0, 5)).toEqual([30_000, 45_000, expect.any(Number), 600_000, 600_000]);
    // 500 ms asked, 4 s backoff (less up to 10 % jitter): the backoff
    expect(waits[2]).toBeGreaterThan(backoff(2) * 0.89);
    expect(waits[2]).toBeLessThanOrEqual(backoff(2));
    // -5, NaN, a string, nothing: the plain backoff (8 s, 16 s … capped at 60 s)
    waits.slice(5).forEach((wait, i) => {
      expect(wait).toBeGreaterThan(backoff(5 + i) * 0.89);
      expect(wait).toBeLessThanOrEqual(backoff(5 + i));
    });
  });

  it('a job whose worker died (lease ran out) is taken over by another worker, once; the dead worker can no longer finish it', async () => {
    const type = jobType('lease');
    let clock = Date.UTC(2026, 10, 24, 9, 0, 0);
    const enqueuer = queue({ now: () => clock });
    const id = await enqueuer.enqueue(type, { n: 3 });
    // worker A claims it and its process dies: the claim stays with its lease
    const claimed = await claimJob(store, id, { now: clock, leaseMs: 10_000, claim: 'worker-a', canRun: () => true, retryAt: clock });
    expect(claimed.kind).toBe('claimed');

    const runs: number[] = [];
    const b = queue({ now: () => clock, leaseMs: 10_000 });
    b.register(type, async ({ n }) => {
      runs.push(n);
    });
    clock += 9_999;
    expect(await b.runDue()).toBe(0);
    clock += 2;
    expect(await b.runDue()).toBe(1);
    expect(runs).toEqual([3]);
    expect(await record(id)).toMatchObject({ status: 'done', attempts: 2 });
    // worker A comes back and finishes late: its claim is not the job's any more
    expect(await markDone(store, id, 'worker-a', clock)).toBeUndefined();
    expect(await b.runDue()).toBe(0);
  });

  it('a recurring job runs once per interval with two workers', async () => {
    const type = jobType('every');
    let clock = Date.UTC(2026, 10, 24, 10, 0, 0);
    const runs: Array<{ by: string; at: number }> = [];
    const workers = ['a', 'b'].map((name) => {
      const q = queue({ now: () => clock });
      q.register(type, async () => {
        runs.push({ by: name, at: clock });
      });
      q.every(type, 1_000, { n: 0 });
      return q;
    });
    const start = clock;
    // 10 half-intervals, both workers looking each time
    for (let step = 0; step < 10; step++) {
      await Promise.all(workers.map((q) => q.runDue()));
      clock += 500;
    }
    expect(runs.map((r) => r.at - start)).toEqual([0, 1_000, 2_000, 3_000, 4_000]);
  });

  it('a key keeps one pending job; enqueued again while it runs, it runs once more afterwards with the newest payload', async () => {
    const type = jobType('keyed');
    const q = queue();
    const seen: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    q.register(type, async ({ n }) => {
      seen.push(n);
      if (n === 1) await gate;
    });
    const first = await q.enqueue(type, { n: 1 }, { key: 'installer@firma.example' });
    expect(await q.enqueue(type, { n: 2 }, { key: 'installer@firma.example' })).toBe(first);
    // the key is stored only hashed
    expect(first).not.toContain('installer');
    const other = await q.enqueue(type, { n: 9 }, { key: 'another@firma.example' });
    expect(other).not.toBe(first);
    q.start();
    await waitUntil(() => seen.includes(1), 'the first run started');
    await q.enqueue(type, { n: 3 }, { key: 'installer@firma.example' });
    await q.enqueue(type, { n: 4 }, { key: 'installer@firma.example' });
    release();
    await waitUntil(() => seen.length === 3, 'the keyed job ran again');
    await sleep(200);
    expect(seen.sort()).toEqual([1, 4, 9]);
  });

  it('"delete my data": queued jobs naming the person go; a running one loses its payload in the store and is not retried', async () => {
    const type = jobType('forget');
    const q = queue({ retry: { baseMs: 10, maxMs: 10 } });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    q.register(type, async ({ n }) => {
      seen.push(n);
      if (n === 1) {
        await gate;
        throw new Error('failed after the erasure');
      }
    });
    const running = await q.enqueue(type, { n: 1 });
    q.start();
    await waitUntil(() => seen.includes(1), 'the first job runs');
    const queued = await q.enqueue(type, { n: 2 }, { runAt: Date.now() + 60_000 });
    const other = await q.enqueue(type, { n: 3 }, { runAt: Date.now() + 60_000 });
    expect(await q.forget((t, payload) => t === type && [1, 2].includes((payload as { n: number }).n))).toBe(2);
    expect(await record(queued)).toBeUndefined();
    expect(await record(running)).toMatchObject({ status: 'running', forgotten: true });
    expect((await record(running))?.payload).toBeUndefined();
    expect(await record(other)).toMatchObject({ status: 'pending', payload: { n: 3 } });
    release();
    await waitUntil(async () => (await record(running))?.status === 'done', 'the erased job ends');
    await sleep(100);
    expect(seen).toEqual([1]);
  });

  it('a corrected email address: queued and dead jobs naming it are rewritten; a running one finishes its attempt as claimed and is retried with the new payload', async () => {
    const type = jobType('rewrite');
    const q = queue({ retry: { baseMs: 10, maxMs: 10 } });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: number[] = [];
    q.register(
      type,
      async ({ n }) => {
        seen.push(n);
        if (n === 1) {
          await gate;
          throw new Error('failed after the correction');
        }
        if (n === 5) throw new PermanentJobError('given up');
      },
      { maxAttempts: 3 },
    );
    const dead = await q.enqueue(type, { n: 5 });
    q.start();
    await waitUntil(async () => (await record(dead))?.status === 'dead', 'a job given up');
    const running = await q.enqueue(type, { n: 1 });
    await waitUntil(() => seen.includes(1), 'the first job runs');
    const queued = await q.enqueue(type, { n: 2 }, { runAt: Date.now() + 60_000 });
    const other = await q.enqueue(type, { n: 3 }, { runAt: Date.now() + 60_000 });

    const renumbered = (t: string, payload: unknown) => {
      const { n } = payload as { n: number };
      return t === type && [1, 2, 5].includes(n) ? { n: n * 10 } : undefined;
    };
    expect(await q.rewrite(renumbered)).toBe(3);
    expect(await record(queued)).toMatchObject({ status: 'pending', payload: { n: 20 } });
    expect(await record(dead)).toMatchObject({ status: 'dead', payload: { n: 50 } });
    expect(await record(running)).toMatchObject({ status: 'running', payload: { n: 10 }, claim: expect.any(String) });
    expect(await record(other)).toMatchObject({ status: 'pending', payload: { n: 3 } });
    release();
    await waitUntil(async () => (await record(running))?.status === 'done', 'the retry with the new payload ran');
    expect(seen).toEqual([5, 1, 10]);
    await q.forget((t) => t === type);
  });

  it('jobs of one group run one at a time in the order enqueued, across two instances; other groups run beside them', async () => {
    const type = jobType('group');
    const log: string[] = [];
    const active = new Set<string>();
    let overlap = false;
    let othersBeside = false;
    const [a, b] = [queue(), queue()];
    for (const q of [a, b]) {
      q.register(type, async ({ n }) => {
        const group = n < 100 ? 'kari' : 'ola';
        if (active.has(group)) overlap = true;
        if (active.size > 0) othersBeside = true;
        active.add(group);
        await sleep(30 + Math.random() * 30);
        log.push(`${group}:${n}`);
        active.delete(group);
      });
    }
    for (let n = 0; n < 6; n++) {
      await a.enqueue(type, { n }, { group: 'kari@firma.example' });
      await b.enqueue(type, { n: 100 + n }, { group: 'ola@firma.example' });
    }
    a.start();
    b.start();
    await waitUntil(() => log.length === 12, 'every job ran', 30_000);
    expect(overlap).toBe(false);
    expect(othersBeside).toBe(true);
    expect(log.filter((entry) => entry.startsWith('kari'))).toEqual([0, 1, 2, 3, 4, 5].map((n) => `kari:${n}`));
    expect(log.filter((entry) => entry.startsWith('ola'))).toEqual([0, 1, 2, 3, 4, 5].map((n) => `ola:${100 + n}`));
  });

  it('a job of a type this instance has no handler for is left to an instance that has one', async () => {
    const type = jobType('foreign');
    let clock = Date.now();
    const without = queue({ now: () => clock });
    const id = await without.enqueue(type, { n: 5 });
    expect(await without.runDue()).toBe(0);
    expect(await record(id)).toMatchObject({ status: 'pending', attempts: 0 });
    const withHandler = queue({ now: () => clock });
    const seen: number[] = [];
    withHandler.register(type, async ({ n }) => {
      seen.push(n);
    });
    clock += 1;
    expect(await withHandler.runDue()).toBe(1);
    expect(seen).toEqual([5]);
  });
});
