import http from 'node:http';
import type { AddressInfo } from 'node:net';
import QRCode from 'qrcode';
import { decodeQrFromImage } from '../../src/services/stations/qrDecoder';
import { QrImageReader } from '../../src/services/stations/qrImageReader';

describe('QrImageReader', () => {
  let png: Buffer;
  let server: http.Server;
  let base = '';
  const requests: string[] = [];
  const reader = new QrImageReader(decodeQrFromImage);

  beforeAll(async () => {
    png = await QRCode.toBuffer('https://example.test/install?mac=0024B10000029F81', { type: 'png', width: 300 });
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reads an image the channel serves (same host as the serviceUrl)', async () => {
    const text = await reader.read({ contentType: 'image/png', contentUrl: `${base}/v3/directline/attachments/c/1.png` }, `${base}/directline/connector`);
    expect(text).toBe('https://example.test/install?mac=0024B10000029F81');
  });

  it('reads an inline data: image', async () => {
    const text = await reader.read({ contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}` }, undefined);
    expect(text).toContain('0024B10000029F81');
  });

  it('does not fetch an image from any other host', async () => {
    const before = requests.length;
    const text = await reader.read({ contentType: 'image/png', contentUrl: `${base}/elsewhere.png` }, 'http://127.0.0.1:1/connector');
    expect(text).toBeUndefined();
    expect(requests.length).toBe(before);
  });
});
