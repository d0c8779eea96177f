import { randomUUID } from 'node:crypto';
import { createPassLoop } from '../store/passLoop';
import { errorSummary, type Logger } from '../../logger';
import type { DocumentStore } from '../store/documentStore';
import {
  type JobRecord,
  JOB_DEAD_INDEX_KEY,
  addJob,
  addKeyedJob,
  claimJob,
  deadJobs,
  forgetJob,
  indexedIds,
  jobKey,
  keyedJobId,
  markDead,
  markDone,
  markFailed,
  removeFromIndex,
  renewLease,
  rewriteJob,
  takeRecurringTurn,
} from './jobRecords';
import { retryDelayMs } from './retryDelay';
import { type DeadJob, type EnqueueOptions, type JobHandler, type JobMap, type JobQueue, PermanentJobError, type RetryPolicy } from './jobQueue';

export interface JobQueueDeps {
  store: DocumentStore;
  logger: Logger;
  now?: () => number;
  /** How long a claim holds without renewal; a running job renews it every third of this (default 60 s). */
  leaseMs?: number;
  /** How often an idle worker looks for jobs other instances enqueued (default 5 s). */
  pollMs?: number;
  /** Jobs one process runs at the same time (default 4). */
  concurrency?: number;
  /** Defaults for every type (a type's register() policy overrides): 8 attempts, 2 s doubling up to 10 min. */
  maxAttempts?: number;
  retry?: { baseMs: number; maxMs: number };
}

export const DEFAULT_JOB_ATTEMPTS = 8;
const DEFAULT_RETRY = { baseMs: 2_000, maxMs: 10 * 60_000 };

/** An error as it may be stored on the job: its name and redacted message (no address, no link). */
function storedError(error: unknown): string {
  const { name, message } = errorSummary(error);
  return (message === undefined ? name : `${name}: ${message}`).slice(0, 500);
}

interface Registered {
  handler: JobHandler<never>;
  maxAttempts: number;
  retry: { baseMs: number; maxMs: number };
}

/**
 * The job queue over the DocumentStore (record life cycle in jobRecords.ts). Passes over the index
 * run one at a time per process and claim due jobs up to `concurrency`; each claimed job runs on
 * its own (renewing its lease) and asks for another pass when it ends. A pass starts on start(),
 * on enqueue() once started, when a job ends, when the next job falls due, and every pollMs.
 */
export function createJobQueue<Jobs extends JobMap>(deps: JobQueueDeps): JobQueue<Jobs> {
  const { store } = deps;
  const logger = deps.logger.child({ component: 'jobs' });
  const now = deps.now ?? Date.now;
  const leaseMs = deps.leaseMs ?? 60_000;
  const pollMs = deps.pollMs ?? 5_000;
  const concurrency = deps.concurrency ?? 4;
  const defaults = { maxAttempts: deps.maxAttempts ?? DEFAULT_JOB_ATTEMPTS, retry: deps.retry ?? DEFAULT_RETRY };

  const handlers = new Map<string, Registered>();
  const recurring = new Map<string, { intervalMs: number; payload: unknown }>();
  const running = new Map<string, Promise<void>>();
  /** The groups of the jobs running in this process. */
  const runningGroups = new Map<string, string>();
  let halting = false;
  const loop = createPassLoop({
    pass: () => pass(),
    pollMs,
    now,
    onError: (error) => logger.error({ err: errorSummary(error) }, 'job queue pass failed'),
    retryMs: Math.min(pollMs, 1_000),
  });
  /** Jobs run since the counter was read (runDue's answer). */
  let ran = 0;

  async function runClaimed(record: JobRecord & { claim: string }): Promise<void> {
    const registered = handlers.get(record.type);
    if (!registered) return;
    const { id, claim, type, attempts } = record;
    const renewal = setInterval(() => {
      renewLease(store, id, claim, now() + leaseMs).then(
        (held) => {
          if (!held) logger.warn({ jobId: id, type }, 'job taken over by another worker while it ran (its lease ran out)');
        },
        (error: unknown) => logger.warn({ jobId: id, type, err: errorSummary(error) }, 'job lease renewal failed'),
      );
    }, Math.max(10, Math.floor(leaseMs / 3)));
    renewal.unref();
    let failure: unknown;
    let failed = false;
    try {
      await (registered.handler as JobHandler<unknown>)(record.payload, { id, attempt: attempts });
    } catch (error) {
      failed = true;
      failure = error;
    } finally {
      clearInterval(renewal);
    }
    ran += 1;
    if (!failed) {
      await markDone(store, id, claim, now());
      logger.debug({ jobId: id, type, attempt: attempts }, 'job done');
      return;
    }
    const lastError = storedError(failure);
    if (failure instanceof PermanentJobError || attempts >= registered.maxAttempts) {
      if (await markDead(store, id, claim, now(), lastError)) {
        logger.error({ jobId: id, type, attempts, err: lastError }, 'job given up; see npm run jobs:dead');
      }
      return;
    }
    const delay = retryDelayMs(attempts, registered.retry, failure);
    if (await markFailed(store, id, claim, now() + delay, lastError)) {
      logger.warn({ jobId: id, type, attempt: attempts, retryInMs: delay, err: lastError }, 'job failed; will retry');
    }
  }

  function launch(record: JobRecord & { claim: string }): void {
    const run = runClaimed(record)
      .catch((error: unknown) => logger.error({ jobId: record.id, type: record.type, err: errorSummary(error) }, 'job bookkeeping failed'))
      .finally(() => {
        running.delete(record.id);
        runningGroups.delete(record.id);
        if (loop.started) loop.request().catch(() => undefined); // logged by the loop
      });
    running.set(record.id, run);
    if (record.group !== undefined) runningGroups.set(record.id, record.group);
  }

  async function enqueueRecurring(): Promise<number | undefined> {
    let next: number | undefined;
    for (const [type, spec] of recurring) {
      if (!handlers.has(type)) continue;
      const turn = await takeRecurringTurn(store, type, now(), spec.intervalMs);
      if (turn.taken) await addKeyedJob(store, keyedJobId(type, 'every'), type, spec.payload, now(), now());
      next = next === undefined ? turn.nextAt : Math.min(next, turn.nextAt);
    }
    return next;
  }

  /** Claims and launches every due job (up to the concurrency); returns when the next one falls due. */
  async function pass(): Promise<number | undefined> {
    let next = await enqueueRecurring();
    const soonest = (at: number) => {
      next = next === undefined ? at : Math.min(next, at);
    };
    // the groups of unfinished jobs met so far: a later job of the same group waits its turn
    const blockedGroups = new Set<string>([...runningGroups.values()]);
    for (const id of await indexedIds(store)) {
      if (halting || running.size >= concurrency) break;
      if (running.has(id)) continue;
      const claimed = await claimJob(store, id, { now: now(), leaseMs, claim: randomUUID(), canRun: (type) => handlers.has(type), retryAt: now() + pollMs, blockedGroups });
      if (claimed.kind === 'done') {
        await removeFromIndex(store, id);
      } else if (claimed.kind === 'later') {
        soonest(claimed.at);
        if (claimed.group !== undefined) blockedGroups.add(claimed.group);
      } else {
        if (claimed.record.group !== undefined) blockedGroups.add(claimed.record.group);
        launch(claimed.record);
      }
    }
    return next;
  }

  return {
    async enqueue(type, payload, options: EnqueueOptions = {}) {
      const at = now();
      const runAt = options.runAt ?? at;
      let id: string;
      if (options.key === undefined) {
        id = randomUUID();
        await addJob(store, id, type, payload, runAt, at, options.group);
      } else {
        id = keyedJobId(type, options.key);
        const result = await addKeyedJob(store, id, type, payload, runAt, at);
        if (result === 'deduplicated') return id;
      }
      logger.debug({ jobId: id, type, runAt }, 'job queued');
      if (loop.started && runAt <= now()) loop.request().catch(() => undefined);
      return id;
    },

    register(type, handler, policy: RetryPolicy = {}) {
      handlers.set(type, { handler: handler as JobHandler<never>, maxAttempts: policy.maxAttempts ?? defaults.maxAttempts, retry: policy.retry ?? defaults.retry });
    },

    every(type, intervalMs, payload) {
      if (!(intervalMs > 0)) throw new Error(`jobs.every(${type}): the interval must be positive`);
      recurring.set(type, { intervalMs, payload });
    },

    start() {
      loop.start();
    },

    async stop() {
      halting = true;
      try {
        await loop.stop();
        await Promise.all(running.values());
      } finally {
        halting = false;
      }
    },

    async runDue() {
      const before = ran;
      for (;;) {
        const count = ran;
        await loop.request();
        await loop.settled();
        if (running.size === 0 && ran === count) break;
        await Promise.all(running.values());
      }
      return ran - before;
    },

    async dead(): Promise<DeadJob[]> {
      return (await deadJobs(store)).map(({ id, type, attempts, createdAt, deadAt, lastError }) => ({ id, type, attempts, createdAt, deadAt, lastError }));
    },

    async forget(matches) {
      const dead = await indexedIds(store, JOB_DEAD_INDEX_KEY);
      let dropped = 0;
      for (const id of new Set([...(await indexedIds(store)), ...dead])) {
        const record = (await store.get<JobRecord>(jobKey(id)))?.value;
        if (!record || record.status === 'done' || record.forgotten) continue;
        if (!matches(record.type, record.payload) && !(record.again && matches(record.type, record.again.payload))) continue;
        await forgetJob(store, id);
        dropped += 1;
      }
      return dropped;
    },

    async rewrite(change) {
      const dead = await indexedIds(store, JOB_DEAD_INDEX_KEY);
      let rewritten = 0;
      for (const id of new Set([...(await indexedIds(store)), ...dead])) if (await rewriteJob(store, id, change, now())) rewritten += 1;
      return rewritten;
    },
  };
}
