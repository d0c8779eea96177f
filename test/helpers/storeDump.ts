import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { Pool } from 'pg';

const TABLE = 'onboarding_documents';
const SET_TABLE = 'onboarding_set_members';

/**
 * Everything in a store, keys and values, as one string: the whole SQLite or PostgreSQL tables
 * (documents, and set members as `<set key>=<member>`), or every key of the Redis database (a test
 * then searches it for personal data).
 */
export async function dumpStore(dataUrl: string): Promise<string> {
  const protocol = new URL(dataUrl).protocol;
  if (protocol === 'sqlite:') {
    const sqlite = new Database(dataUrl.slice('sqlite://'.length), { readonly: true });
    try {
      const rows = sqlite.prepare<[], { key: string; value: string }>(`SELECT key, value FROM ${TABLE}`).all();
      const members = sqlite.prepare<[], { key: string; value: string }>(`SELECT set_key AS key, member AS value FROM ${SET_TABLE}`).all();
      return [...rows, ...members].map((r) => `${r.key}=${r.value}`).join('\n');
    } finally {
      sqlite.close();
    }
  }
  if (protocol === 'postgres:' || protocol === 'postgresql:') {
    const pool = new Pool({ connectionString: dataUrl, max: 1 });
    try {
      const { rows } = await pool.query<{ key: string; value: string }>(`SELECT key, value FROM ${TABLE}`);
      const members = await pool.query<{ key: string; value: string }>(`SELECT set_key AS key, member AS value FROM ${SET_TABLE}`);
      return [...rows, ...members.rows].map((r) => `${r.key}=${r.value}`).join('\n');
    } finally {
      await pool.end();
    }
  }
  const client = createClient({ url: dataUrl });
  await client.connect();
  try {
    const lines: string[] = [];
    for await (const keys of client.scanIterator({ COUNT: 500 })) {
      for (const key of ([] as string[]).concat(keys)) {
        const type = await client.type(key);
        const value = type === 'string' ? await client.get(key) : type === 'set' ? (await client.sMembers(key)).join(',') : type === 'zset' ? (await client.zRange(key, 0, -1)).join(',') : `<${type}>`;
        lines.push(`${key}=${value ?? ''}`);
      }
    }
    return lines.join('\n');
  } finally {
    await client.quit();
  }
}
