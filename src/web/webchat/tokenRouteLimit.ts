import type { Request, Response } from 'restify';
import type { WebChatLimits } from './rateLimit';

/** The page's token route path (both modes). */
export const TOKEN_ROUTE = '/api/webchat/token';

/** Counts a conversation start for the client; answers 429 (with Retry-After) when over the limit. */
export function withinConversationLimit(limits: WebChatLimits, req: Request, res: Response): Promise<boolean> {
  return limits.conversationStart(req, res);
}

/** The page sends its locale so the conversation (and the bot's welcome) starts in the page's language. */
export function requestedLocale(body: unknown): string | undefined {
  const locale = body && typeof body === 'object' ? (body as Record<string, unknown>).locale : undefined;
  return typeof locale === 'string' && locale.length <= 35 ? locale : undefined;
}

/** The resume grant the page kept from an earlier visit (local Direct Line only). */
export function requestedResume(body: unknown): string | undefined {
  const resume = body && typeof body === 'object' ? (body as Record<string, unknown>).resume : undefined;
  return typeof resume === 'string' && resume.length <= 2000 ? resume : undefined;
}
