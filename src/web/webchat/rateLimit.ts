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
    private readonly limits: Pick<Limits, 'take'>,
    readonly clientAddress: ClientAddressOf,
  ) {}

  /** Counts a conversation start for the client; answers 429 when over the limit. */
  conversationStart(req: Request, res: Response): Promise<boolean> {
    return this.within(res, 'conversations', 'Too many conversations started from this address. Try again later.', addressKey(this.clientAddress(req)));
  }

  /** Counts an upload for the conversation's user and the client; answers 429 when over the limit. */
  upload(req: Request, res: Response, userId: string): Promise<boolean> {
    return this.within(res, 'uploads', 'Too many uploads. Try again later.', `user:directline:${userId}`, addressKey(this.clientAddress(req)));
  }

  private async within(res: Response, name: LimitName, message: string, ...keys: string[]): Promise<boolean> {
    const verdict = await this.limits.take(name, ...keys);
    if (verdict.allowed) return true;
    sendError(res, 429, 'TooManyRequests', message, { 'Retry-After': String(verdict.retryAfterSeconds) });
    return false;
  }
}
