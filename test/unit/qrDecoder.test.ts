import { randomBytes } from 'node:crypto';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { decodeQrImage } from '../../src/services/stations/qrDecoder';
import { hugeJpegHeader, tallPngBomb } from '../helpers/imageBombs';

interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

const PAYLOAD = 'https://qr.chargepoint.com/station?mac=0024B10000029F81&sn=2411ABC';

async function qrPng(payload: string, scale = 8): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', scale, margin: 4 });
}

function pixelsOf(png: Buffer): Rgba {
  const image = PNG.sync.read(png);
  return { width: image.width, height: image.height, data: image.data };
}

function toJpeg(image: Rgba, quality = 90): Buffer {
  return jpeg.encode(image, quality).data;
}

function toPng(image: Rgba): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  image.data.copy(png.data);
  return PNG.sync.write(png);
}

/** Nearest-neighbour enlargement (what a high-resolution camera photo of the label amounts to). */
function enlarge(image: Rgba, width: number): Rgba {
  const factor = width / image.width;
  const height = Math.round(image.height * factor);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const source = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4;
      image.data.copy(data, (y * width + x) * 4, source, source + 4);
    }
  }
  return { width, height, data };
}

/** The QR code placed on a larger grey, noisy "photo" background, off centre. */
function inScene(image: Rgba, width: number, height: number, left: number, top: number): Rgba {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const grey = 150 + ((i * 7919) % 40);
    data.writeUInt32BE(((grey << 24) | (grey << 16) | ((grey - 10) << 8) | 255) >>> 0, i * 4);
  }
  for (let y = 0; y < image.height; y++) image.data.copy(data, ((top + y) * width + left) * 4, y * image.width * 4, (y + 1) * image.width * 4);
  return { width, height, data };
}

function inverted(image: Rgba): Rgba {
  const data = Buffer.from(image.data);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 255 - data[i]!;
    data[i + 1] = 255 - data[i + 1]!;
    data[i + 2] = 255 - data[i + 2]!;
  }
  return { ...image, data };
}

describe('decodeQrImage finds the code', () => {
  it('reads the payload of a PNG QR code', async () => {
    expect(decodeQrImage(await qrPng(PAYLOAD), 'image/png')).toEqual({ ok: true, text: PAYLOAD });
    expect(decodeQrImage(await qrPng('0024:B100:0002:9F81', 4), 'image/png')).toEqual({ ok: true, text: '0024:B100:0002:9F81' });
  });

  it('reads a JPEG (quality 90) of the QR code, whatever type the browser claims', async () => {
    const photo = toJpeg(pixelsOf(await qrPng(PAYLOAD)));
    expect(photo.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(decodeQrImage(photo, 'image/jpeg')).toEqual({ ok: true, text: PAYLOAD });
    expect(decodeQrImage(photo, 'application/octet-stream')).toEqual({ ok: true, text: PAYLOAD });
  });

  it('scales a large photo down and still finds the code (3000 px wide, code off centre)', async () => {
    const code = enlarge(pixelsOf(await qrPng(PAYLOAD, 6)), 1400);
    const photo = toJpeg(inScene(code, 3000, 2250, 1300, 500));
    expect(photo.length).toBeGreaterThan(100_000);
    expect(decodeQrImage(photo, 'image/jpeg')).toEqual({ ok: true, text: PAYLOAD });
  });

  it('finds a light-on-dark (inverted) code', async () => {
    const code = inverted(pixelsOf(await qrPng(PAYLOAD)));
    expect(decodeQrImage(toPng(code), 'image/png')).toEqual({ ok: true, text: PAYLOAD });
  });

  it('answers undefined for a photo without a QR code', async () => {
    const blank = inScene({ width: 1, height: 1, data: Buffer.from([200, 200, 200, 255]) }, 1200, 900, 0, 0);
    expect(decodeQrImage(toJpeg(blank), 'image/jpeg')).toEqual({ ok: false, problem: 'no_qr_found' });
    expect(decodeQrImage(toPng(blank), 'image/png')).toEqual({ ok: false, problem: 'no_qr_found' });
  });

  it('says why, without throwing, for garbage and broken images', async () => {
    const photo = toJpeg(pixelsOf(await qrPng(PAYLOAD)));
    const png = await qrPng(PAYLOAD);
    for (const [bytes, type] of [
      [randomBytes(5000), 'image/jpeg'],
      [randomBytes(5000), 'image/png'],
      [Buffer.alloc(0), 'image/jpeg'],
      [Buffer.from('GIF89a not supported'), 'image/gif'],
      [photo.subarray(0, 300), 'image/jpeg'],
      [png.subarray(0, 60), 'image/png'],
    ] as Array<[Buffer, string]>) {
      const result = decodeQrImage(bytes, type);
      expect(result.ok).toBe(false);
      expect(['not_an_image', 'unreadable', 'no_qr_found']).toContain(result.ok ? '' : result.problem);
    }
  });

  it('refuses a PNG that claims an enormous size before inflating it', async () => {
    const png = Buffer.from(await qrPng(PAYLOAD));
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    expect(decodeQrImage(png, 'image/png')).toEqual({ ok: false, problem: 'too_many_pixels' });
  });

  it('refuses the 1 × 64,000,000 px PNG bomb and a JPEG claiming 60,000 × 60,000 by their headers (no inflating)', async () => {
    const bomb = await tallPngBomb();
    expect(bomb.length).toBeLessThan(200_000);
    expect(decodeQrImage(bomb, 'image/png')).toEqual({ ok: false, problem: 'too_many_pixels' });
    expect(decodeQrImage(hugeJpegHeader(), 'image/jpeg')).toEqual({ ok: false, problem: 'too_many_pixels' });
    expect(decodeQrImage(hugeJpegHeader(12_001, 2), 'image/jpeg')).toEqual({ ok: false, problem: 'too_many_pixels' });
  });

  it('says why a photo gave no text: not an image, unreadable, or no code', async () => {
    expect(decodeQrImage(Buffer.from('GIF89a not supported'), 'image/gif')).toEqual({ ok: false, problem: 'not_an_image' });
    const png = await qrPng(PAYLOAD);
    expect(decodeQrImage(png.subarray(0, 60), 'image/png')).toEqual({ ok: false, problem: 'unreadable' });
    const blank = inScene({ width: 1, height: 1, data: Buffer.from([200, 200, 200, 255]) }, 300, 200, 0, 0);
    expect(decodeQrImage(toJpeg(blank), 'image/jpeg')).toEqual({ ok: false, problem: 'no_qr_found' });
    expect(decodeQrImage(png, 'image/png')).toEqual({ ok: true, text: PAYLOAD });
  });
});
