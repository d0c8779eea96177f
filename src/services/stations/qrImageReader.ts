/** Decodes the text of a QR code in an image (PNG or JPEG); undefined when none is found. */
export type QrDecoder = (image: Buffer, mimeType: string) => string | undefined;

const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

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

  async read(attachment: ImageAttachment, serviceUrl: string | undefined): Promise<string | undefined> {
    const image = await this.load(attachment, serviceUrl);
    return image ? this.decode(image.bytes, image.type) : undefined;
  }

  private async load(attachment: ImageAttachment, serviceUrl: string | undefined): Promise<{ bytes: Buffer; type: string } | undefined> {
    const url = attachment.contentUrl;
    if (!url) return undefined;
    const inline = /^data:(image\/[\w.+-]+);base64,(.*)$/s.exec(url);
    if (inline) return { type: inline[1]!, bytes: Buffer.from(inline[2]!, 'base64').subarray(0, MAX_IMAGE_BYTES) };
    if (!serviceUrl || !sameHost(url, serviceUrl)) return undefined;
    const response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) return undefined;
    if (Number(response.headers.get('content-length') ?? 0) > MAX_IMAGE_BYTES) return undefined;
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_IMAGE_BYTES) return undefined;
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
