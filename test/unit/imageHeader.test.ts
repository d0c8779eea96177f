import * as jpeg from 'jpeg-js';
import QRCode from 'qrcode';
import { decodable, decodeBytes, MAX_DECODE_BYTES, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, readImageHeader, withinImageLimits } from '../../src/services/stations/imageHeader';
import { blackRgbaPng, hugeJpegHeader, tallPngBomb } from '../helpers/imageBombs';

describe('readImageHeader (size from the PNG IHDR / JPEG SOF, nothing decoded)', () => {
  it('reads a PNG’s size from its IHDR chunk', async () => {
    const png = await QRCode.toBuffer('x', { type: 'png', width: 300 });
    expect(readImageHeader(png, 'application/octet-stream')).toEqual({ kind: 'png', width: 300, height: 300, channels: 4, bitDepth: 8 });
  });

  it('reads a JPEG’s size from its frame header, past the APP segments before it', () => {
    const photo = Buffer.from(jpeg.encode({ width: 40, height: 24, data: Buffer.alloc(40 * 24 * 4, 0x80) }, 80).data);
    expect(readImageHeader(photo, 'image/jpeg')).toEqual({ kind: 'jpeg', width: 40, height: 24, channels: 3, bitDepth: 8 });
    // an EXIF-like APP1 segment and fill bytes first, as phone cameras write
    const app1 = Buffer.concat([Buffer.from([0xff, 0xff, 0xe1, 0x00, 0x0a]), Buffer.from('Exif\0\0abc')]);
    const withExif = Buffer.concat([photo.subarray(0, 2), app1.subarray(0, 2 + 3 + 8), photo.subarray(2)]);
    expect(readImageHeader(withExif, '')).toEqual({ kind: 'jpeg', width: 40, height: 24, channels: 3, bitDepth: 8 });
  });

  it('reads the claimed size of image bombs without inflating them', async () => {
    expect(readImageHeader(await tallPngBomb(), 'image/png')).toEqual({ kind: 'png', width: 1, height: 64_000_000, channels: 1, bitDepth: 1 });
    expect(readImageHeader(hugeJpegHeader(60_000, 50_000), 'image/jpeg')).toEqual({ kind: 'jpeg', width: 60_000, height: 50_000, channels: 3, bitDepth: 8 });
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
  it('accepts 12 MP phone photos and refuses larger ones, strips and giants', () => {
    expect(withinImageLimits({ width: 4032, height: 3024 })).toBe(true); // 12 MP
    expect(withinImageLimits({ width: 8160, height: 6120 })).toBe(false); // 50 MP
    expect(withinImageLimits({ width: 1, height: 64_000_000 })).toBe(false);
    expect(withinImageLimits({ width: MAX_IMAGE_SIDE + 1, height: 10 })).toBe(false);
    expect(withinImageLimits({ width: 8000, height: 8000 })).toBe(false);
    expect(8000 * 8000).toBeGreaterThan(MAX_IMAGE_PIXELS);
  });
});

describe('the byte budget of a decode, from the header (bit depth and channels count)', () => {
  it('reads bit depth and channels of a 16-bit PNG and refuses it where an 8-bit one of the same size is decoded', async () => {
    const wide = readImageHeader(await blackRgbaPng(3000, 3000, 16), 'image/png');
    const narrow = readImageHeader(await blackRgbaPng(3000, 3000, 8), 'image/png');
    expect(wide).toEqual({ kind: 'png', width: 3000, height: 3000, channels: 4, bitDepth: 16 });
    expect(narrow).toEqual({ kind: 'png', width: 3000, height: 3000, channels: 4, bitDepth: 8 });
    if ('problem' in wide || 'problem' in narrow) throw new Error('unreadable header');
    expect(withinImageLimits(wide)).toBe(true); // the pixel count alone would let it through
    expect(decodeBytes(wide)).toBeGreaterThan(MAX_DECODE_BYTES);
    expect(decodable(wide)).toBe(false);
    expect(decodable(narrow)).toBe(true);
  });

  it('decodes a 12 MP phone photo (JPEG, three components) and refuses a 16-bit 7000 × 7000 PNG', async () => {
    expect(decodable({ kind: 'jpeg', width: 4032, height: 3024, channels: 3, bitDepth: 8 })).toBe(true);
    const bomb = readImageHeader(await blackRgbaPng(7000, 7000, 16), 'image/png');
    if ('problem' in bomb) throw new Error('unreadable header');
    expect(decodeBytes(bomb)).toBeGreaterThan(1000 * 1024 * 1024);
    expect(decodable(bomb)).toBe(false);
  });

  it('refuses a PNG header with a colour type or bit depth PNG does not have', async () => {
    const png = await blackRgbaPng(10, 10, 8);
    const badType = Buffer.from(png);
    badType[25] = 5;
    const badDepth = Buffer.from(png);
    badDepth[24] = 7;
    expect(readImageHeader(badType, 'image/png')).toEqual({ problem: 'unreadable' });
    expect(readImageHeader(badDepth, 'image/png')).toEqual({ problem: 'unreadable' });
  });
});
