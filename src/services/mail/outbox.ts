import type { Language } from '../../domain/language';
import { type DocumentStore, isEtagConflict, waitAfterConflict } from '../store/documentStore';
import { indexMembers } from '../store/legacyList';
import type { MailTemplate, OutgoingMail } from './mailer';

/**
 * The outbox as documents in the store:
 * - `outbox/<id>`: one message and its delivery state;
 * - `outbox/index`: the ids not yet sent (the worker's to-do list), a set in the store (DocumentStore
 *   addToSet), so enqueueing and finishing never contend on one document however many are sent at once.
 *
 * pending --claim (CAS on the etag)--> sending --accepted--> sent (kept SENT_TTL_MS, address and link dropped)
 *                                        \--failed--> pending (nextAttemptAt = now + backoff)
 *                                        \--failed the last allowed attempt--> dead (listed in `outbox/dead`, kept DEAD_TTL_MS)
 * A 'sending' record whose lease ran out (its process died mid-send) may be claimed again.
 */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

export interface OutboxRecord {
  id: string;
  template: MailTemplate;
  language: Language;
  /** The message as enqueued; removed once sent (it holds the address and the link). */
  mail?: OutgoingMail;
  status: OutboxStatus;
  /** Delivery attempts started so far. */
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  /** The Message-ID header, fixed at enqueue so every attempt carries the same one. */
  messageId: string;
  /** While 'sending': the time after which another worker may take the message over. */
  leaseUntil?: number;
  sentAt?: number;
  /** When it was given up (status 'dead'), and why (redacted: no address, no link). */
  deadAt?: number;
  lastError?: string;
}

export const OUTBOX_INDEX_KEY = 'outbox/index';
/** The ids given up on after the last allowed attempt, for the operator (`npm run outbox:dead`); a set, too. */
export const DEAD_INDEX_KEY = 'outbox/dead';
export const DEAD_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Attempts before a message is given up (with the default backoff: about 2.5 hours). */
export const DEFAULT_MAX_ATTEMPTS = 20;
export const SENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const DEFAULT_LEASE_MS = 2 * 60 * 1000;

export function outboxKey(id: string): string {
  return `outbox/${id}`;
}

/** Stores a new pending record, then lists it in the index. */
export async function addToOutbox(store: DocumentStore, record: OutboxRecord): Promise<void> {
  if ((await store.create(outboxKey(record.id), record)) === undefined) throw new Error(`outbox: ${record.id} already exists`);
  await store.addToSet(OUTBOX_INDEX_KEY, [record.id]);
}

export async function removeFromIndex(store: DocumentStore, id: string): Promise<void> {
  await store.removeFromSet(OUTBOX_INDEX_KEY, [id]);
}

/** The ids not yet sent, oldest first (an index an earlier version kept as one document is folded in). */
export function outboxIds(store: DocumentStore): Promise<string[]> {
  return indexMembers(store, OUTBOX_INDEX_KEY);
}

export type ClaimResult =
  | { kind: 'claimed'; record: OutboxRecord & { mail: OutgoingMail }; etag: string }
  /** Not due yet, or another worker holds it: look again at `at`. */
  | { kind: 'later'; at: number }
  /** Sent, missing or unusable: nothing left to do but drop it from the index. */
  | { kind: 'done' };

/**
 * Takes a due message for delivery: 'pending' whose time has come, or 'sending' whose lease ran out.
 * The write is conditional on the etag that was read, so of several workers exactly one wins.
 */
export async function claim(store: DocumentStore, id: string, now: number, leaseMs = DEFAULT_LEASE_MS): Promise<ClaimResult> {
  const current = await store.get<OutboxRecord>(outboxKey(id));
  const record = current?.value;
  if (!current || !record || record.status === 'sent' || record.status === 'dead' || !record.mail) return { kind: 'done' };
  if (record.status === 'pending' && record.nextAttemptAt > now) return { kind: 'later', at: record.nextAttemptAt };
  if (record.status === 'sending' && (record.leaseUntil ?? 0) > now) return { kind: 'later', at: record.leaseUntil ?? now };
  const claimed = { ...record, mail: record.mail, status: 'sending' as const, attempts: record.attempts + 1, leaseUntil: now + leaseMs };
  try {
    const etag = await store.put(outboxKey(id), claimed, { etag: current.etag });
    return { kind: 'claimed', record: claimed, etag };
  } catch (error) {
    if (isEtagConflict(error)) return { kind: 'later', at: now + leaseMs };
    throw error;
  }
}

/** The server accepted the message: keep a trace (without address or link) for a week, and drop it from the index. */
export async function markSent(store: DocumentStore, record: OutboxRecord, now: number): Promise<void> {
  const { mail: _dropped, leaseUntil: _lease, ...rest } = record;
  const sent: OutboxRecord = { ...rest, status: 'sent', sentAt: now };
  // Unconditional: once accepted, nothing may send it again, whoever wrote the record meanwhile.
  await store.put(outboxKey(record.id), sent, { ttlMs: SENT_TTL_MS });
  await removeFromIndex(store, record.id);
}

/** The attempt failed: back to pending until `nextAttemptAt`, unless another worker took the message over meanwhile. */
export async function markFailed(store: DocumentStore, record: OutboxRecord, etag: string, nextAttemptAt: number): Promise<void> {
  const { leaseUntil: _lease, ...rest } = record;
  try {
    await store.put(outboxKey(record.id), { ...rest, status: 'pending', nextAttemptAt }, { etag });
  } catch (error) {
    if (!isEtagConflict(error)) throw error;
  }
}

/**
 * The last allowed attempt failed: the record stays (with the message, so an operator can see and
 * resend it) as 'dead' for DEAD_TTL_MS, leaves the to-do index and is listed in the dead index.
 * Returns false when another worker took the message over meanwhile (then it is not dead yet).
 */
export async function markDead(store: DocumentStore, record: OutboxRecord, etag: string, now: number, lastError: string): Promise<boolean> {
  const { leaseUntil: _lease, ...rest } = record;
  try {
    await store.put(outboxKey(record.id), { ...rest, status: 'dead', deadAt: now, lastError }, { etag, ttlMs: DEAD_TTL_MS });
  } catch (error) {
    if (!isEtagConflict(error)) throw error;
    return false;
  }
  await store.addToSet(DEAD_INDEX_KEY, [record.id]);
  await removeFromIndex(store, record.id);
  return true;
}

/**
 * "Delete my data" (or a corrected address): drops every message to `address` that still holds it —
 * pending, or given up and kept for the operator. A message being handed to the server at this
 * moment ('sending') goes out and loses its address when sent, like every sent message; the store
 * loses its copy now, so if that attempt fails it is not tried again.
 */
export async function forgetMailsTo(store: DocumentStore, address: string): Promise<number> {
  const dead = await indexMembers(store, DEAD_INDEX_KEY);
  const wanted = address.toLowerCase();
  let dropped = 0;
  for (const id of new Set([...(await outboxIds(store)), ...dead])) {
    if (await forgetMail(store, id, wanted)) dropped += 1;
  }
  return dropped;
}

async function forgetMail(store: DocumentStore, id: string, wanted: string): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<OutboxRecord>(outboxKey(id));
    const record = current?.value;
    if (!current || !record?.mail || record.mail.to.toLowerCase() !== wanted) return false;
    if (record.status !== 'sending') {
      await store.delete(outboxKey(id));
      await removeFromIndex(store, id);
      await store.removeFromSet(DEAD_INDEX_KEY, [id]);
      return true;
    }
    // its worker's outcome is then written on a stale etag (markFailed, markDead: dropped) or without
    // the message (markSent); the next pass finds no message and drops it from the index
    const { mail: _forgotten, ...rest } = record;
    try {
      await store.put(outboxKey(id), rest, { etag: current.etag, mustExist: true, ttlMs: SENT_TTL_MS });
      return true;
    } catch (error) {
      if (!isEtagConflict(error) || attempt >= 30) throw error;
    }
    await waitAfterConflict(attempt);
  }
}

/** The dead letters still kept (expired ones are skipped). */
export async function deadLetters(store: DocumentStore): Promise<OutboxRecord[]> {
  const ids = await indexMembers(store, DEAD_INDEX_KEY);
  const records = await Promise.all(ids.map(async (id) => (await store.get<OutboxRecord>(outboxKey(id)))?.value));
  return records.filter((r): r is OutboxRecord => r?.status === 'dead');
}

