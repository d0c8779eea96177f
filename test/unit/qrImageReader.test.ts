import http from 'node:http';
import type { AddressInfo } from 'node:net';
import QRCode from 'qrcode';
import { createLogger } from '../../src/logger';
import { QrDecodePool } from '../../src/services/stations/qrDecodePool';
import { QrImageReader, qrPhotoProblemKey } from '../../src/services/stations/qrImageReader';
import { tallPngBomb } from '../helpers/imageBombs';

describe('QrImageReader', () => {
  let png: Buffer;
  let server: http.Server;
  let base = '';
  const requests: string[] = [];
  const pool = new QrDecodePool({ logger: createLogger({ level: 'silent' }), threads: 1, timeoutMs: 180_000 });
  const reader = new QrImageReader(pool.decode);

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
  afterAll(async () => {
    await pool.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('reads an image the channel serves (same host as the serviceUrl)', async () => {
    const text = await reader.read({ contentType: 'image/png', contentUrl: `${base}/v3/directline/attachments/c/1.png` }, `${base}/directline/connector`);
    expect(text).toEqual({ ok: true, text: 'https://example.test/install?mac=0024B10000029F81' });
  }, 180_000);

  it('reads an inline data: image', async () => {
    const text = await reader.read({ contentType: 'image/png', contentUrl: `data:image/png;base64,${png.toString('base64')}` }, undefined);
    expect(text).toEqual({ ok: true, text: 'https://example.test/install?mac=0024B10000029F81' });
  }, 180_000);

  it('does not fetch an image from any other host', async () => {
    const before = requests.length;
    const text = await reader.read({ contentType: 'image/png', contentUrl: `${base}/elsewhere.png` }, 'http://127.0.0.1:1/connector');
    expect(text).toEqual({ ok: false, problem: 'not_fetched' });
    expect(requests.length).toBe(before);
  });

  it('says why a bad photo gave nothing, and which answer the chat gives', async () => {
    const inline = (type: string, bytes: Buffer) => ({ contentType: type, contentUrl: `data:${type};base64,${bytes.toString('base64')}` });
    const bomb = await reader.read(inline('image/png', await tallPngBomb()), undefined);
    expect(bomb).toEqual({ ok: false, problem: 'too_many_pixels' });
    const oversized = await reader.read(inline('image/jpeg', Buffer.alloc(11 * 1024 * 1024, 0xff)), undefined);
    expect(oversized).toEqual({ ok: false, problem: 'too_large' });
    const heic = await reader.read(inline('image/heic', Buffer.from('\0\0\0\x18ftypheic')), undefined);
    expect(heic).toEqual({ ok: false, problem: 'not_an_image' });
    const cut = await reader.read(inline('image/png', png.subarray(0, 100)), undefined);
    expect(cut).toEqual({ ok: false, problem: 'unreadable' });
    expect([bomb, oversized, heic, cut].map((r) => (r.ok ? '' : qrPhotoProblemKey(r.problem)))).toEqual([
      'images:tooLarge',
      'images:tooLarge',
      'images:unsupported',
      'images:unreadable',
    ]);
  }, 180_000);
});
