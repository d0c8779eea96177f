import type { ResourceResponse } from 'botbuilder';

/**
 * A Bot Connector operation refused, as the SDK's client reports it (the notifier reads statusCode;
 * the channel's error code is kept). `retryAfterMs`: the channel's Retry-After on that answer,
 * which a job that retries the operation honours.
 */
export class ConnectorError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
    readonly retryAfterMs?: number,
  ) {
    super(`the channel answered ${statusCode}${code ? ` (${code})` : ''}`);
    this.name = 'ConnectorError';
  }
}

/** An operation's result: the SDK's response types carry the raw HTTP response, which no caller here reads. */
export function resource<T>(id: string): T {
  return { id } satisfies ResourceResponse as unknown as T;
}
