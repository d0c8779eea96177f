import { EventEmitter } from 'node:events';
import sqlite3 from 'sqlite3';
import type { SqlQuery } from './postgresAdapter';

/**
 * A keyv store adapter over one SQLite connection that this app owns, with every statement
 * prepared once and reused. @keyv/sqlite runs each query through `Database#all`, which prepares,
 * runs and finalizes a new statement every time (several trips to libuv's thread pool, and most of
 * a turn's store cost on SQLite); a prepared statement is one trip and about half the CPU
 * (`npm run bench`). The table is @keyv/sqlite's, so either can read the file.
 */
export class SqliteAdapter extends EventEmitter {
  readonly opts: { dialect: 'sqlite'; table: string };
  namespace?: string;
  private readonly database: Promise<sqlite3.Database>;
  /** One prepared statement per SQL text; the texts are the store's own constants. */
  private readonly statements = new Map<string, Promise<sqlite3.Statement>>();

  constructor(
    file: string,
    private readonly table: string,
    busyTimeoutMs: number,
  ) {
    super();
    this.opts = { dialect: 'sqlite', table };
    this.database = new Promise((resolve, reject) => {
      const database: sqlite3.Database = new sqlite3.Database(file, (error) => {
        if (error) return reject(error);
        database.configure('busyTimeout', busyTimeoutMs);
        resolve(database);
      });
    });
    // a failed open is reported by the first query (ready() at start); never an unhandled rejection
    this.database.catch(() => undefined);
  }

  readonly query: SqlQuery = async (sql, params) => {
    const statement = await this.prepared(sql);
    return new Promise((resolve, reject) => {
      statement.all(params, (error: Error | null, rows: Array<Record<string, unknown>>) => (error ? reject(error) : resolve(rows)));
    });
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

  /** Finalizes the statements, then closes the connection (SQLite refuses to close with statements open). */
  async disconnect(): Promise<void> {
    const database = await this.database.catch(() => undefined);
    if (!database) return;
    const statements = await Promise.allSettled([...this.statements.values()]);
    this.statements.clear();
    for (const settled of statements) {
      if (settled.status === 'fulfilled') await new Promise<void>((resolve) => settled.value.finalize(() => resolve()));
    }
    await new Promise<void>((resolve, reject) => database.close((error) => (error ? reject(error) : resolve())));
  }

  private prepared(sql: string): Promise<sqlite3.Statement> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.database.then(
        (database) =>
          new Promise<sqlite3.Statement>((resolve, reject) => {
            const prepared: sqlite3.Statement = database.prepare(sql, (error: Error | null) => (error ? reject(error) : resolve(prepared)));
          }),
      );
      const pending = statement;
      // a statement that failed to prepare (e.g. before the table exists) is prepared again next time
      pending.catch(() => {
        if (this.statements.get(sql) === pending) this.statements.delete(sql);
      });
      this.statements.set(sql, pending);
    }
    return statement;
  }
}
