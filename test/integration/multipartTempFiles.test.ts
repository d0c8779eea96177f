import http from 'node:http';
import { startApp, type Harness } from '../helpers/appHarness';
import { usePrivateTmpdir } from '../helpers/privateTmpdir';

/**
 * restify's multipart parser (formidable) writes every uploaded file as upload_* in the system
 * temp folder and never removes it. Here the temp folder is a fresh one (formidable reads
 * os.tmpdir(), i.e. TMPDIR, per request), so the count is exact whatever else runs on the machine.
 */
describe('multipart bodies leave no temp files', () => {
  const { uploadLeftovers: leftovers } = usePrivateTmpdir('multipart-tmp-');
  let h: Harness;

  /** The files are removed when the response is over; give that a moment (generous bound, not a timing claim). */
  const expectNoLeftovers = async () => {
    const deadline = Date.now() + 5000;
    while (leftovers().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(leftovers()).toEqual([]);
  };

  const form = (files: Array<[string, number]>, fields: Record<string, string> = {}): FormData => {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    for (const [name, size] of files) data.append(name, new Blob([Buffer.alloc(size, 0x42)], { type: 'image/png' }), `${name}.png`);
    return data;
  };
  const post = (route: string, body: FormData, headers: Record<string, string> = {}) => fetch(h.url + route, { method: 'POST', body, headers });

  beforeAll(async () => {
    h = await startApp();
  });
  afterAll(async () => {
    await h.stop();
  });

  it.each(['/api/messages', '/api/webchat/token', '/account/password', '/station/location', '/v3/directline/conversations'])(
    'POST %s refuses multipart unread (415) and writes nothing',
    async (route) => {
      const res = await post(route, form([['file', 3 * 1024 * 1024]], { type: 'message' }));
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({ error: { code: 'UnsupportedMediaType', message: 'This route does not take multipart/form-data.' } });
      await expectNoLeftovers();
    },
  );

  it('the station scan page: every file of the post is removed, also repeated fields and a refused token', async () => {
    for (let round = 0; round < 3; round += 1) {
      const res = await post('/station/scan', form([['photo', 2 * 1024 * 1024], ['photo', 1024 * 1024], ['other', 512 * 1024]], { token: 'not-a-token', code: '' }));
      expect(res.status).toBeGreaterThanOrEqual(400);
      await res.text();
    }
    await expectNoLeftovers();
  });

  it('the station scan page: a photo over the size cap is refused and nothing stays behind', async () => {
    const res = await post('/station/scan', form([['photo', 16 * 1024 * 1024]], { token: 'not-a-token' }));
    expect(res.status).toBeGreaterThanOrEqual(400);
    await res.text();
    await expectNoLeftovers();
  });

  it('an upload the client abandons halfway leaves nothing behind', async () => {
    const boundary = 'x-boundary-x';
    const url = new URL(h.url + '/station/scan');
    await new Promise<void>((resolve) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(8 * 1024 * 1024) } });
      req.on('error', () => resolve());
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`);
      req.write(Buffer.alloc(1024 * 1024, 0x42), () => setTimeout(() => {
        req.destroy();
        resolve();
      }, 200));
    });
    await expectNoLeftovers();
  });

  it('the Direct Line upload route reads its body itself: nothing in the temp folder', async () => {
    const grant = (await (await fetch(h.url + '/api/webchat/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"en-US"}' })).json()) as { token: string; conversationId: string };
    const auth = { Authorization: `Bearer ${grant.token}` };
    expect((await fetch(`${h.url}/v3/directline/conversations`, { method: 'POST', headers: auth })).status).toBe(201);
    const res = await post(`/v3/directline/conversations/${grant.conversationId}/upload`, form([['file', 256 * 1024], ['file', 256 * 1024]]), auth);
    expect(res.status).toBe(200);
    await expectNoLeftovers();
  });
});
