/*
 * LearnUpon webhooks version 2.0, received.
 *
 * What is documented (sources):
 *  - "Webhooks version 2.0 guide", https://docs.learnupon.com/webhooks/v2/ : webhooks are turned on
 *    per portal by LearnUpon support; the portal POSTs JSON to the URL you configure; types include
 *    course_completion, module_complete, exam_completion, learning_path_completion, …; v2 payloads
 *    are slimmer than v1 and "Due to security improvements in v2.0 you need a different signature
 *    verification process. See: Verify the webhook signature."
 *  - The signature scheme itself, as implemented by a public v2 consumer that cites those docs
 *    (code index; a Cloudflare worker receiving LearnUpon webhooks): the body is
 *    `{"data":[event, …]}` (up to 10 events a POST), signed with HMAC-SHA256 of the RAW body with
 *    the portal's signing secret, hex, in `X-Webhook-Signature`; the type in `X-Webhook-Type`; a
 *    delivery id in `X-Webhook-Id`; LearnUpon retries a failed delivery for up to 72 hours.
 *    course_completion events carry `enrollmentId`, `courseId`, `courseName`,
 *    `user{userId,email,username}`, `enrollmentStatus`, `percentage`, `dateCompleted`.
 *    (v1 signed an MD5 over re-serialised JSON; v1 is not accepted here.)
 *
 * Decisions:
 *  - Each region's portal has its own secret; the secret that verifies the body names the region.
 *    No secret verifies → 401, nothing read further.
 *  - The signature covers the body only (no timestamp is documented, and the delivery id header is
 *    not signed, so anyone replaying a captured body could change it), so replays are refused by
 *    memory of what is signed: the body's SHA-256 is created in the store with a 7-day TTL (longer
 *    than LearnUpon's 72-hour retry window), atomically, so several instances agree; a second
 *    arrival is answered 200 {"status":"duplicate"} and handed on to nobody (a 4xx would only make
 *    a genuine retry, whose first answer was lost, go on for 72 hours).
 *  - course_completion → onCourseCompleted (an injected callback that records/enqueues and returns
 *    fast); other types are acknowledged and ignored. When the callback fails, the replay mark is
 *    removed and the answer is 503, so LearnUpon delivers again.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Region } from '../../domain/journey';
import type { Logger } from '../../logger';
import type { DocumentStore } from '../store/documentStore';
import { isRecord } from './learnUponClient';

/** A course completed on a LearnUpon portal (from a webhook or from polling). */
export interface CourseCompletion {
  region: Region;
  /** As LearnUpon has it (the installer id is its lower-cased form). */
  email: string;
  lmsUserId?: string;
  courseId: string;
  completedAt: string;
}

export type OnCourseCompleted = (completion: CourseCompletion) => Promise<void>;

export interface WebhookDelivery {
  rawBody: string;
  signature?: string;
  type?: string;
  /** X-Webhook-Id, logged only (it is not signed, so it is not what replays are told by). */
  deliveryId?: string;
}

export interface WebhookAnswer {
  status: 200 | 400 | 401 | 503;
  body: { status: 'accepted' | 'duplicate' | 'ignored' | 'refused' | 'invalid' | 'unavailable'; completions?: number };
}

export interface LearnUponWebhookDeps {
  /** The signing secret of each region's portal that sends webhooks. */
  secrets: Partial<Record<Region, string>>;
  store: DocumentStore;
  logger: Logger;
  onCourseCompleted: OnCourseCompleted;
  replayTtlMs?: number;
  now?: () => Date;
}

export const REPLAY_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Hex HMAC-SHA256 of the raw body: what LearnUpon puts in X-Webhook-Signature. */
export function signLearnUponBody(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex');
}

function sameHex(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.trim().toLowerCase().replace(/^sha256=/, ''), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

/** A course_completion event → a completion, or undefined when it lacks the learner or the course. */
export function completionFromEvent(event: unknown, region: Region, now: Date): CourseCompletion | undefined {
  if (!isRecord(event)) return undefined;
  const user = isRecord(event.user) ? event.user : {};
  const email = text(user.email) ?? text(event.email) ?? text(event.userEmail);
  const courseId = text(event.courseId) ?? text(event.course_id);
  if (!email || !courseId) return undefined;
  const lmsUserId = text(user.userId) ?? text(user.id) ?? text(event.userId) ?? text(event.user_id);
  const date = text(event.dateCompleted) ?? text(event.date_completed);
  const parsed = date ? new Date(date) : undefined;
  const completedAt = parsed && !Number.isNaN(parsed.getTime()) ? parsed.toISOString() : now.toISOString();
  return { region, email, courseId, completedAt, ...(lmsUserId ? { lmsUserId } : {}) };
}

export class LearnUponWebhookReceiver {
  constructor(private readonly deps: LearnUponWebhookDeps) {}

  /** The region whose secret signed this body, or undefined (forged, or no secret configured). */
  verify(rawBody: string, signature: string | undefined): Region | undefined {
    if (!signature) return undefined;
    for (const [region, secret] of Object.entries(this.deps.secrets) as Array<[Region, string | undefined]>) {
      if (secret && sameHex(signLearnUponBody(rawBody, secret), signature)) return region;
    }
    return undefined;
  }

  async receive(delivery: WebhookDelivery): Promise<WebhookAnswer> {
    const { logger } = this.deps;
    const region = this.verify(delivery.rawBody, delivery.signature);
    if (!region) {
      logger.warn({ signed: Boolean(delivery.signature) }, 'LearnUpon webhook refused: signature does not verify');
      return { status: 401, body: { status: 'refused' } };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(delivery.rawBody) as unknown;
    } catch {
      return { status: 400, body: { status: 'invalid' } };
    }
    const events = isRecord(parsed) && Array.isArray(parsed.data) ? parsed.data : [parsed];
    const type = delivery.type?.trim() || (isRecord(events[0]) ? text(events[0].webhookType) ?? text(events[0].type) : undefined);

    const replayKey = `learnupon:webhook:${region}:${createHash('sha256').update(delivery.rawBody, 'utf8').digest('hex')}`;
    const now = this.deps.now?.() ?? new Date();
    const fresh = await this.deps.store.create(replayKey, { at: now.toISOString() }, { ttlMs: this.deps.replayTtlMs ?? REPLAY_TTL_MS });
    if (fresh === undefined) {
      logger.warn({ region, type, deliveryId: delivery.deliveryId?.slice(0, 80) }, 'LearnUpon webhook refused: delivered before (replay)');
      return { status: 200, body: { status: 'duplicate' } };
    }
    if (type !== 'course_completion') {
      logger.debug({ region, type }, 'LearnUpon webhook ignored');
      return { status: 200, body: { status: 'ignored' } };
    }
    const completions = events.map((event) => completionFromEvent(event, region, now)).filter((c): c is CourseCompletion => c !== undefined);
    if (completions.length < events.length) logger.warn({ region, skipped: events.length - completions.length }, 'LearnUpon course_completion without learner or course');
    try {
      for (const completion of completions) await this.deps.onCourseCompleted(completion);
    } catch (error) {
      logger.error({ region, err: { name: error instanceof Error ? error.name : 'Error' } }, 'LearnUpon completion could not be handed on; asking LearnUpon to deliver again');
      await this.deps.store.delete(replayKey).catch(() => undefined);
      return { status: 503, body: { status: 'unavailable' } };
    }
    logger.info({ region, completions: completions.length }, 'LearnUpon course completions received');
    return { status: 200, body: { status: 'accepted', completions: completions.length } };
  }
}
