/** What a photo's header says, read without decoding a single pixel. */
export type ImageHeader = { kind: 'png' | 'jpeg'; width: number; height: number };
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

/** The first chunk of a PNG must be IHDR: width and height are its first two 32-bit fields. */
function pngSize(buffer: Buffer): { width: number; height: number } | undefined {
  if (buffer.length < 24 || !buffer.subarray(0, 8).equals(PNG_SIGNATURE) || buffer.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return { width: buffer.readUInt32BE(16), height: buffer.readUInt32BE(20) };
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic); C4, C8 and CC are other segments. */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks the JPEG segments up to the first SOF (before any scan data): height and width follow the precision byte. */
function jpegSize(buffer: Buffer): { width: number; height: number } | undefined {
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
      if (offset + 9 > buffer.length) return undefined;
      return { height: buffer.readUInt16BE(offset + 5), width: buffer.readUInt16BE(offset + 7) };
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
  const size = kind === 'png' ? pngSize(buffer) : jpegSize(buffer);
  // a JPEG height of 0 means "given later" (DNL): not something a phone camera writes
  if (!size || size.width === 0 || size.height === 0) return { problem: 'unreadable' };
  return { kind, ...size };
}

/** Phone cameras give 12–50 MP. Each pixel costs 4–8 bytes while decoding, so this bounds a decode to ~400 MB. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** No camera photo is longer than this on either side; a 1 × 64,000,000 strip is an attack, not a photo. */
export const MAX_IMAGE_SIDE = 12_000;

/** Whether a header's size is one this app decodes (checked before decoding, in the app and in the worker). */
export function withinImageLimits(header: { width: number; height: number }): boolean {
  return header.width <= MAX_IMAGE_SIDE && header.height <= MAX_IMAGE_SIDE && header.width * header.height <= MAX_IMAGE_PIXELS;
}
