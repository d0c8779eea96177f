import type { Request, Response } from 'restify';
import { clientAddress, sendError } from './httpHelpers';
import type { SlidingWindowLimiter } from './rateLimit';

/** The page's token route path (both modes). */
export const TOKEN_ROUTE = '/api/webchat/token';

/** Counts a conversation start for the client; answers 429 (with Retry-After) when over the limit. */
export function withinConversationLimit(limiter: SlidingWindowLimiter, req: Request, res: Response): boolean {
  const verdict = limiter.take(clientAddress(req));
  if (verdict.allowed) return true;
  sendError(res, 429, 'TooManyRequests', 'Too many conversations started from this address. Try again later.', {
    'Retry-After': String(verdict.retryAfterSeconds),
  });
  return false;
}

/** The page sends its locale so the conversation (and the bot's welcome) starts in the page's language. */
export function requestedLocale(body: unknown): string | undefined {
  const locale = body && typeof body === 'object' ? (body as Record<string, unknown>).locale : undefined;
  return typeof locale === 'string' && locale.length <= 35 ? locale : undefined;
}
