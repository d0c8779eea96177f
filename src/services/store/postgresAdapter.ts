import { EventEmitter } from 'node:events';
import { Pool } from 'pg';

export type SqlQuery = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * A keyv store adapter over a PostgreSQL pool that this app owns (so it can listen to it):
 * @keyv/postgres keeps its pool private, and a pool emits 'error' when the server drops an idle
 * connection (pg_terminate_backend, a restart, a failover), which exits the process when nobody
 * listens. Here the pool's errors go to `onError`; the pool drops the dead connection and opens a
 * new one on the next query, so the store reconnects by itself.
 */
export class PostgresAdapter extends EventEmitter {
  readonly opts: { dialect: 'postgres'; table: string };
  namespace?: string;
  readonly pool: Pool;

  constructor(
    uri: string,
    private readonly table: string,
    timeoutMs: number,
    onError: (error: Error) => void,
  ) {
    super();
    this.opts = { dialect: 'postgres', table };
    // the store's own bound (STORE_TIMEOUT_MS around every call) answers first, with one clear message;
    // pg's limits, twice as long, only end a connection or query that is still stuck after it
    this.pool = new Pool({ connectionString: uri, connectionTimeoutMillis: 2 * timeoutMs, query_timeout: 2 * timeoutMs });
    this.pool.on('error', onError);
  }

  readonly query: SqlQuery = async (sql, params) => (await this.pool.query(sql, params)).rows;

  createTable(): Promise<unknown> {
    return this.query(`CREATE TABLE IF NOT EXISTS ${this.table} (key VARCHAR(255) PRIMARY KEY, value TEXT)`, []).catch((error: unknown) => {
      // two processes creating the table at the same moment: the loser sees a unique violation
      if ((error as { code?: string }).code !== '23505') throw error;
    });
  }

  async get(key: string): Promise<string | undefined> {
    const rows = await this.query(`SELECT value FROM ${this.table} WHERE key = $1`, [key]);
    return rows[0]?.value as string | undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.query(`INSERT INTO ${this.table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [key, value]);
  }

  async delete(key: string): Promise<boolean> {
    const rows = await this.query(`DELETE FROM ${this.table} WHERE key = $1 RETURNING key`, [key]);
    return rows.length > 0;
  }

  async clear(): Promise<void> {
    await this.query(`DELETE FROM ${this.table}`, []);
  }

  async disconnect(): Promise<void> {
    await this.pool.end();
  }
}
