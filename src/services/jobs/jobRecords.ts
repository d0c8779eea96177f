import { createHash } from 'node:crypto';
import { type DocumentStore, EtagConflictError, isEtagConflict, waitAfterConflict } from '../store/documentStore';
import { indexMembers } from '../store/legacyList';

/**
 * Jobs as documents in the store (the mail outbox's pattern, for any kind of work):
 * - `jobs/<id>`: one job and its state;
 * - `jobs/index`: the ids of jobs not finished (the workers' to-do list), oldest first;
 * - `jobs/dead`: the ids given up on, for the operator (`npm run jobs:dead`);
 *   both indexes are sets in the store (DocumentStore addToSet), so enqueueing and finishing jobs
 *   never contend on one document, however many run at once;
 * - `jobs/every/<type>`: when a recurring job is next due.
 *
 * pending --claim (CAS on the etag)--> running --handler resolved--> done (payload dropped, kept DONE_TTL_MS)
 *                                        \--handler threw--> pending (runAt = now + backoff)
 *                                        \--threw on the last allowed attempt, or PermanentJobError--> dead (kept DEAD_TTL_MS)
 * A 'running' job whose lease ran out (its process died) may be claimed again. Every write of a
 * worker after the claim is conditional on its claim token, so a worker that lost its job to
 * another (lease expired) changes nothing.
 */
export type JobStatus = 'pending' | 'running' | 'done' | 'dead';

export interface JobRecord {
  id: string;
  type: string;
  /** The job's input; dropped once done (it may name a person). */
  payload?: unknown;
  status: JobStatus;
  /** Attempts started so far. */
  attempts: number;
  /** Not before this time (ms since the epoch). */
  runAt: number;
  createdAt: number;
  /** Whether it was enqueued with a key (its id is derived from the key). */
  keyed?: boolean;
  /** Its ordering group, hashed: jobs of one group run one at a time, in the order they were enqueued. */
  group?: string;
  /** While 'running': the token of the claim, and the time after which another worker may take it over. */
  claim?: string;
  leaseUntil?: number;
  /** Enqueued again with the same key while running: runs once more, with this payload, after the current run. */
  again?: { payload: unknown; runAt: number };
  doneAt?: number;
  deadAt?: number;
  /** The last error's name and message (handlers must not put personal data in error messages). */
  lastError?: string;
  /** Its payload was erased while it ran ("delete my data"): it ends as done whatever the outcome. */
  forgotten?: boolean;
}

export const JOB_INDEX_KEY = 'jobs/index';
export const JOB_DEAD_INDEX_KEY = 'jobs/dead';
export const DONE_TTL_MS = 24 * 60 * 60 * 1000;
export const DEAD_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export const jobKey = (id: string): string => `jobs/${id}`;
export const recurringKey = (type: string): string => `jobs/every/${type}`;

/**
 * The id of a keyed job: a hash, so a key that names a person (an installer id) never appears in
 * a store key, and every instance derives the same id.
 */
export function keyedJobId(type: string, key: string): string {
  return 'k-' + createHash('sha256').update(`${type}\u0000${key}`).digest('hex').slice(0, 40);
}

/** A group as stored: hashed, like keys. */
export function groupHash(group: string): string {
  return createHash('sha256').update(`group\u0000${group}`).digest('hex').slice(0, 32);
}

export async function addToIndex(store: DocumentStore, id: string, index = JOB_INDEX_KEY): Promise<void> {
  await store.addToSet(index, [id]);
}

export async function removeFromIndex(store: DocumentStore, id: string, index = JOB_INDEX_KEY): Promise<void> {
  await store.removeFromSet(index, [id]);
}

/** The ids in an index in the order they were added (a group's jobs run in that order); an index an earlier version kept as one document is folded in. */
export function indexedIds(store: DocumentStore, index = JOB_INDEX_KEY): Promise<string[]> {
  return indexMembers(store, index);
}

function pendingRecord(id: string, type: string, payload: unknown, runAt: number, createdAt: number, keyed: boolean, group?: string): JobRecord {
  return { id, type, payload, status: 'pending', attempts: 0, runAt, createdAt, ...(keyed ? { keyed } : {}), ...(group ? { group: groupHash(group) } : {}) };
}

/** Stores a new pending job and lists it in the index. */
export async function addJob(store: DocumentStore, id: string, type: string, payload: unknown, runAt: number, now: number, group?: string): Promise<void> {
  if ((await store.create(jobKey(id), pendingRecord(id, type, payload, runAt, now, false, group))) === undefined) throw new Error(`jobs: ${id} already exists`);
  await addToIndex(store, id);
}

export type KeyedResult = 'added' | 'deduplicated' | 'again';

/**
 * One pending job per key: a pending job with the key already → nothing new ('deduplicated');
 * running → it runs once more after the current run, with this payload ('again'); finished,
 * dead or none → a new pending job under the key's id ('added').
 */
export async function addKeyedJob(store: DocumentStore, id: string, type: string, payload: unknown, runAt: number, now: number): Promise<KeyedResult> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<JobRecord>(jobKey(id));
    const record = current?.value;
    let result: KeyedResult;
    try {
      if (record?.status === 'pending') {
        result = 'deduplicated';
      } else if (record?.status === 'running') {
        await store.put(jobKey(id), { ...record, again: { payload, runAt } }, { etag: current!.etag });
        result = 'again';
      } else {
        const fresh = pendingRecord(id, type, payload, runAt, now, true);
        if (current) await store.put(jobKey(id), fresh, { etag: current.etag });
        else if ((await store.create(jobKey(id), fresh)) === undefined) throw new EtagConflictError(jobKey(id));
        result = 'added';
      }
    } catch (error) {
      if (!isEtagConflict(error) || attempt >= 30) throw error;
      await waitAfterConflict(attempt);
      continue;
    }
    // also when deduplicated: a job whose enqueuer died between its two writes gets listed
    await addToIndex(store, id);
    return result;
  }
}

export type ClaimResult =
  | { kind: 'claimed'; record: JobRecord & { claim: string } }
  /**
   * Not due yet, held by another worker, of a type this process cannot run, or behind an
   * unfinished job of its group: look again at `at`.
   */
  | { kind: 'later'; at: number; group?: string }
  /** Finished or missing: nothing left but to drop it from the index. */
  | { kind: 'done' };

/**
 * Takes a due job: 'pending' whose time has come, or 'running' whose lease ran out. The write is
 * conditional on the etag read, so of several workers exactly one wins.
 */
export async function claimJob(
  store: DocumentStore,
  id: string,
  options: { now: number; leaseMs: number; claim: string; canRun: (type: string) => boolean; retryAt: number; blockedGroups?: ReadonlySet<string> },
): Promise<ClaimResult> {
  const { now, leaseMs, claim } = options;
  const current = await store.get<JobRecord>(jobKey(id));
  const record = current?.value;
  if (!current || !record || record.status === 'done' || record.status === 'dead') return { kind: 'done' };
  const { group } = record;
  if (record.status === 'pending' && record.runAt > now) return { kind: 'later', at: record.runAt, group };
  if (record.status === 'running' && (record.leaseUntil ?? 0) > now) return { kind: 'later', at: record.leaseUntil ?? now, group };
  if (group !== undefined && options.blockedGroups?.has(group)) return { kind: 'later', at: options.retryAt, group };
  if (!options.canRun(record.type)) return { kind: 'later', at: options.retryAt, group };
  const claimed = { ...record, status: 'running' as const, attempts: record.attempts + 1, claim, leaseUntil: now + leaseMs };
  try {
    await store.put(jobKey(id), claimed, { etag: current.etag });
    return { kind: 'claimed', record: claimed };
  } catch (error) {
    // another worker claimed it first: it runs there, and its group waits for it
    if (isEtagConflict(error)) return { kind: 'later', at: now + leaseMs, group };
    throw error;
  }
}

/**
 * Changes a job this worker still holds (the claim token matches); false when another worker took
 * it over meanwhile (or it is gone), and then nothing is written.
 */
export async function changeClaimed(
  store: DocumentStore,
  id: string,
  claim: string,
  change: (record: JobRecord) => { record: JobRecord; ttlMs?: number },
): Promise<JobRecord | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<JobRecord>(jobKey(id));
    if (!current || current.value.status !== 'running' || current.value.claim !== claim) return undefined;
    const next = change(current.value);
    try {
      await store.put(jobKey(id), next.record, { etag: current.etag, ttlMs: next.ttlMs });
      return next.record;
    } catch (error) {
      if (!isEtagConflict(error) || attempt >= 30) throw error;
    }
    await waitAfterConflict(attempt);
  }
}

const withoutClaim = ({ claim: _claim, leaseUntil: _lease, again: _again, ...rest }: JobRecord): JobRecord => rest;

/** The handler finished: done (payload dropped), or pending again when it was enqueued again meanwhile. */
export async function markDone(store: DocumentStore, id: string, claim: string, now: number): Promise<JobRecord | undefined> {
  const written = await changeClaimed(store, id, claim, (record) => {
    if (record.again) return { record: { ...withoutClaim(record), status: 'pending', attempts: 0, payload: record.again.payload, runAt: record.again.runAt } };
    const { payload: _payload, group: _group, ...rest } = withoutClaim(record);
    return { record: { ...rest, status: 'done', doneAt: now }, ttlMs: DONE_TTL_MS };
  });
  if (written?.status === 'done') await removeFromIndex(store, id);
  return written;
}

/** The attempt failed: pending again from `runAt` (a job whose payload was erased meanwhile ends instead). */
export async function markFailed(store: DocumentStore, id: string, claim: string, runAt: number, lastError: string): Promise<boolean> {
  const written = await changeClaimed(store, id, claim, (record) =>
    record.forgotten
      ? { record: { ...withoutClaim(record), status: 'done', doneAt: runAt, lastError }, ttlMs: DONE_TTL_MS }
      : { record: { ...withoutClaim(record), ...(record.again ? { again: record.again } : {}), status: 'pending', runAt, lastError } },
  );
  if (written?.status === 'done') await removeFromIndex(store, id);
  return written?.status === 'pending';
}

/** Given up: kept (with its payload, for the operator) as 'dead' for DEAD_TTL_MS and listed in the dead index. */
export async function markDead(store: DocumentStore, id: string, claim: string, now: number, lastError: string): Promise<boolean> {
  const written = await changeClaimed(store, id, claim, (record) =>
    record.forgotten
      ? { record: { ...withoutClaim(record), status: 'done', doneAt: now, lastError }, ttlMs: DONE_TTL_MS }
      : { record: { ...withoutClaim(record), status: 'dead', deadAt: now, lastError }, ttlMs: DEAD_TTL_MS },
  );
  if (written?.status === 'done') await removeFromIndex(store, id);
  if (written?.status !== 'dead') return false;
  await addToIndex(store, id, JOB_DEAD_INDEX_KEY);
  await removeFromIndex(store, id);
  return true;
}

/**
 * "Delete my data" for one job: a job not running is deleted; a running one loses its payload in
 * the store (its worker holds it in memory and finishes) and ends as done whatever the outcome.
 */
export async function forgetJob(store: DocumentStore, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<JobRecord>(jobKey(id));
    const record = current?.value;
    if (!current || !record) break;
    if (record.status !== 'running') {
      await store.delete(jobKey(id));
      break;
    }
    const { payload: _payload, again: _again, ...rest } = record;
    try {
      await store.put(jobKey(id), { ...rest, forgotten: true }, { etag: current.etag });
      return;
    } catch (error) {
      if (!isEtagConflict(error) || attempt >= 30) throw error;
    }
    await waitAfterConflict(attempt);
  }
  await removeFromIndex(store, id);
  await removeFromIndex(store, id, JOB_DEAD_INDEX_KEY);
}

/**
 * Re-files one job (a corrected email address): its payload, and the payload it is to run with once
 * more, become what `change` returns for them (undefined: unchanged). Written on the etag read, never
 * onto a job finished, forgotten or gone meanwhile; a running job keeps its claim. True when changed.
 */
export async function rewriteJob(store: DocumentStore, id: string, change: (type: string, payload: unknown) => unknown, now: number): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<JobRecord>(jobKey(id));
    const record = current?.value;
    if (!current || !record || record.status === 'done' || record.forgotten) return false;
    const payload = record.payload === undefined ? undefined : change(record.type, record.payload);
    const again = record.again ? change(record.type, record.again.payload) : undefined;
    if (payload === undefined && again === undefined) return false;
    const next: JobRecord = {
      ...record,
      ...(payload === undefined ? {} : { payload }),
      ...(record.again && again !== undefined ? { again: { ...record.again, payload: again } } : {}),
    };
    // a dead job keeps the time it has left
    const ttlMs = record.status === 'dead' ? Math.max(1, (record.deadAt ?? now) + DEAD_TTL_MS - now) : undefined;
    try {
      await store.put(jobKey(id), next, { etag: current.etag, mustExist: true, ttlMs });
      return true;
    } catch (error) {
      if (!isEtagConflict(error) || attempt >= 30) throw error;
    }
    await waitAfterConflict(attempt);
  }
}

/** Extends the lease of a running job; false when the job is no longer this worker's. */
export async function renewLease(store: DocumentStore, id: string, claim: string, leaseUntil: number): Promise<boolean> {
  return (await changeClaimed(store, id, claim, (record) => ({ record: { ...record, leaseUntil } }))) !== undefined;
}

/** The dead jobs still kept; ids whose record expired or was replaced (a keyed job enqueued again) leave the dead index. */
export async function deadJobs(store: DocumentStore): Promise<JobRecord[]> {
  const ids = await indexedIds(store, JOB_DEAD_INDEX_KEY);
  const records = await Promise.all(ids.map(async (id) => (await store.get<JobRecord>(jobKey(id)))?.value));
  const dead = records.filter((r): r is JobRecord => r?.status === 'dead');
  if (dead.length < ids.length) {
    const kept = new Set(dead.map((r) => r.id));
    await store.removeFromSet(JOB_DEAD_INDEX_KEY, ids.filter((id) => !kept.has(id)));
  }
  return dead;
}

/**
 * Recurring jobs: takes the turn of the interval that is due, in one conditional write, so of
 * several instances exactly one enqueues it. Returns when the schedule is next due.
 */
export async function takeRecurringTurn(store: DocumentStore, type: string, now: number, intervalMs: number): Promise<{ taken: boolean; nextAt: number }> {
  const key = recurringKey(type);
  const current = await store.get<{ nextRunAt: number }>(key);
  if (current && current.value.nextRunAt > now) return { taken: false, nextAt: current.value.nextRunAt };
  const nextRunAt = now + intervalMs;
  try {
    if (current) await store.put(key, { nextRunAt }, { etag: current.etag });
    else if ((await store.create(key, { nextRunAt })) === undefined) return { taken: false, nextAt: now + intervalMs };
    return { taken: true, nextAt: nextRunAt };
  } catch (error) {
    if (isEtagConflict(error)) return { taken: false, nextAt: nextRunAt };
    throw error;
  }
}
