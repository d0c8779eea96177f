import * as jpeg from 'jpeg-js';
import QRCode from 'qrcode';
import { createLogger } from '../../src/logger';
import { decodable, MAX_DECODE_BYTES, MAX_IMAGE_PIXELS, readImageHeader, type ImageHeader } from '../../src/services/stations/imageHeader';
import { QrDecodePool } from '../../src/services/stations/qrDecodePool';
import { blackRgbaPng } from '../helpers/imageBombs';
import { LogCapture } from '../helpers/logCapture';

const MB = 1024 * 1024;
/**
 * What one decode may add to the process, as README's section on photos states it: the pixel
 * buffers of the byte budget (outside the V8 heap) and what the worker's own heap holds meanwhile.
 */
const PNG_BOUND = MAX_DECODE_BYTES + 64 * MB;
/** A JPEG's 8 × 8 blocks are small arrays on the worker's V8 heap, capped at 256 MB (+ 64 MB young generation). */
const JPEG_BOUND = MAX_DECODE_BYTES + 320 * MB;

/** The largest square RGBA PNG at this bit depth that is still decoded (worst case: 4 channels). */
function largestLegalSquare(bitDepth: 8 | 16): number {
  const header = (side: number): ImageHeader => ({ kind: 'png', width: side, height: side, channels: 4, bitDepth });
  let side = 1;
  while (decodable(header(side + 16))) side += 16;
  return side;
}

/** The process' peak RSS growth while `work` runs (sampled every 5 ms on this thread, which stays free). */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, growth: peak - base };
  } finally {
    clearInterval(sampler);
  }
}

describe('the memory one photo decode may take (pixel buffers are outside the worker heap cap)', () => {
  const logs = new LogCapture();
  let pool: QrDecodePool;
  beforeAll(async () => {
    pool = new QrDecodePool({ logger: createLogger({ level: 'info', destination: logs }), threads: 1, timeoutMs: 180_000 });
    // the worker thread is started (and its code loaded) before anything is measured
    const warm = await pool.decode(await QRCode.toBuffer('warm', { type: 'png', width: 100 }), 'image/png');
    expect(warm).toEqual({ ok: true, text: 'warm' });
  }, 180_000);
  afterAll(() => pool.close());

  it.each([8, 16] as const)('the largest legal %i-bit RGBA PNG is decoded within the stated bound', async (bitDepth) => {
    const side = largestLegalSquare(bitDepth);
    const photo = await blackRgbaPng(side, side, bitDepth);
    const { result, growth } = await peakRssGrowth(() => pool.decode(photo, 'image/png'));
    process.stdout.write(`${bitDepth}-bit ${side}×${side} PNG: +${Math.round(growth / MB)} MB RSS (bound ${PNG_BOUND / MB} MB)\n`);
    expect(result).toEqual({ ok: false, problem: 'no_qr_found' }); // decoded, searched, nothing found
    expect(growth).toBeLessThan(PNG_BOUND);
  }, 180_000);

  it('a 12 MP phone photo (4032 × 3024 JPEG, three full-resolution components) is decoded within the stated bound', async () => {
    const [width, height] = [4032, 3024];
    expect(width * height).toBeLessThanOrEqual(MAX_IMAGE_PIXELS);
    const photo = Buffer.from(jpeg.encode({ width, height, data: Buffer.alloc(width * height * 4, 0xb4) }, 80).data);
    expect(readImageHeader(photo, 'image/jpeg')).toEqual({ kind: 'jpeg', width, height, channels: 3, bitDepth: 8 });
    const { result, growth } = await peakRssGrowth(() => pool.decode(photo, 'image/jpeg'));
    process.stdout.write(`JPEG ${width}×${height}: +${Math.round(growth / MB)} MB RSS (bound ${JPEG_BOUND / MB} MB)\n`);
    expect(result).toEqual({ ok: false, problem: 'no_qr_found' });
    expect(growth).toBeLessThan(JPEG_BOUND);
  }, 180_000);

  it('a 16-bit 7000 × 7000 PNG (49 MP, a 381 kB file) is refused by its header, before a worker sees it', async () => {
    const photo = await blackRgbaPng(7000, 7000, 16);
    const { result, growth } = await peakRssGrowth(() => pool.decode(photo, 'image/png'));
    expect(result).toEqual({ ok: false, problem: 'too_many_pixels' });
    expect(growth).toBeLessThan(16 * MB);
    expect(logs.text).toContain('photo refused: too large to decode');
  }, 180_000);
});
