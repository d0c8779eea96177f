/**
 * The first error in `error`'s chain that `matches`: the error itself, then what it wraps
 * (botbuilder-dialogs' DialogContextError keeps the original in `.error`, standard wrappers in
 * `.cause`), depth first and at most a few levels deep. Undefined when none matches.
 */
export function findCause<T>(error: unknown, matches: (candidate: unknown) => candidate is T, depth = 0): T | undefined {
  if (matches(error)) return error;
  if (!error || typeof error !== 'object' || depth >= MAX_DEPTH) return undefined;
  const wrapper = error as { error?: unknown; cause?: unknown };
  return findCause(wrapper.error, matches, depth + 1) ?? findCause(wrapper.cause, matches, depth + 1);
}

const MAX_DEPTH = 6;
