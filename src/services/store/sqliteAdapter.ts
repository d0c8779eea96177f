import { EventEmitter } from 'node:events';
import Database from 'better-sqlite3';
import type { SqlQuery } from './postgresAdapter';

/**
 * A keyv store adapter over one SQLite connection that this app owns (better-sqlite3), with every
 * statement prepared once and reused.
 *
 * Statements run synchronously on the event loop. That is on purpose: the store's statements are
 * point reads and single-row writes by primary key, which take 4–10 µs each, while the
 * asynchronous driver (sqlite3) cost 60–80 µs of CPU per call in trips to libuv's thread pool
 * and back, the largest single cost of a turn (`npm run bench`). Nothing a user sends decides how
 * much a statement reads. The one statement that touches many rows, the purge of expired rows,
 * deletes in batches and yields between them (see expiredPurge.ts).
 *
 * SQLite is the store of one process (DESIGN.md: Redis or PostgreSQL for several instances). The
 * busy timeout only matters when another process holds the file's write lock (a tool reading it);
 * it is kept short because a wait blocks the event loop.
 */
export class SqliteAdapter extends EventEmitter {
  readonly opts: { dialect: 'sqlite'; table: string };
  namespace?: string;
  /** Opened at the first statement, so a file that cannot be opened fails the store's start-up check like any other backend. */
  private database?: Database.Database;
  /** One prepared statement per SQL text; the texts are the store's own constants. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly file: string,
    private readonly table: string,
    private readonly busyTimeoutMs: number,
  ) {
    super();
    this.opts = { dialect: 'sqlite', table };
  }

  /** Runs one statement; numbered parameters (?1, ?2 …) are bound from `params` in order. */
  readonly query: SqlQuery = async (sql, params) => {
    const statement = this.prepared(sql);
    const bound = Object.fromEntries(params.map((value, i) => [i + 1, value]));
    if (statement.reader) return statement.all(bound) as Array<Record<string, unknown>>;
    statement.run(bound);
    return [];
  };

  createTable(): Promise<unknown> {
    return this.query(`CREATE TABLE IF NOT EXISTS ${this.table}(key VARCHAR(255) PRIMARY KEY, value TEXT )`, []);
  }

  async get(key: string): Promise<string | undefined> {
    const rows = await this.query(`SELECT value FROM ${this.table} WHERE key = ?1`, [key]);
    return rows[0]?.value as string | undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.query(`INSERT INTO ${this.table} (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, [key, value]);
  }

  async delete(key: string): Promise<boolean> {
    const rows = await this.query(`DELETE FROM ${this.table} WHERE key = ?1 RETURNING key`, [key]);
    return rows.length > 0;
  }

  async clear(): Promise<void> {
    await this.query(`DELETE FROM ${this.table}`, []);
  }

  async disconnect(): Promise<void> {
    this.statements.clear();
    if (this.database?.open) this.database.close();
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      this.database ??= new Database(this.file, { timeout: this.busyTimeoutMs });
      // a statement that fails to prepare (e.g. before the table exists) throws, and is prepared again next time
      statement = this.database.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
