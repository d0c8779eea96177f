import type { Language } from '../../../src/domain/language';
import { startApp, type Harness } from '../../helpers/appHarness';
import { localeText } from '../../helpers/localeText';
import { TcpFault, viaPort } from '../../helpers/tcpFault';

const redisUrl = process.env.TEST_REDIS_URL || undefined;

if (!redisUrl) {
  describe('the web chat token while Redis is down', () => {
    it.skip('skipped: Redis not reachable (see the reason printed at the start of the run)', () => undefined);
  });
} else {
  describe('the web chat token while Redis is down', () => {
    let proxy: TcpFault;
    let h: Harness;
    const token = (language: Language) =>
      fetch(`${h.url}/api/webchat/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: language }), signal: AbortSignal.timeout(10_000) });

    beforeAll(async () => {
      const target = new URL(redisUrl);
      proxy = new TcpFault(target.hostname, Number(target.port || 6379));
      await proxy.start();
      h = await startApp({ DATA_URL: viaPort(redisUrl, proxy.port), STORE_TIMEOUT_MS: '1000' });
      expect((await token('nb')).status).toBe(200);
      proxy.down();
    }, 60_000);
    afterAll(async () => {
      proxy.up();
      await h?.stop();
      await proxy.stop();
    });

    it.each<Language>(['nb', 'en'])('answers 503 with a code and Retry-After, no internal detail; the help page (%s) has its "try again" text for it', async (language) => {
      const before = h.logs.lines.length;
      const res = await token(language);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      const body = await res.text();
      expect(JSON.parse(body)).toEqual({ error: { code: 'StoreUnavailable', message: 'The chat is not available right now. Try again in a moment.' } });
      for (const internal of ['Storage', 'redis', '127.0.0.1', String(proxy.port), 'ECONNREFUSED']) expect(body).not.toContain(internal);
      expect(h.logs.lines.slice(before).map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('web chat: no token while the store is unavailable');
      // the page shows this text when the token request fails (pageScript: any answer that is not ok)
      const page = await (await fetch(`${h.url}/?lang=${language}`)).text();
      expect(page).toContain(`data-error="${localeText(language, 'help:chat.error')}"`);
    });
  });
}
