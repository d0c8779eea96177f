import type { QrDecodeResult, QrImageProblem } from './qrDecoder';

/** Decodes the text of a QR code in an image (PNG or JPEG), or says why there is none (QrDecodePool.decode). */
export type QrDecoder = (image: Buffer, mimeType: string) => Promise<QrDecodeResult>;

/** Why a photo sent in the chat gave no QR text: the decoder's reasons, or the photo was too large or could not be fetched. */
export type QrPhotoProblem = QrImageProblem | 'too_large' | 'not_fetched';
export type QrReadResult = { ok: true; text: string } | { ok: false; problem: QrPhotoProblem };

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/** The chat's answer (a locale key) for a photo that gave no QR text. */
export function qrPhotoProblemKey(problem: QrPhotoProblem): string {
  switch (problem) {
    case 'no_qr_found':
      return 'chat:station.noQrInPhoto';
    case 'too_large':
    case 'too_many_pixels':
      return 'images:tooLarge';
    case 'not_an_image':
      return 'images:unsupported';
    case 'unreadable':
      return 'images:unreadable';
    case 'decode_failed':
    case 'not_fetched':
      return 'images:failed';
  }
}

type Loaded = { bytes: Buffer; type: string } | { problem: 'too_large' | 'not_fetched' };

export interface ImageAttachment {
  contentType?: string;
  contentUrl?: string;
}

/**
 * Reads the QR code in a photo the installer sent in the chat. Only images the channel itself
 * serves are fetched (the attachment URL must be on the channel's serviceUrl host, or inline
 * data:), so a crafted attachment cannot make the bot fetch other addresses.
 */
export class QrImageReader {
  constructor(private readonly decode: QrDecoder) {}

  /** The QR text in the photo, or why there is none. Never throws. */
  async read(attachment: ImageAttachment, serviceUrl: string | undefined): Promise<QrReadResult> {
    const image = await this.load(attachment, serviceUrl).catch((): Loaded => ({ problem: 'not_fetched' }));
    if ('problem' in image) return { ok: false, problem: image.problem };
    return this.decode(image.bytes, image.type);
  }

  private async load(attachment: ImageAttachment, serviceUrl: string | undefined): Promise<Loaded> {
    const url = attachment.contentUrl;
    if (!url) return { problem: 'not_fetched' };
    const inline = /^data:(image\/[\w.+-]+);base64,(.*)$/s.exec(url);
    if (inline) {
      // base64 is 4 characters for 3 bytes: refuse an oversized photo before decoding the text
      if (inline[2]!.length > Math.ceil(MAX_IMAGE_BYTES / 3) * 4 + 4) return { problem: 'too_large' };
      return { type: inline[1]!, bytes: Buffer.from(inline[2]!, 'base64') };
    }
    if (!serviceUrl || !sameHost(url, serviceUrl)) return { problem: 'not_fetched' };
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) return { problem: 'not_fetched' };
    if (Number(response.headers.get('content-length') ?? 0) > MAX_IMAGE_BYTES) return { problem: 'too_large' };
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_IMAGE_BYTES) return { problem: 'too_large' };
    return { bytes, type: response.headers.get('content-type') ?? attachment.contentType ?? '' };
  }
}

function sameHost(url: string, serviceUrl: string): boolean {
  try {
    return new URL(url).host === new URL(serviceUrl).host && /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}
