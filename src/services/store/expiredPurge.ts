import type { SqlQuery } from './postgresAdapter';

/**
 * Deletes the rows whose keyv `expires` has passed (keyv only checks it when a key is read, so on
 * SQLite and PostgreSQL an expired row that is never read again stays forever). Returns the count.
 */
export function sqlExpiredPurge(query: SqlQuery, dialect: 'sqlite' | 'postgres', table: string): () => Promise<number> {
  const sql =
    dialect === 'sqlite'
      ? `DELETE FROM ${table} WHERE json_extract(value, '$.expires') IS NOT NULL AND json_extract(value, '$.expires') < ?1 RETURNING key`
      : `DELETE FROM ${table} WHERE (value::jsonb ->> 'expires')::bigint < $1 RETURNING key`;
  return async () => (await query(sql, [Date.now()])).length;
}

/**
 * Runs `purge` every `intervalMs` (an unref'd timer, so it never keeps the process alive);
 * runs never overlap; failures go to `onError`. `stop()` clears the timer and waits for a running purge.
 */
export function startPeriodicPurge(purge: () => Promise<number>, intervalMs: number, onError: (error: unknown) => void) {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = purge()
      .then(() => undefined, onError)
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop(): Promise<void> {
      clearInterval(timer);
      await running;
    },
  };
}
