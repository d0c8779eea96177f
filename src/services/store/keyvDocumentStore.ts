import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import KeyvRedis, { createClient } from '@keyv/redis';
import { type DocumentStore, EtagConflictError, type PutOptions, type Versioned } from './documentStore';
import { sqlExpiredPurge, startPeriodicPurge } from './expiredPurge';
import { PostgresAdapter, type SqlQuery } from './postgresAdapter';
import { SqliteAdapter } from './sqliteAdapter';
import { redisSets, type SetOperations, sqlSets } from './storeSets';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenFile } from './privateFiles';
import { isConnectionError, StoreUnavailableError, storeErrorSummary } from './storeUnavailableError';
import { withTimeout } from './storeTimeout';

/** What keyv stores for one key (keyv wraps every value as { value, expires }). */
interface Envelope<T> {
  value: { etag: string; doc: T };
  expires: number | null;
}

/**
 * The ways a write can be conditioned; each backend checks it atomically. `etag`: the stored etag
 * is that one or the key is absent (the botbuilder Storage contract); `replace`: the key exists
 * with that etag.
 */
type WriteCondition = { kind: 'any' } | { kind: 'etag'; etag: string } | { kind: 'replace'; etag: string } | { kind: 'absent' };

/** An atomic conditional write in a backend; true when the value was written. */
type ConditionalWrite = (key: string, raw: string, condition: WriteCondition, ttlMs: number | undefined) => Promise<boolean>;

/** One fixed-window count, as the store keeps it. */
interface WindowCount {
  windowStart: number;
  count: number;
}

/**
 * An atomic count in a backend: `fresh` is the envelope of a new window (count 1, the new etag);
 * a stored document of the same window gets count + 1 and that etag instead. Returns the new count.
 */
type WindowCounter = (key: string, fresh: Envelope<WindowCount>, ttlMs: number) => Promise<number>;

const TABLE = 'onboarding_documents';
/** How long a SQLite statement waits for another process's write lock (it waits on the event loop, so briefly). */
const SQLITE_BUSY_TIMEOUT_MS = 1000;

/**
 * SQLite and PostgreSQL: one INSERT … ON CONFLICT DO UPDATE … WHERE <condition> RETURNING key.
 * The statement is atomic in both databases; an empty result means the condition did not hold.
 * An expired row counts as absent.
 */
function sqlConditionalWrite(query: SqlQuery, dialect: 'sqlite' | 'postgres'): ConditionalWrite {
  const p = (n: number) => (dialect === 'sqlite' ? `?${n}` : `$${n}`);
  const etagOf = dialect === 'sqlite' ? `json_extract(${TABLE}.value, '$.value.etag')` : `(${TABLE}.value::jsonb #>> '{value,etag}')`;
  const expiresOf =
    dialect === 'sqlite' ? `json_extract(${TABLE}.value, '$.expires')` : `((${TABLE}.value::jsonb ->> 'expires')::bigint)`;
  const expired = `(${expiresOf} IS NOT NULL AND ${expiresOf} < ${p(3)})`;
  const upsert = `INSERT INTO ${TABLE} (key, value) VALUES (${p(1)}, ${p(2)}) ON CONFLICT(key) DO UPDATE SET value = excluded.value`;
  const statements = {
    any: `${upsert} RETURNING key`,
    absent: `${upsert} WHERE ${expired} RETURNING key`,
    etag: `${upsert} WHERE ${etagOf} = ${p(4)} OR ${expired} RETURNING key`,
    replace: `UPDATE ${TABLE} SET value = ${p(2)} WHERE key = ${p(1)} AND ${etagOf} = ${p(4)} AND NOT ${expired} RETURNING key`,
  };
  return async (key, raw, condition) => {
    const params: unknown[] = [key, raw];
    if (condition.kind !== 'any') params.push(Date.now());
    if (condition.kind === 'etag' || condition.kind === 'replace') params.push(condition.etag);
    const rows = await query(statements[condition.kind], params);
    return rows.length > 0;
  };
}

/** SQLite and PostgreSQL: one INSERT … ON CONFLICT DO UPDATE that adds one when the stored window is the same and has not expired. */
function sqlWindowCounter(query: SqlQuery, dialect: 'sqlite' | 'postgres'): WindowCounter {
  const sql =
    dialect === 'sqlite'
      ? `INSERT INTO ${TABLE} (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = CASE
           WHEN json_extract(${TABLE}.value, '$.value.doc.windowStart') = ?3 AND json_extract(${TABLE}.value, '$.expires') >= ?5
           THEN json_set(${TABLE}.value, '$.value.doc.count', json_extract(${TABLE}.value, '$.value.doc.count') + 1, '$.value.etag', ?4)
           ELSE excluded.value END
         RETURNING json_extract(value, '$.value.doc.count') AS count`
      : `INSERT INTO ${TABLE} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = CASE
           WHEN (${TABLE}.value::jsonb #>> '{value,doc,windowStart}')::numeric = $3::numeric AND (${TABLE}.value::jsonb ->> 'expires')::bigint >= $5
           THEN jsonb_set(jsonb_set(${TABLE}.value::jsonb, '{value,doc,count}', to_jsonb((${TABLE}.value::jsonb #>> '{value,doc,count}')::bigint + 1)), '{value,etag}', to_jsonb($4::text))::text
           ELSE excluded.value END
         RETURNING (value::jsonb #>> '{value,doc,count}')::bigint AS count`;
  return async (key, fresh) => {
    const rows = await query(sql, [key, JSON.stringify(fresh), fresh.value.doc.windowStart, fresh.value.etag, Date.now()]);
    return Number(rows[0]?.count);
  };
}

/** Redis: a Lua script reads, compares and writes in one atomic step. */
const REDIS_CONDITIONAL_SET = `
local current = redis.call('GET', KEYS[1])
local mode = ARGV[2]
if not current and mode == 'replace' then return 0 end
if current and mode ~= 'any' then
  if mode == 'absent' then return 0 end
  local ok, stored = pcall(cjson.decode, current)
  if not ok or type(stored) ~= 'table' or type(stored.value) ~= 'table' or stored.value.etag ~= ARGV[3] then
    return 0
  end
end
if ARGV[4] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
else
  redis.call('SET', KEYS[1], ARGV[1])
end
return 1`;

const REDIS_WINDOW_COUNT = `
local fresh = cjson.decode(ARGV[1])
local current = redis.call('GET', KEYS[1])
if current then
  local ok, stored = pcall(cjson.decode, current)
  if ok and type(stored) == 'table' and type(stored.value) == 'table' and type(stored.value.doc) == 'table'
    and tonumber(stored.value.doc.windowStart) == tonumber(fresh.value.doc.windowStart) then
    fresh.value.doc.count = (tonumber(stored.value.doc.count) or 0) + 1
    fresh.expires = stored.expires
  end
end
redis.call('SET', KEYS[1], cjson.encode(fresh), 'PX', ARGV[2])
return fresh.value.doc.count`;

interface RedisEvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

function redisConditionalWrite(getClient: () => Promise<RedisEvalClient>): ConditionalWrite {
  return async (key, raw, condition, ttlMs) => {
    const client = await getClient();
    const result = await client.eval(REDIS_CONDITIONAL_SET, {
      keys: [key],
      arguments: [raw, condition.kind, condition.kind === 'etag' || condition.kind === 'replace' ? condition.etag : '', ttlMs ? String(Math.ceil(ttlMs)) : ''],
    });
    return Number(result) === 1;
  };
}

function redisWindowCounter(getClient: () => Promise<RedisEvalClient>): WindowCounter {
  return async (key, fresh, ttlMs) => {
    const client = await getClient();
    return Number(await client.eval(REDIS_WINDOW_COUNT, { keys: [key], arguments: [JSON.stringify(fresh), String(Math.max(1, Math.ceil(ttlMs)))] }));
  };
}

export interface StoreOptions {
  /** Bound on every store call and on connecting at start (ms); a call that takes longer fails with StoreUnavailableError. */
  timeoutMs?: number;
  /** How often expired rows are deleted on SQLite and PostgreSQL (ms); 0 turns the purge off. */
  purgeIntervalMs?: number;
  /** Told about errors the backend reports outside any call (a dropped idle connection, a failed reconnect, a failed purge). */
  onBackgroundError?: (error: unknown) => void;
}

export const DEFAULT_STORE_TIMEOUT_MS = 3000;
export const DEFAULT_PURGE_INTERVAL_MS = 10 * 60 * 1000;

/** The opened store, with the purge of expired rows (which also runs on its own timer). */
export interface OpenedDocumentStore extends DocumentStore {
  /** Deletes expired rows now; returns how many (always 0 on Redis, which expires keys itself). */
  purgeExpired(): Promise<number>;
}

interface Backend {
  name: DocumentStore['backend'];
  keyv: Keyv<Envelope<unknown>['value']>;
  conditionalWrite: ConditionalWrite;
  countInWindow: WindowCounter;
  sets: SetOperations;
  ping: () => Promise<void>;
  purge?: () => Promise<number>;
  /** Connects and prepares (table, pragmas); opening waits for it, bounded by the timeout. */
  ready: () => Promise<void>;
  close: () => Promise<void>;
}

class KeyvDocumentStore implements OpenedDocumentStore {
  readonly backend: DocumentStore['backend'];
  private readonly purging?: { stop(): Promise<void> };

  constructor(
    private readonly impl: Backend,
    private readonly timeoutMs: number,
    purgeIntervalMs: number,
    onBackgroundError: (error: unknown) => void,
  ) {
    this.backend = impl.name;
    if (impl.purge && purgeIntervalMs > 0) this.purging = startPeriodicPurge(() => this.purgeExpired(), purgeIntervalMs, onBackgroundError);
  }

  get<T>(key: string): Promise<Versioned<T> | undefined> {
    return this.bounded('get', async () => {
      const stored = (await this.impl.keyv.get(key)) as Envelope<T>['value'] | undefined;
      return stored ? { value: stored.doc, etag: stored.etag } : undefined;
    });
  }

  put<T>(key: string, value: T, options: PutOptions = {}): Promise<string> {
    return this.bounded('put', async () => {
      const condition: WriteCondition =
        options.etag === undefined || options.etag === '*' ? { kind: 'any' } : { kind: options.mustExist ? 'replace' : 'etag', etag: options.etag };
      // Unless mustExist, a missing key accepts any etag (the botbuilder Storage contract); every backend checks that atomically.
      const etag = await this.write(key, value, condition, options.ttlMs);
      if (etag === undefined) throw new EtagConflictError(key);
      return etag;
    });
  }

  create<T>(key: string, value: T, options: { ttlMs?: number } = {}): Promise<string | undefined> {
    return this.bounded('create', () => this.write(key, value, { kind: 'absent' }, options.ttlMs));
  }

  countInWindow(key: string, windowStart: number, ttlMs: number): Promise<number> {
    return this.bounded('countInWindow', () => {
      const fresh: Envelope<WindowCount> = { value: { etag: randomUUID(), doc: { windowStart, count: 1 } }, expires: Date.now() + ttlMs };
      return this.impl.countInWindow(key, fresh, ttlMs);
    });
  }

  delete(key: string): Promise<void> {
    return this.bounded('delete', async () => {
      await this.impl.keyv.delete(key);
    });
  }

  addToSet(setKey: string, members: string[]): Promise<void> {
    const unique = [...new Set(members)];
    return unique.length === 0 ? Promise.resolve() : this.bounded('addToSet', () => this.impl.sets.add(setKey, unique));
  }

  removeFromSet(setKey: string, members: string[]): Promise<void> {
    const unique = [...new Set(members)];
    return unique.length === 0 ? Promise.resolve() : this.bounded('removeFromSet', () => this.impl.sets.remove(setKey, unique));
  }

  setMembers(setKey: string): Promise<string[]> {
    return this.bounded('setMembers', () => this.impl.sets.members(setKey));
  }

  ping(): Promise<void> {
    return this.bounded('ping', () => this.impl.ping());
  }

  purgeExpired(): Promise<number> {
    const purge = this.impl.purge;
    return purge ? this.bounded('purge', purge) : Promise.resolve(0);
  }

  async close(): Promise<void> {
    await this.purging?.stop();
    await this.impl.close();
  }

  /** Every call is bounded in time, and a lost connection surfaces as StoreUnavailableError. */
  private async bounded<T>(operation: string, call: () => Promise<T>): Promise<T> {
    try {
      return await withTimeout(call(), this.timeoutMs, () => new StoreUnavailableError(this.backend, `${operation} got no answer within ${this.timeoutMs} ms`));
    } catch (error) {
      if (isConnectionError(error)) throw new StoreUnavailableError(this.backend, `${operation} failed (${(error as Error).name})`, { cause: error });
      throw error;
    }
  }

  private async write<T>(key: string, doc: T, condition: WriteCondition, ttlMs: number | undefined): Promise<string | undefined> {
    const etag = randomUUID();
    const envelope: Envelope<T> = { value: { etag, doc }, expires: ttlMs ? Date.now() + ttlMs : null };
    const written = await this.impl.conditionalWrite(key, JSON.stringify(envelope), condition, ttlMs);
    return written ? etag : undefined;
  }
}

function keyvOver(store: KeyvStoreAdapter | PostgresAdapter | SqliteAdapter, onError: (error: unknown) => void): Keyv<Envelope<unknown>['value']> {
  // keyv types an adapter's get() generically; PostgresAdapter returns the raw string keyv deserializes, like every adapter
  const keyv = new Keyv<Envelope<unknown>['value']>(store as KeyvStoreAdapter, {
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: (data) => JSON.stringify(data),
    deserialize: (raw) => JSON.parse(raw),
  });
  keyv.on('error', onError);
  return keyv;
}

/** The DATA_URL without a password, for messages. */
function withoutPassword(dataUrl: string): string {
  const url = new URL(dataUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

function openSqlite(dataUrl: string, onError: (error: unknown) => void): Backend {
  const file = dataUrl.slice('sqlite://'.length);
  if (file !== ':memory:') {
    // the folder and the file are the app's own: 0700 / 0600 (made before SQLite opens it, so it never exists as 0644)
    ensurePrivateDir(path.dirname(path.resolve(file)), { tighten: false });
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE_MODE));
    for (const suffix of ['', '-wal', '-shm']) tightenFile(file + suffix);
  }
  const adapter = new SqliteAdapter(file, TABLE, SQLITE_BUSY_TIMEOUT_MS);
  const { query } = adapter;
  const sets = sqlSets(query, 'sqlite');
  return {
    name: 'sqlite',
    keyv: keyvOver(adapter, onError),
    conditionalWrite: sqlConditionalWrite(query, 'sqlite'),
    countInWindow: sqlWindowCounter(query, 'sqlite'),
    sets,
    ping: async () => {
      await query('SELECT 1', []);
    },
    purge: sqlExpiredPurge(query, 'sqlite', TABLE),
    close: async () => {
      await adapter.disconnect();
    },
    ready: async () => {
      await adapter.createTable();
      await sets.prepare();
      await query('PRAGMA journal_mode = WAL', []);
      // with WAL, NORMAL survives an application crash (kill -9) and keeps the file consistent; only a power
      // loss or OS crash can roll back the last commits. FULL waits for an fsync on every write (2–5 ms),
      // which made the store the bottleneck of every turn (`npm run bench`). Production stores are Redis/PostgreSQL.
      await query('PRAGMA synchronous = NORMAL', []);
      // deleted rows are overwritten with zeros, so removed personal data does not linger in free pages
      await query('PRAGMA secure_delete = ON', []);
    },
  };
}

function openPostgres(dataUrl: string, timeoutMs: number, onError: (error: unknown) => void): Backend {
  const adapter = new PostgresAdapter(dataUrl, TABLE, timeoutMs, onError);
  const { query } = adapter;
  const sets = sqlSets(query, 'postgres');
  return {
    name: 'postgres',
    keyv: keyvOver(adapter, onError),
    conditionalWrite: sqlConditionalWrite(query, 'postgres'),
    countInWindow: sqlWindowCounter(query, 'postgres'),
    sets,
    ping: async () => {
      await query('SELECT 1', []);
    },
    purge: sqlExpiredPurge(query, 'postgres', TABLE),
    close: () => adapter.disconnect(),
    ready: async () => {
      await adapter.createTable();
      await sets.prepare();
    },
  };
}

function openRedis(dataUrl: string, timeoutMs: number, onError: (error: unknown) => void): Backend {
  // Calls never wait for a connection: with the offline queue disabled a command fails at once while
  // the client reconnects (with backoff, for ever), and every call is bounded by the store's timeout.
  // A server that keeps the connection open and stops answering is not noticed by the client on its
  // own (it waits on that socket for ever): the socket timeout drops a connection that is silent
  // (also while it is being set up), and the watchdog below drops one whose PING goes unanswered.
  const client = createClient({
    url: dataUrl,
    disableOfflineQueue: true,
    socket: { connectTimeout: timeoutMs, socketTimeout: 2 * timeoutMs, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  });
  client.on('error', onError);
  const watchdog = setInterval(() => {
    if (!client.isReady) return;
    let timedOut = false;
    withTimeout(client.ping(), timeoutMs, () => {
      timedOut = true;
      return new StoreUnavailableError('redis', `no answer to PING within ${timeoutMs} ms; reconnecting`);
    }).catch((error: unknown) => {
      if (!timedOut || !client.isReady) return;
      onError(error);
      // the next call opens a new connection (connected() below, and the keyv adapter's own check)
      client.destroy();
    });
  }, timeoutMs);
  watchdog.unref();
  const adapter = new KeyvRedis(client, { throwOnConnectError: true, throwOnErrors: true });
  const connected = async () => {
    if (!client.isOpen) await client.connect();
    return client;
  };
  return {
    name: 'redis',
    keyv: keyvOver(adapter, onError),
    conditionalWrite: redisConditionalWrite(connected),
    countInWindow: redisWindowCounter(connected),
    sets: redisSets(connected),
    ping: async () => {
      await (await connected()).ping();
    },
    close: async () => {
      clearInterval(watchdog);
      if (!client.isOpen) return;
      // a clean QUIT when the server answers; otherwise drop the socket (and stop reconnecting)
      const drop = () => {
        try {
          client.destroy();
        } catch {
          // already closed
        }
      };
      if (client.isReady) await withTimeout(client.close(), timeoutMs, () => new Error('QUIT timed out')).catch(drop);
      else drop();
    },
    ready: async () => {
      await (await connected()).ping();
    },
  };
}

/**
 * Opens the store named by a DATA_URL: sqlite://<file>, redis[s]://…, postgres[ql]://…
 * Rejects with StoreUnavailableError (naming the store, never its password) when the backend does
 * not answer within the timeout, and leaves nothing running behind (so the process can exit).
 */
export async function openDocumentStore(dataUrl: string, options: StoreOptions = {}): Promise<OpenedDocumentStore> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const report = options.onBackgroundError ?? (() => undefined);
  let lastError: unknown;
  const onError = (error: unknown) => {
    lastError = error;
    report(error);
  };
  const protocol = new URL(dataUrl).protocol;
  let backend: Backend;
  if (protocol === 'sqlite:') backend = openSqlite(dataUrl, onError);
  else if (protocol === 'postgres:' || protocol === 'postgresql:') backend = openPostgres(dataUrl, timeoutMs, onError);
  else if (protocol === 'redis:' || protocol === 'rediss:') backend = openRedis(dataUrl, timeoutMs, onError);
  else throw new Error(`DATA_URL: unsupported scheme ${protocol}`);
  try {
    await withTimeout(backend.ready(), timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`));
  } catch (error) {
    await withTimeout(backend.close(), timeoutMs, () => new Error('close timed out')).catch(() => undefined);
    const seen = lastError && lastError !== error ? ` (last error: ${storeErrorSummary(lastError).message})` : '';
    const reason = (error instanceof Error ? storeErrorSummary(error).message || error.name : String(error)) + seen;
    throw new StoreUnavailableError(backend.name, `cannot reach ${withoutPassword(dataUrl)}: ${reason}`, { cause: error });
  }
  return new KeyvDocumentStore(backend, timeoutMs, backend.purge ? (options.purgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS) : 0, onError);
}
