import type { SqlQuery } from './postgresAdapter';

/**
 * Sets of strings kept apart from the documents, for lists that many writers append to (the outbox's
 * to-do list, the jobs' index, the support queue). Rewriting one document that holds the whole list
 * makes every writer race every other on its eTag; here adding or removing a member is one atomic
 * statement of the backend, which never conflicts and never needs a retry.
 *
 * Members read back in the order they were added (what the job queue's groups rely on: a group's
 * jobs run in the order they were enqueued). Sets and documents are separate namespaces: a set may
 * share its key with a document (an index kept the old way, as one array document, folds into the
 * set of the same key: see legacyList.ts).
 */
export interface SetOperations {
  /**
   * Adds the members not there yet, in the order given (after every member already there).
   * PostgreSQL locks them in that order: callers adding several of the same members at once should
   * give them in one order (the folds of one legacy array all do), or one may be aborted as a deadlock.
   */
  add(setKey: string, members: string[]): Promise<void>;
  remove(setKey: string, members: string[]): Promise<void>;
  /** The members, oldest first. */
  members(setKey: string): Promise<string[]>;
  /** Prepares the backend (the table on SQLite and PostgreSQL); run when the store opens. */
  prepare(): Promise<void>;
}

export const SET_TABLE = 'onboarding_set_members';

/**
 * SQLite and PostgreSQL: one row per member. `seq` grows with every insert, so ordering by it gives
 * the order members were added; the unique (set_key, member) makes adding twice a no-op
 * (INSERT … ON CONFLICT DO NOTHING). A missing set is simply no rows: removing the last member
 * leaves nothing behind (what "delete my data" relies on for a set named after a person).
 */
export function sqlSets(query: SqlQuery, dialect: 'sqlite' | 'postgres'): SetOperations {
  const sql =
    dialect === 'sqlite'
      ? {
          create: `CREATE TABLE IF NOT EXISTS ${SET_TABLE} (seq INTEGER PRIMARY KEY, set_key TEXT NOT NULL, member TEXT NOT NULL, UNIQUE (set_key, member))`,
          // "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON
          add: `INSERT INTO ${SET_TABLE} (set_key, member) SELECT ?1, value FROM json_each(?2) WHERE true ORDER BY key ON CONFLICT (set_key, member) DO NOTHING`,
          remove: `DELETE FROM ${SET_TABLE} WHERE set_key = ?1 AND member IN (SELECT value FROM json_each(?2))`,
          members: `SELECT member FROM ${SET_TABLE} WHERE set_key = ?1 ORDER BY seq`,
        }
      : {
          create: `CREATE TABLE IF NOT EXISTS ${SET_TABLE} (seq BIGSERIAL PRIMARY KEY, set_key TEXT NOT NULL, member TEXT NOT NULL, UNIQUE (set_key, member))`,
          add: `INSERT INTO ${SET_TABLE} (set_key, member) SELECT $1, m FROM unnest($2::text[]) WITH ORDINALITY AS given(m, n) ORDER BY n ON CONFLICT (set_key, member) DO NOTHING`,
          remove: `DELETE FROM ${SET_TABLE} WHERE set_key = $1 AND member = ANY($2::text[])`,
          members: `SELECT member FROM ${SET_TABLE} WHERE set_key = $1 ORDER BY seq`,
        };
  // SQLite takes the list as JSON (json_each), PostgreSQL as an array parameter
  const list = (members: string[]) => (dialect === 'sqlite' ? JSON.stringify(members) : members);
  return {
    add: async (setKey, members) => {
      await query(sql.add, [setKey, list(members)]);
    },
    remove: async (setKey, members) => {
      await query(sql.remove, [setKey, list(members)]);
    },
    members: async (setKey) => (await query(sql.members, [setKey])).map((row) => String(row.member)),
    prepare: async () => {
      await query(sql.create, []).catch((error: unknown) => {
        // two processes creating the table at the same moment: the loser sees a unique violation or a duplicate table
        const code = (error as { code?: string }).code;
        if (dialect === 'sqlite' || (code !== '23505' && code !== '42P07')) throw error;
      });
    },
  };
}

/**
 * Redis: a sorted set whose scores count up from 1 in the order members were added (the Lua script
 * gives a new member the highest score + 1, atomically), so ZRANGE reads them oldest first. Its key
 * is prefixed, so a set never meets a document of the same key (Redis keeps one type per key).
 * Redis deletes a sorted set when its last member goes.
 */
const REDIS_SET_ADD = `
local top = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
local score = tonumber(top[2]) or 0
for _, member in ipairs(ARGV) do
  if redis.call('ZADD', KEYS[1], 'NX', score + 1, member) == 1 then score = score + 1 end
end
return 1`;

export const REDIS_SET_PREFIX = 'set:';

interface RedisSetClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  zRem(key: string, members: string[]): Promise<unknown>;
  zRange(key: string, start: number, stop: number): Promise<string[]>;
}

export function redisSets(getClient: () => Promise<RedisSetClient>): SetOperations {
  const key = (setKey: string) => REDIS_SET_PREFIX + setKey;
  return {
    add: async (setKey, members) => {
      await (await getClient()).eval(REDIS_SET_ADD, { keys: [key(setKey)], arguments: members });
    },
    remove: async (setKey, members) => {
      await (await getClient()).zRem(key(setKey), members);
    },
    members: async (setKey) => (await getClient()).zRange(key(setKey), 0, -1),
    prepare: async () => undefined,
  };
}
