import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { Logger } from '../../logger';
import { decodable, decodeBytes, readImageHeader } from './imageHeader';
import type { QrDecodeResult, QrDecodeTask } from './qrDecoder';

export interface QrDecodePoolOptions {
  logger: Logger;
  /** Worker threads; default half the cores (1–4): decoding is CPU-bound, the other half serves requests. */
  threads?: number;
  /** Photos waiting for a thread beyond which a new one is refused at once ("try again"). */
  maxQueue?: number;
  /** A decode taking longer is stopped (its worker is ended) and answered "try again". */
  timeoutMs?: number;
  /** Each worker's V8 heap cap; a worker that exceeds it dies alone and is replaced. */
  heapMb?: number;
  /** Test hook: another worker module and export (a plain .js file). */
  worker?: { filename: string; name: string };
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_HEAP_MB = 256;
const DEFAULT_MAX_QUEUE = 16;
const IDLE_MS = 60_000;

/**
 * The compiled decoder when running from dist/; from the TypeScript sources (tests, ts-node), a
 * small .js loader next to this file that compiles it in the worker.
 */
function decoderWorker(): { filename: string; name: string } {
  const fromSources = path.extname(__filename) === '.ts';
  return { filename: path.join(__dirname, fromSources ? 'qrWorker.js' : 'qrDecoder.js'), name: 'decodeQrTask' };
}

/**
 * Decodes QR photos off the main thread, in a small pool of worker threads with a memory cap, so a
 * large or hostile photo slows only itself: other requests and turns are answered meanwhile. The
 * header is checked here first: an image bomb never reaches a worker.
 */
export class QrDecodePool {
  private readonly pool: Piscina<QrDecodeTask, QrDecodeResult>;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private closing: Promise<void> | undefined;
  private inFlight = 0;

  constructor(options: QrDecodePoolOptions) {
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    const threads = options.threads ?? Math.min(4, Math.max(1, Math.floor(os.availableParallelism() / 2)));
    const worker = options.worker ?? decoderWorker();
    const heapMb = options.heapMb ?? DEFAULT_HEAP_MB;
    this.pool = new Piscina({
      filename: worker.filename,
      name: worker.name,
      // no thread until the first photo; idle threads end (and give their memory back)
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: IDLE_MS,
      maxQueue: this.maxQueue,
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.ceil(heapMb / 4)), stackSizeMb: 4 },
    });
  }

  /** The QR text in a photo, or why there is none; never throws, never takes the process down. */
  readonly decode = async (image: Buffer, mimeType: string): Promise<QrDecodeResult> => {
    const header = readImageHeader(image, mimeType);
    if ('problem' in header) return { ok: false, problem: header.problem };
    if (!decodable(header)) {
      const { kind, width, height, channels, bitDepth } = header;
      this.logger.info({ kind, width, height, channels, bitDepth, decodeMb: Math.round(decodeBytes(header) / 2 ** 20) }, 'photo refused: too large to decode');
      return { ok: false, problem: 'too_many_pixels' };
    }
    if (this.closing || this.pool.queueSize >= this.maxQueue) {
      this.logger.warn({ queued: this.pool.queueSize }, 'photo not decoded: decoder busy or stopping');
      return { ok: false, problem: 'decode_failed' };
    }
    this.inFlight += 1;
    try {
      const bytes = new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
      return await this.pool.run({ bytes, mimeType }, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      // not `instanceof Error`: a worker's error may come from another realm
      const code: unknown = typeof error === 'object' && error !== null ? (Reflect.get(error, 'code') ?? Reflect.get(error, 'name')) : undefined;
      this.logger.warn({ code: String(code ?? 'unknown'), kind: header.kind, width: header.width, height: header.height }, 'photo decode failed in its worker');
      return { ok: false, problem: 'decode_failed' };
    } finally {
      this.inFlight -= 1;
    }
  };

  /** Photos handed to the workers and not answered yet (running or queued). */
  get pending(): number {
    return this.inFlight;
  }

  /** Ends the worker threads (a running decode is abandoned). */
  close(): Promise<void> {
    this.closing ??= this.pool.destroy();
    return this.closing;
  }
}
