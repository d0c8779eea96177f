import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LocalizationPayload } from './stationRegistry';

/**
 * The webhook's signature (README, "Station registry webhook"): header
 * `X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. The receiver
 * recomputes it over the raw body bytes, compares in constant time, and refuses a timestamp
 * more than SIGNATURE_TOLERANCE_SECONDS away from its clock (a replayed request).
 */
export const SIGNATURE_HEADER = 'X-Signature';
export const DELIVERY_ID_HEADER = 'X-Delivery-Id';
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const DEFAULT_TIMEOUT_MS = 10_000;

export function signatureOf(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, rawBody: string, nowMs: number = Date.now()): string {
  const timestamp = Math.floor(nowMs / 1000);
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, rawBody)}`;
}

/** What a receiver does: true when the header signs this raw body with the secret, recently. */
export function verifySignature(secret: string, header: string | undefined, rawBody: string, nowMs: number = Date.now(), toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS): boolean {
  const parts = new Map((header ?? '').split(',').map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()] as const));
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(signatureOf(secret, timestamp, rawBody), 'hex'));
}

/** The registry did not take the localization (HTTP status, or none for a network error or timeout). */
export class LocalizationDeliveryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LocalizationDeliveryError';
  }
}

export interface LocalizationSenderOptions {
  url: string;
  secret: string;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * deliverLocalization(payload): one signed POST of the localization to STATIONS_WEBHOOK_URL.
 * Resolves when the registry answered 2xx; throws LocalizationDeliveryError otherwise (any other
 * status, a network error, no answer within the timeout), so the caller retries later.
 */
export function createLocalizationSender(options: LocalizationSenderOptions): (payload: LocalizationPayload) => Promise<void> {
  const now = options.now ?? Date.now;
  return async function deliverLocalization(payload) {
    const body = JSON.stringify(payload);
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signatureHeader(options.secret, body, now()),
          [DELIVERY_ID_HEADER]: payload.id,
        },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (error) {
      throw new LocalizationDeliveryError(`station registry unreachable (${error instanceof Error ? error.name : typeof error})`);
    }
    // the body is not needed; read it so the connection is freed
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new LocalizationDeliveryError(`station registry answered ${response.status}`, response.status);
  };
}
