import { isConnectionError, isStoreUnavailable, StoreUnavailableError, storeErrorSummary } from '../../src/services/store/storeUnavailableError';
import { withTimeout } from '../../src/services/store/storeTimeout';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });
const named = (name: string) => Object.assign(new Error('x'), { name });

describe('store unavailability', () => {
  it('is recognized also when wrapped (as cause, or as botbuilder-dialogs wraps it in `error`)', () => {
    const unavailable = new StoreUnavailableError('redis', 'get got no answer');
    expect(isStoreUnavailable(unavailable)).toBe(true);
    expect(isStoreUnavailable(new Error('turn failed', { cause: unavailable }))).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('DialogContextError'), { error: unavailable }))).toBe(true);
    expect(isStoreUnavailable(new Error('a bug'))).toBe(false);
    expect(isStoreUnavailable('not an error')).toBe(false);
  });

  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:6379', 'ECONNREFUSED')],
    ['PostgreSQL admin shutdown (pg_terminate_backend)', withCode('terminating connection due to administrator command', '57P01')],
    ['a PostgreSQL connection exception', withCode('connection failure', '08006')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['node-redis offline', named('ClientOfflineError')],
    ['node-redis closed socket', named('SocketClosedUnexpectedlyError')],
  ])('a lost connection: %s', (_name, error) => {
    expect(isConnectionError(error)).toBe(true);
  });

  it.each([
    ['a SQL syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a bug', new TypeError('x is undefined')],
  ])('not a lost connection: %s', (_name, error) => {
    expect(isConnectionError(error)).toBe(false);
  });

  it('logs no password of a connection string', () => {
    const summary = storeErrorSummary(new Error('cannot reach redis://user:hunter2secret@redis.example:6379/0'));
    expect(summary.message).not.toContain('hunter2secret');
    expect(summary.message).toContain('redis://***@redis.example:6379/0');
  });

  it('withTimeout rejects with the given error when the work does not settle in time', async () => {
    const never = new Promise<void>(() => undefined);
    await expect(withTimeout(never, 20, () => new StoreUnavailableError('redis', 'ping got no answer'))).rejects.toThrow(
      'Storage (redis) unavailable: ping got no answer',
    );
    await expect(withTimeout(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
  });
});
