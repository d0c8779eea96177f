import type { Request, Response } from 'restify';
import { addressKey, type ClientAddressOf } from '../../services/limits/clientAddress';
import type { LimitName, Limits } from '../../services/limits/limits';
import { sendError } from './httpHelpers';

/**
 * The web chat's limits (conversations per client address, uploads per user and address), on
 * the shared limiter, so every instance on one store counts together. Over a limit: 429 with
 * Retry-After (the page shows its own localized "wait" text).
 */
export class WebChatLimits {
  constructor(
    private readonly limits: Pick<Limits, 'take' | 'firstNotice'>,
    readonly clientAddress: ClientAddressOf,
  ) {}

  /** Counts a conversation start for the client; answers 429 when over the limit. */
  conversationStart(req: Request, res: Response): Promise<boolean> {
    return this.within(res, 'conversations', 'Too many conversations started from this address. Try again later.', addressKey(this.clientAddress(req)));
  }

  /**
   * Counts `files` uploads (one per file; the bot does not count them again) for the conversation's
   * user and the client; answers 429 when over the limit, and the first refusal in a chat is also
   * told in the chat (`tell`: Web Chat itself shows only "send failed"), the rest are not (a flood
   * must not make the bot talk).
   */
  async upload(req: Request, res: Response, userId: string, tell: (retryAfterSeconds: number) => Promise<void>, files = 1): Promise<boolean> {
    const user = `user:directline:${userId}`;
    for (let file = 0; file < files; file++) {
      const verdict = await this.limits.take('uploads', user, addressKey(this.clientAddress(req)));
      if (verdict.allowed) continue;
      this.refuse(res, 'Too many uploads. Try again later.', verdict.retryAfterSeconds);
      if (await this.limits.firstNotice('uploads', user, verdict.retryAfterSeconds)) await tell(verdict.retryAfterSeconds);
      return false;
    }
    return true;
  }

  private async within(res: Response, name: LimitName, message: string, ...keys: string[]): Promise<boolean> {
    const verdict = await this.limits.take(name, ...keys);
    if (verdict.allowed) return true;
    this.refuse(res, message, verdict.retryAfterSeconds);
    return false;
  }

  private refuse(res: Response, message: string, retryAfterSeconds: number): void {
    sendError(res, 429, 'TooManyRequests', message, { 'Retry-After': String(retryAfterSeconds) });
  }
}
