import { findCause } from '../../src/domain/errorCause';

class Wanted extends Error {}
const isWanted = (e: unknown): e is Wanted => e instanceof Wanted;

describe('finding the cause of an error through wrappers', () => {
  const wanted = new Wanted('the original');

  it('finds the error itself, or the one a wrapper keeps in `cause` or (botbuilder-dialogs) in `error`', () => {
    expect(findCause(wanted, isWanted)).toBe(wanted);
    expect(findCause(new Error('wrapped', { cause: wanted }), isWanted)).toBe(wanted);
    expect(findCause(Object.assign(new Error('DialogContextError'), { error: wanted }), isWanted)).toBe(wanted);
    expect(findCause(Object.assign(new Error('outer'), { error: new Error('middle', { cause: wanted }) }), isWanted)).toBe(wanted);
  });

  it('finds nothing in an unrelated chain, in a non-error, or in a chain that wraps itself', () => {
    const loop = new Error('loop') as Error & { error?: unknown };
    loop.error = loop;
    expect(findCause(new Error('a bug', { cause: new Error('another') }), isWanted)).toBeUndefined();
    expect(findCause('not an error', isWanted)).toBeUndefined();
    expect(findCause(undefined, isWanted)).toBeUndefined();
    expect(findCause(loop, isWanted)).toBeUndefined();
  });
});
