import type { ResourceResponse } from 'botbuilder';

/** A Bot Connector operation refused, as the SDK's client reports it (the notifier reads statusCode; the channel's error code is kept). */
export class ConnectorError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | undefined,
  ) {
    super(`the channel answered ${statusCode}${code ? ` (${code})` : ''}`);
    this.name = 'ConnectorError';
  }
}

/** An operation's result: the SDK's response types carry the raw HTTP response, which no caller here reads. */
export function resource<T>(id: string): T {
  return { id } satisfies ResourceResponse as unknown as T;
}
