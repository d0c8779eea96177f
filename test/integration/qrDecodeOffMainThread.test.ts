import http from 'node:http';
import { STATION_LINK_TTL_MS } from '../../src/services/tokens/linkTokens';
import { type Harness, startApp } from '../helpers/appHarness';
import { noisyJpeg } from '../helpers/imageBombs';

/** POSTs a photo to the scan page with node:http; resolves with the status once the answer is complete. */
function postPhoto(url: string, token: string, bytes: Buffer): Promise<number> {
  const boundary = '----offmainthread';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="token"\r\n\r\n${token}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="IMG_1.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/station/scan`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the whole app while a QR photo is being decoded', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startApp();
  });
  afterAll(() => harness.stop());

  it('answers /healthz and other pages before the slow decode is done, then answers the photo', async () => {
    const { app, url } = harness;
    const at = new Date().toISOString();
    await app.services.installers.create({
      id: 'kari@elektro.no',
      email: 'kari@elektro.no',
      region: 'global',
      language: 'nb',
      stage: 'active',
      createdAt: at,
      updatedAt: at,
      confirmationsSent: [],
      stationsLocalized: [],
    });
    const token = await app.services.tokens.issue('station', 'kari@elektro.no', STATION_LINK_TTL_MS);
    const finished: string[] = [];
    const photo = postPhoto(url, token, noisyJpeg(2000, 1500)).then((status) => {
      finished.push('photo');
      return status;
    });
    // wait until the photo is in the decoder's hands (this loop turning is itself the event loop being free)
    while (app.services.qrPool.pending === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const health = await fetch(`${url}/healthz`);
    finished.push('healthz');
    const page = await fetch(`${url}/station/scan?token=${encodeURIComponent(token)}`);
    finished.push('scan page');
    expect(health.status).toBe(200);
    expect(page.status).toBe(200);
    expect(await photo).toBe(422); // a photo without a QR code: the form again, with the reason
    expect(finished).toEqual(['healthz', 'scan page', 'photo']);
  }, 180_000);
});
