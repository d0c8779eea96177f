import type { Activity } from 'botbuilder';
import { startApp, type Harness } from '../../helpers/appHarness';
import { AVAILABLE_BACKENDS } from '../../helpers/backends';

interface Grant {
  token: string;
  conversationId: string;
}

describe.each(AVAILABLE_BACKENDS)('busy documents on $name lose no writes', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startApp({ DATA_URL: backend.url });
  });
  afterAll(async () => {
    await h.stop();
  });

  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const res = await fetch(h.url + path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as unknown };
  };

  it('100 parallel Direct Line posts to one conversation: the history has all 100, in distinct places', async () => {
    const grant = (await call('POST', '/api/webchat/token', undefined, { locale: 'nb-NO' })).json as Grant;
    expect((await call('POST', '/v3/directline/conversations', grant.token)).status).toBe(201);
    const path = `/v3/directline/conversations/${grant.conversationId}/activities`;
    const posted = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call('POST', path, grant.token, { type: 'message', text: `melding ${i}`, channelData: { clientActivityID: `c-${i}` } })),
    );
    expect(posted.map((p) => p.status)).toEqual(Array(100).fill(200));
    const ids = posted.map((p) => (p.json as { id: string }).id);
    expect(new Set(ids).size).toBe(100);

    const seen: Array<Partial<Activity>> = [];
    let watermark = '';
    const deadline = Date.now() + 60_000;
    while (seen.filter((a) => a.from?.role === 'user').length < 100 && Date.now() < deadline) {
      const page = (await call('GET', `${path}?watermark=${watermark}`, grant.token)).json as { activities: Array<Partial<Activity>>; watermark: string };
      seen.push(...page.activities);
      watermark = page.watermark;
      await new Promise((r) => setTimeout(r, 100));
    }
    const users = seen.filter((a) => a.from?.role === 'user');
    expect(users.map((a) => a.text).sort()).toEqual(Array.from({ length: 100 }, (_, i) => `melding ${i}`).sort());
    expect(users.map((a) => a.id).sort()).toEqual([...ids].sort());
    expect(new Set(seen.map((a) => a.id)).size).toBe(seen.length);
  }, 120_000);

  it('20 parallel station localizations on one installer: all 20 are recorded', async () => {
    const id = `busy-${backend.name}-${Date.now()}@example.no`;
    const now = new Date().toISOString();
    await h.app.services.installers.create({
      id, email: id, region: 'global', language: 'nb', stage: 'active', createdAt: now, updatedAt: now, confirmationsSent: [], stationsLocalized: [],
    });
    const macs = Array.from({ length: 20 }, (_, i) => `0024:B100:0002:${String(i).padStart(4, '0')}`);
    await Promise.all(macs.map((mac, i) => h.app.services.stations.localize(id, mac, { latitude: 59.9 + i / 1000, longitude: 10.75 }, false)));
    expect((await h.app.services.stations.localized(id)).map((s) => s.mac).sort()).toEqual(macs);
  }, 60_000);
});
