import type { Logger } from '../../logger';
import type { Region } from '../../domain/journey';
import { backoffDelayMs, retryAfterMs, sleep } from '../store/backoff';

/**
 * HTTP to one LearnUpon portal's REST API v1 (https://{portal}.learnupon.com/api/v1/, HTTP Basic
 * key:secret). Node's fetch with an AbortSignal timeout per attempt; 429 waits for Retry-After
 * (or backs off), 5xx, network errors and timeouts are retried a bounded number of times; 4xx
 * other than 429 are answered at once. Nothing sent or received is logged: only method, path
 * (never the query, which may hold an email address), status and attempt.
 */

export type LearnUponFailure = 'timeout' | 'network' | 'rate_limited' | 'server' | 'client' | 'bad_response';

export class LearnUponError extends Error {
  constructor(
    public readonly failure: LearnUponFailure,
    message: string,
    public readonly status?: number,
    /** When LearnUpon asked us to wait (429 Retry-After) longer than we wait inside one call. */
    public readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LearnUponError';
  }

  /** Worth trying again later (a job's retry): timeouts, network, 429 and 5xx. */
  get retryable(): boolean {
    return this.failure !== 'client' && this.failure !== 'bad_response';
  }
}

export interface RetryPolicy {
  /** Attempts in all (first + retries). */
  attempts: number;
  /** Backoff between attempts when no Retry-After: jittered doubling from baseMs up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this is not waited for: the call fails with rate_limited (and retryAfterMs). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseMs: 500, maxMs: 8000, maxRetryAfterMs: 30000 };

export interface LearnUponClientOptions {
  region: Region;
  portalUrl: string;
  apiKey: string;
  apiSecret: string;
  timeoutMs: number;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  /** Test hook: how to wait between attempts. */
  sleep?: (ms: number) => Promise<void>;
}

export interface LearnUponResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface RequestOptions {
  query?: Record<string, string | number>;
  body?: unknown;
  /** Statuses (besides 2xx) that are answers, not errors (e.g. 404 on a search, 422 on an enrolment). */
  accept?: number[];
  /** Overall time this call may take, retries and waits included (e.g. inside a page request). */
  deadlineMs?: number;
  /**
   * The moment (epoch ms) by which this call must be done, retries and waits included: several
   * calls sharing one budget (a chat turn's progress read). With deadlineMs too, the earlier wins.
   */
  deadlineAt?: number;
}

/** What list() passes on to each page's request. */
export type ListOptions = Pick<RequestOptions, 'accept' | 'deadlineAt'>;

export class LearnUponClient {
  private readonly base: string;
  private readonly authorization: string;
  private readonly retry: RetryPolicy;
  private readonly wait: (ms: number) => Promise<void>;

  constructor(private readonly options: LearnUponClientOptions) {
    this.base = options.portalUrl.replace(/\/+$/, '') + '/api/v1';
    this.authorization = 'Basic ' + Buffer.from(`${options.apiKey}:${options.apiSecret}`).toString('base64');
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.wait = options.sleep ?? sleep;
  }

  get region(): Region {
    return this.options.region;
  }

  async request(method: 'GET' | 'POST' | 'PUT', path: string, request: RequestOptions = {}): Promise<LearnUponResponse> {
    const url = new URL(this.base + path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, String(value));
    const started = Date.now();
    const deadline = Math.min(request.deadlineMs === undefined ? Infinity : started + request.deadlineMs, request.deadlineAt ?? Infinity);
    const log = { region: this.options.region, method, path };
    for (let attempt = 1; ; attempt++) {
      const left = deadline - Date.now();
      // the budget was spent before this call (by the calls before it in the same read)
      if (left <= 0) throw new LearnUponError('timeout', `LearnUpon ${method} ${path}: no time left before the deadline`);
      const timeoutMs = Math.max(1, Math.min(this.options.timeoutMs, left));
      let failure: LearnUponError;
      let waitMs: number | undefined;
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const response = await fetch(url, {
          method,
          headers: {
            authorization: this.authorization,
            accept: 'application/json',
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal,
        });
        const text = await response.text();
        if (response.ok || request.accept?.includes(response.status)) {
          this.options.logger.debug({ ...log, status: response.status, attempt }, 'LearnUpon answered');
          return { status: response.status, headers: response.headers, body: parseJson(text) };
        }
        if (response.status === 429) {
          waitMs = retryAfterMs(response.headers.get('retry-after'));
          failure = new LearnUponError('rate_limited', `LearnUpon ${method} ${path}: 429 Too Many Requests`, 429, waitMs);
        } else if (response.status >= 500) {
          failure = new LearnUponError('server', `LearnUpon ${method} ${path}: ${response.status}`, response.status);
        } else {
          this.options.logger.warn({ ...log, status: response.status, attempt }, 'LearnUpon refused the request');
          throw new LearnUponError('client', `LearnUpon ${method} ${path}: ${response.status}`, response.status);
        }
      } catch (error) {
        if (error instanceof LearnUponError) {
          if (!error.retryable) throw error;
          failure = error;
        } else if (signal.aborted || isTimeout(error)) {
          failure = new LearnUponError('timeout', `LearnUpon ${method} ${path}: no answer within ${timeoutMs} ms`);
        } else {
          failure = new LearnUponError('network', `LearnUpon ${method} ${path}: ${errorCode(error)}`);
        }
      }
      const delay = waitMs ?? backoffDelayMs(attempt, this.retry.baseMs, this.retry.maxMs);
      const tooLong = waitMs !== undefined && waitMs > this.retry.maxRetryAfterMs;
      this.options.logger.warn({ ...log, status: failure.status, failure: failure.failure, attempt, waitMs: delay }, 'LearnUpon request failed');
      if (attempt >= this.retry.attempts || tooLong || Date.now() + delay >= deadline) throw failure;
      await this.wait(delay);
    }
  }

  /** Every page of a list (page=1,2,… while the LU-Has-Next-Page header says true). */
  async list<T>(path: string, key: string, query: Record<string, string | number> = {}, options: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= 1000; page++) {
      const response = await this.request('GET', path, { query: { ...query, page }, accept: options.accept, deadlineAt: options.deadlineAt });
      if (response.status === 404) return items;
      const body = response.body;
      const pageItems = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body[key]) ? body[key] : undefined;
      if (pageItems === undefined) throw new LearnUponError('bad_response', `LearnUpon GET ${path}: no "${key}" list in the answer`, response.status);
      items.push(...(pageItems as T[]));
      const hasNext = (response.headers.get('lu-has-next-page') ?? '').trim().toLowerCase() === 'true';
      if (!hasNext || pageItems.length === 0) return items;
    }
    return items;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new LearnUponError('bad_response', 'LearnUpon answered with something that is not JSON');
  }
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** A network error's code (ECONNREFUSED…), never its message (which may quote the URL). */
function errorCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = cause && typeof cause.code === 'string' ? cause.code : undefined;
  return code ?? (error instanceof Error ? error.name : 'network error');
}
