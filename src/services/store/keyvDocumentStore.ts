import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Keyv, type KeyvStoreAdapter } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import KeyvPostgres from '@keyv/postgres';
import KeyvRedis from '@keyv/redis';
import { type DocumentStore, EtagConflictError, type PutOptions, type Versioned } from './documentStore';

/** What keyv stores for one key (keyv wraps every value as { value, expires }). */
interface Envelope<T> {
  value: { etag: string; doc: T };
  expires: number | null;
}

/** The three ways a write can be conditioned; each backend checks it atomically. */
type WriteCondition = { kind: 'any' } | { kind: 'etag'; etag: string } | { kind: 'absent' };

/** An atomic conditional write in a backend; true when the value was written. */
type ConditionalWrite = (key: string, raw: string, condition: WriteCondition, ttlMs: number | undefined) => Promise<boolean>;

const TABLE = 'onboarding_documents';

type SqlQuery = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

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
  };
  return async (key, raw, condition) => {
    const params: unknown[] = [key, raw];
    if (condition.kind !== 'any') params.push(Date.now());
    if (condition.kind === 'etag') params.push(condition.etag);
    const rows = await query(statements[condition.kind], params);
    return rows.length > 0;
  };
}

/** Redis: a Lua script reads, compares and writes in one atomic step. */
const REDIS_CONDITIONAL_SET = `
local current = redis.call('GET', KEYS[1])
local mode = ARGV[2]
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

interface RedisEvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

function redisConditionalWrite(getClient: () => Promise<RedisEvalClient>): ConditionalWrite {
  return async (key, raw, condition, ttlMs) => {
    const client = await getClient();
    const result = await client.eval(REDIS_CONDITIONAL_SET, {
      keys: [key],
      arguments: [raw, condition.kind, condition.kind === 'etag' ? condition.etag : '', ttlMs ? String(Math.ceil(ttlMs)) : ''],
    });
    return Number(result) === 1;
  };
}

class KeyvDocumentStore implements DocumentStore {
  constructor(
    private readonly keyv: Keyv<Envelope<unknown>['value']>,
    private readonly conditionalWrite: ConditionalWrite,
    readonly backend: DocumentStore['backend'],
    private readonly pingBackend: () => Promise<void>,
  ) {}

  async get<T>(key: string): Promise<Versioned<T> | undefined> {
    const stored = (await this.keyv.get(key)) as Envelope<T>['value'] | undefined;
    return stored ? { value: stored.doc, etag: stored.etag } : undefined;
  }

  async put<T>(key: string, value: T, options: PutOptions = {}): Promise<string> {
    const condition: WriteCondition =
      options.etag === undefined || options.etag === '*' ? { kind: 'any' } : { kind: 'etag', etag: options.etag };
    // A missing key accepts any etag (the botbuilder Storage contract); every backend checks that atomically.
    const etag = await this.write(key, value, condition, options.ttlMs);
    if (etag === undefined) throw new EtagConflictError(key);
    return etag;
  }

  create<T>(key: string, value: T, options: { ttlMs?: number } = {}): Promise<string | undefined> {
    return this.write(key, value, { kind: 'absent' }, options.ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.keyv.delete(key);
  }

  ping(): Promise<void> {
    return this.pingBackend();
  }

  async close(): Promise<void> {
    await this.keyv.disconnect();
  }

  private async write<T>(key: string, doc: T, condition: WriteCondition, ttlMs: number | undefined): Promise<string | undefined> {
    const etag = randomUUID();
    const envelope: Envelope<T> = { value: { etag, doc }, expires: ttlMs ? Date.now() + ttlMs : null };
    const written = await this.conditionalWrite(key, JSON.stringify(envelope), condition, ttlMs);
    return written ? etag : undefined;
  }
}

function keyvOver(store: KeyvStoreAdapter): Keyv<Envelope<unknown>['value']> {
  return new Keyv<Envelope<unknown>['value']>(store, {
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: (data) => JSON.stringify(data),
    deserialize: (raw) => JSON.parse(raw),
  });
}

/** Opens the store named by a DATA_URL: sqlite://<file>, redis[s]://…, postgres[ql]://… */
export async function openDocumentStore(dataUrl: string): Promise<DocumentStore> {
  const protocol = new URL(dataUrl).protocol;
  if (protocol === 'sqlite:') {
    const file = dataUrl.slice('sqlite://'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const adapter = new KeyvSqlite({ uri: dataUrl, table: TABLE, busyTimeout: 5000 });
    const query: SqlQuery = (sql, params) => adapter.query(sql, ...params) as Promise<Array<Record<string, unknown>>>;
    await query('PRAGMA journal_mode = WAL', []);
    return new KeyvDocumentStore(keyvOver(adapter), sqlConditionalWrite(query, 'sqlite'), 'sqlite', async () => {
      await query('SELECT 1', []);
    });
  }
  if (protocol === 'postgres:' || protocol === 'postgresql:') {
    const adapter = new KeyvPostgres({ uri: dataUrl, table: TABLE });
    const query: SqlQuery = (sql, params) => adapter.query(sql, params) as Promise<Array<Record<string, unknown>>>;
    await query('SELECT 1', []);
    return new KeyvDocumentStore(keyvOver(adapter), sqlConditionalWrite(query, 'postgres'), 'postgres', async () => {
      await query('SELECT 1', []);
    });
  }
  if (protocol === 'redis:' || protocol === 'rediss:') {
    // no connectionTimeout: @keyv/redis leaves its timer running; node-redis' own socket connect timeout applies
    const adapter = new KeyvRedis(dataUrl, { throwOnConnectError: true, throwOnErrors: true });
    const getClient = () => adapter.getClient() as unknown as Promise<RedisEvalClient & { ping(): Promise<string> }>;
    await (await getClient()).ping();
    return new KeyvDocumentStore(keyvOver(adapter), redisConditionalWrite(getClient), 'redis', async () => {
      await (await getClient()).ping();
    });
  }
  throw new Error(`DATA_URL: unsupported scheme ${protocol}`);
}
