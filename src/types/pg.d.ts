/** The small part of `pg` (node-postgres, which ships no types) that the store uses. */
declare module 'pg' {
  import { EventEmitter } from 'node:events';

  export interface PoolConfig {
    connectionString?: string;
    max?: number;
    connectionTimeoutMillis?: number;
    idleTimeoutMillis?: number;
    query_timeout?: number;
  }

  export interface QueryResult<R> {
    rows: R[];
    rowCount: number | null;
  }

  export class Pool extends EventEmitter {
    constructor(config?: PoolConfig);
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    end(): Promise<void>;
    readonly totalCount: number;
    readonly idleCount: number;
  }
}
