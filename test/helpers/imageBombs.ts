import zlib from 'node:zlib';
import * as jpeg from 'jpeg-js';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG of the given IHDR, its IDAT the zlib stream of `rows` rows of `rowBytes` bytes (filter byte included), all zero. */
async function zeroPng(width: number, height: number, bitDepth: number, colorType: number, rowBytes: number): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = bitDepth;
  header[9] = colorType;
  const deflate = zlib.createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const done = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const perWrite = Math.max(1, Math.floor((2 * 1024 * 1024) / rowBytes));
  const rows = Buffer.alloc(perWrite * rowBytes); // filter byte 0 and black pixels, row after row
  for (let written = 0; written < height; written += perWrite) {
    const count = Math.min(perWrite, height - written);
    if (!deflate.write(rows.subarray(0, count * rowBytes))) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', Buffer.concat(parts)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A real, valid PNG of 1 × `height` pixels (1-bit grey, all black): 2 bytes per row inflate to
 * 128 MB for 64,000,000 rows, from a file of ~125 kB (the decompression bomb of issue 11).
 */
export function tallPngBomb(height = 64_000_000): Promise<Buffer> {
  return zeroPng(1, height, 1, 0, 2);
}

/**
 * A real, valid, black RGBA PNG of `width` × `height` at 8 or 16 bits a sample: tiny as a file
 * (7000 × 7000 at 16 bits is ~380 kB), while decoding it holds channels × bitDepth/8 bytes a pixel
 * several times over (pngjs) — the memory bomb the byte budget refuses by its header.
 */
export function blackRgbaPng(width: number, height: number, bitDepth: 8 | 16 = 8): Promise<Buffer> {
  return zeroPng(width, height, bitDepth, 6, 1 + (width * 4 * bitDepth) / 8);
}

/** A small real JPEG whose frame header (SOF0) claims `width` × `height` (at most 65,535 each). */
export function hugeJpegHeader(width = 60_000, height = 60_000): Buffer {
  const data = Buffer.alloc(16 * 16 * 4, 0x80);
  const photo = Buffer.from(jpeg.encode({ width: 16, height: 16, data }, 80).data);
  const sof = photo.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no SOF0 in the encoded JPEG');
  photo.writeUInt16BE(height, sof + 5);
  photo.writeUInt16BE(width, sof + 7);
  return photo;
}

/** A grey, noisy `width` × `height` JPEG without a QR code: slow to search (seconds at a few megapixels). */
export function noisyJpeg(width: number, height: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let seed = 1;
  for (let i = 0; i < width * height; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const grey = 90 + ((seed >> 16) % 120);
    data[i * 4] = grey;
    data[i * 4 + 1] = grey;
    data[i * 4 + 2] = grey;
    data[i * 4 + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ width, height, data }, 70).data);
}
