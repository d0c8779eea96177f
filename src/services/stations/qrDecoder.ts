import jsQR from 'jsqr';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** Photos are scaled down to at most this many pixels on the long side before the QR search. */
export const MAX_DECODE_SIDE = 1600;
/** A second, coarser try: a QR code that fills the frame is often found more easily smaller. */
const SECOND_TRY_SIDE = 800;
/** Phone cameras give 12–50 MP; refuse anything that would take more memory than that to decode. */
const MAX_MEGAPIXELS = 64;
const MAX_JPEG_MEMORY_MB = 512;

interface Pixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function kindOf(buffer: Buffer, mimeType: string): 'png' | 'jpeg' | undefined {
  // the bytes decide; phones and browsers do not always send a useful type
  if (buffer.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buffer.length > 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff) return 'jpeg';
  if (/png/i.test(mimeType)) return 'png';
  if (/jpe?g/i.test(mimeType)) return 'jpeg';
  return undefined;
}

function readPng(buffer: Buffer): Pixels | undefined {
  // the header says the size: refuse a decompression bomb before inflating it
  if (buffer.length < 24) return undefined;
  const width = buffer.readUInt32BE(16);
  const height = buffer.readUInt32BE(20);
  if (width === 0 || height === 0 || width * height > MAX_MEGAPIXELS * 1_000_000) return undefined;
  const png = PNG.sync.read(buffer);
  return { width: png.width, height: png.height, data: png.data };
}

function readJpeg(buffer: Buffer): Pixels {
  const image = jpeg.decode(buffer, {
    useTArray: true,
    formatAsRGBA: true,
    tolerantDecoding: true,
    maxResolutionInMP: MAX_MEGAPIXELS,
    maxMemoryUsageInMB: MAX_JPEG_MEMORY_MB,
  });
  return { width: image.width, height: image.height, data: image.data };
}

/** Averages factor×factor blocks (keeps the modules of a QR code crisp, unlike skipping pixels). */
function downscale(image: Pixels, maxSide: number): Pixels {
  const factor = Math.ceil(Math.max(image.width, image.height) / maxSide);
  if (factor <= 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Uint8Array(width * height * 4);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (let dy = 0; dy < factor; dy++) {
        let source = ((y * factor + dy) * image.width + x * factor) * 4;
        for (let dx = 0; dx < factor; dx++, source += 4) {
          r += image.data[source]!;
          g += image.data[source + 1]!;
          b += image.data[source + 2]!;
        }
      }
      const target = (y * width + x) * 4;
      data[target] = r / area;
      data[target + 1] = g / area;
      data[target + 2] = b / area;
      data[target + 3] = 255;
    }
  }
  return { width, height, data };
}

function findQr(image: Pixels): string | undefined {
  const clamped = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.width * image.height * 4);
  // station labels are dark on light, but a photo of a screen or a dark sticker can be inverted
  const found = jsQR(clamped, image.width, image.height, { inversionAttempts: 'attemptBoth' });
  return found && found.data !== '' ? found.data : undefined;
}

/**
 * The text of the QR code in a photo (PNG or JPEG), or undefined when there is none, the image
 * cannot be read, or it is too large. Never throws. Large photos are scaled down first.
 */
export function decodeQrFromImage(buffer: Buffer, mimeType: string): string | undefined {
  try {
    const kind = kindOf(buffer, mimeType);
    const image = kind === 'png' ? readPng(buffer) : kind === 'jpeg' ? readJpeg(buffer) : undefined;
    if (!image || image.width === 0 || image.height === 0) return undefined;
    const first = downscale(image, MAX_DECODE_SIDE);
    const found = findQr(first);
    if (found !== undefined || Math.max(first.width, first.height) <= SECOND_TRY_SIDE) return found;
    return findQr(downscale(first, SECOND_TRY_SIDE));
  } catch {
    return undefined;
  }
}
