import { findCause } from '../../domain/errorCause';

/**
 * The store could not be reached in time (a dropped connection, a server that is down or does not
 * answer). The caller may try again in a moment; nothing was decided about the data.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Storage (${backend}) unavailable: ${message}`, options);
    this.name = 'StoreUnavailableError';
  }
}

/** True for a StoreUnavailableError, also when wrapped (as `cause`, or as botbuilder-dialogs' `error`). */
export function isStoreUnavailable(error: unknown): boolean {
  return findCause(error, (e): e is StoreUnavailableError => e instanceof StoreUnavailableError) !== undefined;
}

/** Socket-level error codes that mean "the server cannot be reached right now". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (class 08 is all connection exceptions). */
const POSTGRES_UNAVAILABLE = new Set(['57P01', '57P02', '57P03']);
/** node-redis errors of a client that is offline, closed or reconnecting. */
const REDIS_UNAVAILABLE = new Set([
  'ClientOfflineError',
  'ClientClosedError',
  'SocketClosedUnexpectedlyError',
  'ConnectionTimeoutError',
  'SocketTimeoutError',
  'ReconnectStrategyError',
  'DisconnectsClientError',
]);

/** Whether a backend error means the connection is lost or cannot be made (as opposed to a bad query). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as Error & { code?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_UNAVAILABLE.has(code) || code.startsWith('08'))) return true;
  if (REDIS_UNAVAILABLE.has(error.name) || REDIS_UNAVAILABLE.has(error.constructor.name)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Redis client is not connected|The client is closed/i.test(error.message);
}

/** What to log about a store error: its kind and code, never a connection string or a password. */
export function storeErrorSummary(error: unknown): { name: string; code?: string; message: string } {
  if (!(error instanceof Error)) return { name: 'unknown', message: String(error).slice(0, 200) };
  const { code } = error as Error & { code?: unknown };
  const message = error.message.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1***@');
  return { name: error.name, ...(typeof code === 'string' ? { code } : {}), message: message.slice(0, 300) };
}
