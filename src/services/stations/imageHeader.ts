/**
 * What a photo's header says, read without decoding a single pixel: its size, and the samples per
 * pixel (`channels`) and bits per sample (`bitDepth`) its decoder has to hold.
 */
export type ImageHeader = { kind: 'png' | 'jpeg'; width: number; height: number; channels: number; bitDepth: number };
type Format = Omit<ImageHeader, 'kind'>;
export type ImageHeaderProblem = 'not_an_image' | 'unreadable';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG or JPEG by the bytes (phones and browsers do not always send a useful type), else by the claimed type. */
export function imageKind(buffer: Buffer, mimeType: string): 'png' | 'jpeg' | undefined {
  if (buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buffer.length > 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return 'jpeg';
  if (/png/i.test(mimeType)) return 'png';
  if (/jpe?g/i.test(mimeType)) return 'jpeg';
  return undefined;
}

/** Samples per pixel of each PNG colour type: grey, RGB, palette index, grey + alpha, RGBA. */
const PNG_CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** The first chunk of a PNG must be IHDR: width, height (32 bits each), bit depth and colour type. */
function pngFormat(buffer: Buffer): Format | undefined {
  if (buffer.length < 26 || !buffer.subarray(0, 8).equals(PNG_SIGNATURE) || buffer.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const channels = PNG_CHANNELS[buffer[25]!];
  const bitDepth = buffer[24]!;
  if (channels === undefined || ![1, 2, 4, 8, 16].includes(bitDepth)) return undefined;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20), channels, bitDepth };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic); C4, C8 and CC are other segments. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks the JPEG segments up to the first SOF (before any scan data): precision, height, width, components. */
function jpegFormat(buffer: Buffer): Format | undefined {
  if (buffer.length < 4 || buffer[0] !== 0xff || buffer[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 4 <= buffer.length) {
    if (buffer[offset] !== 0xff) return undefined;
    const marker = buffer[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined; // end of image or scan data before any frame header
    const length = buffer.readUInt16BE(offset + 2);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      if (offset + 10 > buffer.length) return undefined;
      return { bitDepth: buffer[offset + 4]!, height: buffer.readUInt16BE(offset + 5), width: buffer.readUInt16BE(offset + 7), channels: buffer[offset + 9]! };
    }
    offset += 2 + length;
  }
  return undefined;
}

/**
 * The kind and size of a PNG or JPEG from its header alone (PNG IHDR, JPEG SOF), so an image
 * bomb can be refused before any memory is spent on it.
 */
export function readImageHeader(buffer: Buffer, mimeType: string): ImageHeader | { problem: ImageHeaderProblem } {
  const kind = imageKind(buffer, mimeType);
  if (!kind) return { problem: 'not_an_image' };
  const format = kind === 'png' ? pngFormat(buffer) : jpegFormat(buffer);
  // a JPEG height of 0 means "given later" (DNL): not something a phone camera writes
  if (!format || format.width === 0 || format.height === 0 || format.channels === 0) return { problem: 'unreadable' };
  return { kind, ...format };
}

/**
 * A 12 MP phone photo (4032 × 3024) and a little more. Phones with 48–200 MP sensors save 12 MP
 * photos unless told otherwise; a larger one is answered "photo too large, send a smaller one".
 */
export const MAX_IMAGE_PIXELS = 13_000_000;
/** No camera photo is longer than this on either side; a 1 × 64,000,000 strip is an attack, not a photo. */
export const MAX_IMAGE_SIDE = 12_000;
/** The pixel buffers one decode may hold (decodeBytes); the pool runs at most 4 decodes at a time. */
export const MAX_DECODE_BYTES = 128 * 1024 * 1024;
/** Photos are scaled down to at most this many pixels on the long side before the QR search. */
export const MAX_DECODE_SIDE = 1600;

/** Whether a header's size is one this app decodes (checked before decoding, in the app and in the worker). */
export function withinImageLimits(header: { width: number; height: number }): boolean {
  return header.width <= MAX_IMAGE_SIDE && header.height <= MAX_IMAGE_SIDE && header.width * header.height <= MAX_IMAGE_PIXELS;
}

/**
 * The bytes of pixel buffers a decode of this image holds at its peak, from the header alone. These
 * buffers live outside the worker's V8 heap (its heap cap does not bound them), so this is what
 * bounds them. PNG (pngjs): the inflated rows and the unfiltered copy (each channels × bitDepth/8
 * per pixel, plus a filter byte per row), for 16 bits a 16-bit RGBA bitmap, and the RGBA output.
 * JPEG (jpeg-js): its component samples and the RGBA output (its 8 × 8 blocks are small arrays on
 * the V8 heap, bounded by the heap cap and its own maxMemoryUsageInMB). Both: the downscaled copy
 * searched for the code (qrDecoder.ts).
 */
export function decodeBytes(header: ImageHeader): number {
  const pixels = header.width * header.height;
  const rgba = pixels * 4;
  const factor = Math.max(1, Math.ceil(Math.max(header.width, header.height) / MAX_DECODE_SIDE));
  const downscaled = factor > 1 ? Math.floor(header.width / factor) * Math.floor(header.height / factor) * 4 : 0;
  if (header.kind === 'jpeg') return pixels * header.channels + rgba + downscaled;
  const rows = header.height * (1 + Math.ceil((header.width * header.channels * header.bitDepth) / 8));
  const wide = header.bitDepth === 16 ? pixels * 8 : 0;
  return 2 * rows + wide + rgba + downscaled;
}

/** Whether the app decodes this photo: its size within the limits and its decode within the byte budget. */
export function decodable(header: ImageHeader): boolean {
  return withinImageLimits(header) && decodeBytes(header) <= MAX_DECODE_BYTES;
}
