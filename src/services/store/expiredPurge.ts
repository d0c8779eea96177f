import type { SqlQuery } from './postgresAdapter';

/** Rows deleted by one SQLite statement of the purge; the event loop gets a turn between batches. */
export const SQLITE_PURGE_BATCH = 500;

/**
 * Deletes the rows whose keyv `expires` has passed (keyv only checks it when a key is read, so on
 * SQLite and PostgreSQL an expired row that is never read again stays forever). Returns the count.
 * SQLite's statements run on the event loop (sqliteAdapter.ts), so there it deletes in batches and
 * lets other work run between them.
 */
export function sqlExpiredPurge(query: SqlQuery, dialect: 'sqlite' | 'postgres', table: string): () => Promise<number> {
  if (dialect === 'postgres') {
    const sql = `DELETE FROM ${table} WHERE (value::jsonb ->> 'expires')::bigint < $1 RETURNING key`;
    return async () => (await query(sql, [Date.now()])).length;
  }
  const expired = `json_extract(value, '$.expires') IS NOT NULL AND json_extract(value, '$.expires') < ?1`;
  const batch = `DELETE FROM ${table} WHERE key IN (SELECT key FROM ${table} WHERE ${expired} LIMIT ${SQLITE_PURGE_BATCH}) RETURNING key`;
  return async () => {
    const now = Date.now();
    let deleted = 0;
    for (;;) {
      const count = (await query(batch, [now])).length;
      deleted += count;
      if (count < SQLITE_PURGE_BATCH) return deleted;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
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
