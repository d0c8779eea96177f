import jsQR from 'jsqr';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodable, MAX_DECODE_SIDE, MAX_IMAGE_PIXELS, readImageHeader, withinImageLimits } from './imageHeader';

/** A second, coarser try: a QR code that fills the frame is often found more easily smaller. */
const SECOND_TRY_SIDE = 800;
/**
 * jpeg-js's own count of what it allocates (its 8 × 8 blocks at 5 bytes a sample, and the output):
 * a MAX_IMAGE_PIXELS photo with three full-resolution components needs about 240 MB of it.
 */
const MAX_JPEG_MEMORY_MB = 256;

interface Pixels {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel. */
  data: Uint8Array;
}

/** Why a photo gave no QR text: each has its own answer for the installer. */
export type QrImageProblem = 'no_qr_found' | 'not_an_image' | 'too_many_pixels' | 'unreadable' | 'decode_failed';
export type QrDecodeResult = { ok: true; text: string } | { ok: false; problem: QrImageProblem };

function readPng(buffer: Buffer): Pixels {
  const png = PNG.sync.read(buffer);
  return { width: png.width, height: png.height, data: png.data };
}

function readJpeg(buffer: Buffer): Pixels {
  const image = jpeg.decode(buffer, {
    useTArray: true,
    formatAsRGBA: true,
    tolerantDecoding: true,
    maxResolutionInMP: MAX_IMAGE_PIXELS / 1_000_000,
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
 * The text of the QR code in a photo (PNG or JPEG), or why there is none. The size, and the bytes
 * its decode would hold, are checked from the header before anything is decoded (an image bomb is
 * refused unread). pngjs and jpeg-js cannot decode at a reduced size: a photo is decoded whole,
 * then scaled down for the search. Never throws. CPU-heavy: run it in the worker pool (qrDecodePool.ts).
 */
export function decodeQrImage(buffer: Buffer, mimeType: string): QrDecodeResult {
  const header = readImageHeader(buffer, mimeType);
  if ('problem' in header) return { ok: false, problem: header.problem };
  if (!decodable(header)) return { ok: false, problem: 'too_many_pixels' };
  let image: Pixels;
  try {
    image = header.kind === 'png' ? readPng(buffer) : readJpeg(buffer);
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
  if (image.width === 0 || image.height === 0 || !withinImageLimits(image)) return { ok: false, problem: 'unreadable' };
  const first = downscale(image, MAX_DECODE_SIDE);
  let found = findQr(first);
  if (found === undefined && Math.max(first.width, first.height) > SECOND_TRY_SIDE) found = findQr(downscale(first, SECOND_TRY_SIDE));
  return found === undefined ? { ok: false, problem: 'no_qr_found' } : { ok: true, text: found };
}

/** What the pool sends a worker: the photo's bytes arrive as a Uint8Array (structured clone). */
export interface QrDecodeTask {
  bytes: Uint8Array;
  mimeType: string;
}

/** The worker thread's entry point (piscina calls the export named in qrDecodePool.ts). */
export function decodeQrTask(task: QrDecodeTask): QrDecodeResult {
  try {
    return decodeQrImage(Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength), task.mimeType);
  } catch {
    return { ok: false, problem: 'unreadable' };
  }
}
