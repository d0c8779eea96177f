import { startApp, type Harness } from '../helpers/appHarness';

/**
 * The token's Direct Line domain (and the attachment URLs) follow X-Forwarded-Host and
 * X-Forwarded-Proto only when a trusted proxy sent them: anyone else could point a page's
 * Web Chat at their own server.
 */
describe('X-Forwarded-Host and X-Forwarded-Proto on the web chat token route', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const domainFor = async (url: string): Promise<string> => {
    const res = await fetch(`${url}/api/webchat/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-host': 'hjelp.firma.example', 'x-forwarded-proto': 'https' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { domain: string }).domain;
  };

  it('are ignored from a peer that is not a trusted proxy', async () => {
    h = await startApp({});
    expect(await domainFor(h.url)).toBe(`${h.url}/v3/directline`);
  });

  it('are followed from a trusted proxy', async () => {
    h = await startApp({ TRUSTED_PROXIES: '127.0.0.1,::1' });
    expect(await domainFor(h.url)).toBe('https://hjelp.firma.example/v3/directline');
  });
});
