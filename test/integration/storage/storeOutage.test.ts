import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/config';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { StoreUnavailableError } from '../../../src/services/store/storeUnavailableError';
import { channelActivity, startApp, type Harness } from '../../helpers/appHarness';
import { startAppProcess } from '../../helpers/appProcess';
import { TestChannel } from '../../helpers/testChannel';
import { closedPort, silentServer, TcpFault, viaPort } from '../../helpers/tcpFault';

/** The two network stores, each reached through the server the test run was given. */
const STORES = [
  { name: 'Redis', scheme: 'redis', url: process.env.TEST_REDIS_URL || undefined, defaultPort: 6379, userPart: '' },
  // a PostgreSQL URL may carry a user (`postgres://postgres@…`)
  { name: 'PostgreSQL', scheme: 'postgres', url: process.env.TEST_DATABASE_URL || undefined, defaultPort: 5432, userPart: '([^@/\\s]+@)?' },
] as const;
const tryAgain = (language: 'nb' | 'en'): string =>
  (JSON.parse(fs.readFileSync(path.join(projectRoot(), 'locales', language, 'store.json'), 'utf8')) as { unavailable: string }).unavailable;

/** GET /readyz, failing the test (instead of hanging) when there is no answer within `boundMs`. */
async function readyz(url: string, boundMs = 2000): Promise<number> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(boundMs) });
  return res.status;
}

for (const store of STORES) {
  const { name, scheme, url: storeUrl, defaultPort, userPart } = store;
  /** "cannot reach <scheme>://[user@]127.0.0.1:<port>" as a pattern, followed by `rest`. */
  const unreachable = (rest: string, start = '') =>
    new RegExp(`${start}Storage \\(${scheme}\\) unavailable: cannot reach ${scheme}:\\/\\/${userPart}127\\.0\\.0\\.1:\\d+.*${rest}`, start ? 'm' : '');
  if (!storeUrl) {
    describe(`${name} outage`, () => {
      it.skip(`skipped: ${name} not reachable (see the reason printed at the start of the run)`, () => undefined);
    });
    continue;
  }
  describe(`start-up with an unreachable ${name}`, () => {
    it('rejects quickly with a message naming the store when nothing listens on the port', async () => {
      const url = viaPort(storeUrl, await closedPort());
      const started = Date.now();
      const opening = openDocumentStore(url, { timeoutMs: 1000 });
      await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(opening).rejects.toThrow(unreachable('ECONNREFUSED'));
      expect(Date.now() - started).toBeLessThan(10000); // a "does not hang" bound, not a performance target
    });

    it('rejects quickly when the server accepts connections and never answers', async () => {
      const silent = await silentServer();
      try {
        const started = Date.now();
        await expect(startApp({ DATA_URL: viaPort(storeUrl, silent.port), STORE_TIMEOUT_MS: '1000' })).rejects.toThrow(unreachable('no answer within 1000 ms'));
        expect(Date.now() - started).toBeLessThan(10000);
      } finally {
        await silent.close();
      }
    });
  });

  describe.each(['down', 'silent'] as const)(`set calls on ${name} %s`, (fault) => {
    it('fail within the bound with StoreUnavailableError, like every store call, and work again once it is back', async () => {
      const target = new URL(storeUrl);
      const proxy = new TcpFault(target.hostname, Number(target.port || defaultPort));
      await proxy.start();
      const opened = await openDocumentStore(viaPort(storeUrl, proxy.port), { timeoutMs: 1000 });
      try {
        const key = `test/outage-set/${Date.now()}`;
        await opened.addToSet(key, ['a']);
        if (fault === 'down') proxy.down();
        else proxy.silent();
        for (const call of [() => opened.addToSet(key, ['b']), () => opened.removeFromSet(key, ['a']), () => opened.setMembers(key)]) {
          const started = Date.now();
          await expect(call()).rejects.toBeInstanceOf(StoreUnavailableError);
          expect(Date.now() - started).toBeLessThan(5000); // a "does not hang" bound
        }
        proxy.up();
        const deadline = Date.now() + 15000;
        let members: string[] | undefined;
        while (Date.now() < deadline && !(members = await opened.setMembers(key).catch(() => undefined))) await new Promise((r) => setTimeout(r, 200));
        expect(members).toEqual(['a']);
        await opened.removeFromSet(key, ['a']);
      } finally {
        proxy.up();
        await opened.close();
        await proxy.stop();
      }
    }, 40000);
  });

  describe(`npm start with an unreachable ${name}`, () => {
    it('prints a clear message and exits non-zero instead of hanging', async () => {
      const app = startAppProcess({ DATA_URL: viaPort(storeUrl, await closedPort()), STORE_TIMEOUT_MS: '1000' });
      try {
        const code = await Promise.race([app.exited, new Promise((r) => setTimeout(() => r('still running'), 60000))]);
        expect(code).toBe(1);
        expect(app.stderr.join('')).toMatch(unreachable('ECONNREFUSED', '^Failed to start: the store is not reachable\\. '));
      } finally {
        await app.kill();
      }
    }, 90000);
  });

  describe.each(['down', 'silent'] as const)(`${name} %s while the app runs`, (fault) => {
    const channel = new TestChannel();
    let proxy: TcpFault;
    let h: Harness;

    beforeAll(async () => {
      const target = new URL(storeUrl);
      proxy = new TcpFault(target.hostname, Number(target.port || defaultPort));
      await proxy.start();
      await channel.start();
      h = await startApp({ DATA_URL: viaPort(storeUrl, proxy.port), STORE_TIMEOUT_MS: '1000' });
      expect(await readyz(h.url)).toBe(200);
      if (fault === 'down') proxy.down();
      else proxy.silent();
    });
    afterAll(async () => {
      proxy.up();
      await h?.stop();
      await proxy.stop();
      await channel.stop();
    });

    it('/readyz answers 503 within 2 s', async () => {
      expect(await readyz(h.url)).toBe(503);
    });

    it.each([
      ['nb', 'nb-NO', 'hei'],
      ['en', 'en-US', 'hello'],
    ] as const)('a turn in %s is answered "try again in a moment"', async (language, locale, text) => {
      const conversation = `${scheme}-${fault}-${language}-${Date.now()}`;
      const res = await h.post(channelActivity(channel.serviceUrl, conversation, { text, locale }), {});
      expect(res.status).toBeLessThan(500);
      const [reply] = await channel.waitForMessages(conversation, 1, 15000);
      expect(reply).toBe(tryAgain(language));
      await new Promise((r) => setTimeout(r, 200));
      expect(channel.messagesTo(conversation)).toHaveLength(1);
    });

    it(`recovers when ${name} is back: /readyz 200 and turns are answered as usual`, async () => {
      proxy.up();
      const deadline = Date.now() + 15000;
      let status = 0;
      while (Date.now() < deadline && (status = await readyz(h.url)) !== 200) await new Promise((r) => setTimeout(r, 200));
      expect(status).toBe(200);
      const conversation = `${scheme}-back-${Date.now()}`;
      await h.post(channelActivity(channel.serviceUrl, conversation, { text: 'hello', locale: 'en-US' }));
      const [reply] = await channel.waitForMessages(conversation, 1, 15000);
      expect(reply).not.toBe(tryAgain('en'));
    });
  });
}
