import * as jpeg from 'jpeg-js';
import QRCode from 'qrcode';
import { MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, readImageHeader, withinImageLimits } from '../../src/services/stations/imageHeader';
import { hugeJpegHeader, tallPngBomb } from '../helpers/imageBombs';

describe('readImageHeader (size from the PNG IHDR / JPEG SOF, nothing decoded)', () => {
  it('reads a PNG’s size from its IHDR chunk', async () => {
    const png = await QRCode.toBuffer('x', { type: 'png', width: 300 });
    expect(readImageHeader(png, 'application/octet-stream')).toEqual({ kind: 'png', width: 300, height: 300 });
  });

  it('reads a JPEG’s size from its frame header, past the APP segments before it', () => {
    const photo = Buffer.from(jpeg.encode({ width: 40, height: 24, data: Buffer.alloc(40 * 24 * 4, 0x80) }, 80).data);
    expect(readImageHeader(photo, 'image/jpeg')).toEqual({ kind: 'jpeg', width: 40, height: 24 });
    // an EXIF-like APP1 segment and fill bytes first, as phone cameras write
    const app1 = Buffer.concat([Buffer.from([0xff, 0xff, 0xe1, 0x00, 0x0a]), Buffer.from('Exif\0\0abc')]);
    const withExif = Buffer.concat([photo.subarray(0, 2), app1.subarray(0, 2 + 3 + 8), photo.subarray(2)]);
    expect(readImageHeader(withExif, '')).toEqual({ kind: 'jpeg', width: 40, height: 24 });
  });

  it('reads the claimed size of image bombs without inflating them', async () => {
    expect(readImageHeader(await tallPngBomb(), 'image/png')).toEqual({ kind: 'png', width: 1, height: 64_000_000 });
    expect(readImageHeader(hugeJpegHeader(60_000, 50_000), 'image/jpeg')).toEqual({ kind: 'jpeg', width: 60_000, height: 50_000 });
  });

  it('tells an unsupported type from a broken header', () => {
    expect(readImageHeader(Buffer.from('GIF89a\x01\x00\x01\x00'), 'image/gif')).toEqual({ problem: 'not_an_image' });
    expect(readImageHeader(Buffer.from('....ftypheic'), 'image/heic')).toEqual({ problem: 'not_an_image' });
    expect(readImageHeader(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png')).toEqual({ problem: 'unreadable' });
    expect(readImageHeader(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02]), 'image/jpeg')).toEqual({ problem: 'unreadable' });
    expect(readImageHeader(Buffer.alloc(0), 'image/jpeg')).toEqual({ problem: 'unreadable' });
  });
});

describe('withinImageLimits', () => {
  it('accepts phone photos up to 50 MP and refuses strips and giants', () => {
    expect(withinImageLimits({ width: 4032, height: 3024 })).toBe(true); // 12 MP
    expect(withinImageLimits({ width: 8160, height: 6120 })).toBe(true); // 50 MP
    expect(withinImageLimits({ width: 1, height: 64_000_000 })).toBe(false);
    expect(withinImageLimits({ width: MAX_IMAGE_SIDE + 1, height: 10 })).toBe(false);
    expect(withinImageLimits({ width: 8000, height: 8000 })).toBe(false);
    expect(8000 * 8000).toBeGreaterThan(MAX_IMAGE_PIXELS);
  });
});
