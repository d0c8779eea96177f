import { channelActivity, startApp, type Harness } from '../helpers/appHarness';
import { TestChannel } from '../helpers/testChannel';

describe('smoke', () => {
  let h: Harness; const channel = new TestChannel();
  beforeAll(async () => { await channel.start(); h = await startApp(); });
  afterAll(async () => { await h.stop(); await channel.stop(); });
  it('replies', async () => {
    const res = await h.post(channelActivity(channel.serviceUrl, 'c1', { text: 'hei', locale: 'nb-NO' }));
    expect(res.status).toBeLessThan(300);
    const msgs = await channel.waitForMessages('c1', 2);
    console.log(msgs);
  });
});
