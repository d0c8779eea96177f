import { Pool } from 'pg';
import { openDocumentStore, type OpenedDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { channelActivity } from '../../helpers/appHarness';
import { startAppProcess, type AppProcess } from '../../helpers/appProcess';
import { uniqueKey } from '../../helpers/backends';
import { TestChannel } from '../../helpers/testChannel';

const sharedUrl = process.env.TEST_DATABASE_URL || undefined;
/**
 * The connections of this suite carry their own application_name, so the drop ends only them:
 * suites running at the same time on the same database keep theirs.
 */
const APPLICATION = `pgdrop-${process.pid}`;
const databaseUrl = sharedUrl && `${sharedUrl}${sharedUrl.includes('?') ? '&' : '?'}application_name=${APPLICATION}`;

/** Ends this suite's connections to the test database, as a restart or a failover would. */
async function terminateOtherConnections(url: string): Promise<number> {
  const admin = new Pool({ connectionString: url, max: 1 });
  try {
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1',
      [APPLICATION],
    );
    return rows.length;
  } finally {
    await admin.end();
  }
}

async function status(url: string): Promise<number> {
  return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) })).status;
}

if (!databaseUrl) {
  describe('PostgreSQL connections dropped', () => {
    it.skip('skipped: PostgreSQL not reachable (see the reason printed at the start of the run)', () => undefined);
  });
} else {
  describe('PostgreSQL connections dropped under the store', () => {
    let store: OpenedDocumentStore;
    const seen: unknown[] = [];
    beforeAll(async () => {
      store = await openDocumentStore(databaseUrl, { timeoutMs: 3000, onBackgroundError: (error) => seen.push(error) });
    });
    afterAll(async () => {
      await store.close();
    });

    it('reports the drop and the next call works on a new connection', async () => {
      const key = uniqueKey('pgdrop');
      await store.put(key, { kept: true });
      expect(await terminateOtherConnections(databaseUrl)).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(seen.length).toBeGreaterThan(0);
      expect((await store.get<{ kept: boolean }>(key))?.value).toEqual({ kept: true });
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('PostgreSQL connections dropped under the running app (its own process)', () => {
    const channel = new TestChannel();
    let app: AppProcess;
    let url: string;
    beforeAll(async () => {
      await channel.start();
      app = startAppProcess({ DATA_URL: databaseUrl });
      url = await app.listening();
    }, 90000);
    afterAll(async () => {
      await app?.kill();
      await channel.stop();
    });

    it('stays alive, is ready again, and answers the next turn', async () => {
      // new conversations on every run (the database keeps the previous run's)
      const [first, second] = [`pg-before-${Date.now()}`, `pg-after-${Date.now()}`];
      expect(await status(url)).toBe(200);
      await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(channelActivity(channel.serviceUrl, first, { text: 'hello', locale: 'en-US' })),
      });
      await channel.waitForMessages(first, 1, 15000);

      // /readyz is asked all along, from just before the drop until it is ready again
      const seen: number[] = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          seen.push(await status(url).catch(() => 0));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      expect(await terminateOtherConnections(databaseUrl)).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 2000));
      const deadline = Date.now() + 15000;
      while (Date.now() < deadline && seen[seen.length - 1] !== 200) await new Promise((r) => setTimeout(r, 200));
      polling = false;
      await poller;
      if (app.child.exitCode !== null || app.child.signalCode !== null) throw new Error(`the app exited: ${app.stderr.join('').slice(-1500)}`);
      expect(app.stdout.some((line) => line.includes('storage connection problem'))).toBe(true);
      // Every answer is "ready" or "not ready", never an error or no answer. A 503 is seen only when a ping
      // was on a connection at the moment it ended (most runs: none, the pool replaces idle connections
      // before the next ping); that connection loss surfaces as 503 is shown in storeOutage.test.ts.
      expect(seen.length).toBeGreaterThan(10);
      expect(seen.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(seen[seen.length - 1]).toBe(200); // and ready again

      await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(channelActivity(channel.serviceUrl, second, { text: 'hello', locale: 'en-US' })),
      });
      const after = await channel.waitForMessages(second, 2, 15000);
      const before = channel.messagesTo(first);
      expect(after[0]).toBe(before[0]); // the same welcome as before the drop: a normal turn, no error
      expect(app.child.exitCode).toBeNull();
    }, 60000);
  });
}
