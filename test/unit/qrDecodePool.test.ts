import path from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { createLogger } from '../../src/logger';
import { QrDecodePool } from '../../src/services/stations/qrDecodePool';
import { hugeJpegHeader, noisyJpeg, tallPngBomb } from '../helpers/imageBombs';
import { LogCapture } from '../helpers/logCapture';

const PAYLOAD = 'https://qr.chargepoint.com/station?mac=0024B10000029F81&sn=2411ABC';
/** Generous "does not hang" bounds: this machine may be busy (no speed is asserted). */
const SLOW = 180_000;
const FIXTURES = path.join(__dirname, '..', 'helpers', 'qrWorkerFixtures.js');

/** A 3000 × 2250 JPEG "photo" (6.75 MP) with the code, large, off centre. */
async function largePhoto(): Promise<Buffer> {
  const code = PNG.sync.read(await QRCode.toBuffer(PAYLOAD, { type: 'png', width: 1400, margin: 4 }));
  const width = 3000;
  const height = 2250;
  const data = Buffer.alloc(width * height * 4, 0xb4);
  for (let y = 0; y < code.height; y++) code.data.copy(data, ((500 + y) * width + 1300) * 4, y * code.width * 4, (y + 1) * code.width * 4);
  return Buffer.from(jpeg.encode({ width, height, data }, 85).data);
}

describe('QrDecodePool (QR decoding in worker threads)', () => {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', destination: logs });
  const pools: QrDecodePool[] = [];
  const pool = (options: Partial<ConstructorParameters<typeof QrDecodePool>[0]> = {}) => {
    const created = new QrDecodePool({ logger, threads: 1, timeoutMs: SLOW, ...options });
    pools.push(created);
    return created;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  it('refuses image bombs by their header, before any worker is involved', async () => {
    // a worker that would never answer: the refusal cannot have come from it
    const decoder = pool({ worker: { filename: FIXTURES, name: 'spin' }, timeoutMs: 60_000 });
    expect(await decoder.decode(await tallPngBomb(), 'image/png')).toEqual({ ok: false, problem: 'too_many_pixels' });
    expect(await decoder.decode(hugeJpegHeader(), 'image/jpeg')).toEqual({ ok: false, problem: 'too_many_pixels' });
    expect(await decoder.decode(Buffer.from('GIF89a'), 'image/gif')).toEqual({ ok: false, problem: 'not_an_image' });
    expect(logs.text).toContain('"height":64000000');
    expect(logs.text).toContain('photo refused: too large to decode');
  });

  it('decodes a large, legal photo in a worker', async () => {
    const decoder = pool();
    const photo = await largePhoto();
    expect(await decoder.decode(photo, 'image/jpeg')).toEqual({ ok: true, text: PAYLOAD });
    const png = await QRCode.toBuffer('0024:B100:0002:9F81', { type: 'png', width: 300 });
    expect(await decoder.decode(png, 'image/png')).toEqual({ ok: true, text: '0024:B100:0002:9F81' });
  }, SLOW);

  it('keeps the main thread free while a slow decode runs', async () => {
    const decoder = pool();
    const photo = noisyJpeg(640, 480);
    const events: string[] = [];
    const decoding = decoder.decode(photo, 'image/jpeg').then((result) => {
      events.push('decoded');
      return result;
    });
    // the event loop keeps turning: timers fire while the worker searches the photo
    await new Promise((resolve) => setTimeout(resolve, 5));
    events.push('timer');
    expect(await decoding).toEqual({ ok: false, problem: 'no_qr_found' });
    expect(events).toEqual(['timer', 'decoded']);
  }, SLOW);

  it('a worker that runs out of memory, exits or hangs gives a clear "failed", and the process lives on', async () => {
    const png = await QRCode.toBuffer('x', { type: 'png', width: 100 });
    const hungry = pool({ worker: { filename: FIXTURES, name: 'exhaustHeap' }, heapMb: 32 });
    expect(await hungry.decode(png, 'image/png')).toEqual({ ok: false, problem: 'decode_failed' });
    expect(logs.text).toContain('ERR_WORKER_OUT_OF_MEMORY');
    const exiting = pool({ worker: { filename: FIXTURES, name: 'exit' } });
    expect(await exiting.decode(png, 'image/png')).toEqual({ ok: false, problem: 'decode_failed' });
    const stuck = pool({ worker: { filename: FIXTURES, name: 'spin' }, timeoutMs: 1000 });
    expect(await stuck.decode(png, 'image/png')).toEqual({ ok: false, problem: 'decode_failed' });
    expect(logs.text).toContain('AbortError');
    // a failed worker is replaced: the same pool goes on answering
    expect(await hungry.decode(png, 'image/png')).toEqual({ ok: false, problem: 'decode_failed' });
  }, SLOW);

  it('refuses at once when the queue is full or the pool is closing', async () => {
    const png = await QRCode.toBuffer('x', { type: 'png', width: 100 });
    const stuck = pool({ worker: { filename: FIXTURES, name: 'spin' }, timeoutMs: 60_000, maxQueue: 1 });
    const running = stuck.decode(png, 'image/png');
    const queued = stuck.decode(png, 'image/png');
    expect(await stuck.decode(png, 'image/png')).toEqual({ ok: false, problem: 'decode_failed' });
    await stuck.close();
    expect(await running).toEqual({ ok: false, problem: 'decode_failed' });
    expect(await queued).toEqual({ ok: false, problem: 'decode_failed' });
    expect(await stuck.decode(png, 'image/png')).toEqual({ ok: false, problem: 'decode_failed' });
  });
});
