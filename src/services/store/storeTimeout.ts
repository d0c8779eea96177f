/**
 * Settles like `work`, or rejects with `onTimeout()` after `ms` milliseconds, whichever comes first.
 * A late rejection of `work` is swallowed (it has nobody to tell), so it never becomes unhandled.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
