import nock from 'nock';
import { startApp, type Harness } from '../helpers/appHarness';

const SECRET = 'azure-direct-line-secret-for-tests-0123456789';
const TOKEN_SERVICE = 'https://directline.botframework.com';
const TOKEN_PATH = '/v3/directline/tokens/generate';

describe('web chat token with Azure Direct Line (DIRECT_LINE_SECRET set)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startApp({ DIRECT_LINE_SECRET: SECRET });
  });
  afterAll(async () => {
    await h.stop();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  beforeEach(() => {
    // the app itself listens on 127.0.0.1; everything else must be mocked
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => {
    nock.cleanAll();
  });

  const requestToken = () =>
    fetch(`${h.url}/api/webchat/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ locale: 'nb-NO' }) });

  it('exchanges the secret at the token service and gives the page only the token and the Azure domain', async () => {
    let authorization: string | undefined;
    let sentBody: unknown;
    const scope = nock(TOKEN_SERVICE)
      .post(TOKEN_PATH)
      .reply(function (_uri, body) {
        authorization = this.req.headers.authorization;
        sentBody = body;
        return [200, { conversationId: 'azure-conv-1', token: 'azure-token-1', expires_in: 3600 }];
      });

    const res = await requestToken();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      token: 'azure-token-1',
      conversationId: 'azure-conv-1',
      expires_in: 3600,
      domain: 'https://directline.botframework.com/v3/directline',
    });
    expect(JSON.stringify(body)).not.toContain(SECRET);
    expect(scope.isDone()).toBe(true);
    expect(authorization).toBe(`Bearer ${SECRET}`);
    expect(sentBody).toEqual({ user: { id: expect.stringMatching(/^dl_/) } });
    expect(h.logs.text).not.toContain(SECRET);
  });

  it('answers 502 with a neutral error when the token service fails', async () => {
    nock(TOKEN_SERVICE).post(TOKEN_PATH).reply(500, { error: { code: 'ServiceError' } });
    const res = await requestToken();
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: 'DirectLineUnavailable', message: expect.any(String) } });

    nock(TOKEN_SERVICE).post(TOKEN_PATH).reply(200, { unexpected: true });
    expect((await requestToken()).status).toBe(502);
    expect(h.logs.text).not.toContain(SECRET);
  });

  it('does not serve the local Direct Line', async () => {
    for (const [method, path] of [
      ['POST', '/v3/directline/conversations'],
      ['POST', '/v3/directline/tokens/generate'],
      ['GET', '/v3/directline/conversations/abc/activities'],
      ['POST', '/directline/connector/v3/conversations/abc/activities'],
    ] as const) {
      const res = await fetch(h.url + path, { method, headers: { Authorization: 'Bearer x' } });
      expect(res.status).toBe(404);
    }
  });

  it('still serves the help page, allowing Web Chat to reach Azure Direct Line', async () => {
    const res = await fetch(`${h.url}/?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain('https://directline.botframework.com wss://directline.botframework.com');
    expect(await res.text()).not.toContain(SECRET);
  });
});
