import type { Request, Response, Server } from 'restify';
import type { Config } from '../../config';
import { errorSummary, type Logger } from '../../logger';
import { isStoreUnavailable, storeErrorSummary } from '../../services/store/storeUnavailableError';
import type { DirectLineChannel } from './directLineChannel';
import { DIRECT_LINE_PREFIX } from './directLineRoutes';
import { jsonBody, publicOrigin, sendError } from './httpHelpers';
import type { WebChatLimits } from './rateLimit';
import { requestedLocale, requestedResume, TOKEN_ROUTE, withinConversationLimit } from './tokenRouteLimit';

/**
 * POST /api/webchat/token (local Direct Line): with a valid resume grant from an earlier visit, a
 * fresh token for that same conversation (`resumed: true`, not counted as a new conversation);
 * otherwise — none, expired, or its conversation gone — quietly a new conversation and a signed
 * token bound to it. Either way with a new resume grant and the Direct Line domain the page's
 * Web Chat should talk to (this server). While the store cannot be reached: 503 with a code and
 * Retry-After, never the internal message (the page shows its own "try again" text).
 */
export function registerLocalTokenRoute(server: Server, deps: { channel: DirectLineChannel; limiter: WebChatLimits; config: Config; logger: Logger }): void {
  server.post(TOKEN_ROUTE, async (req: Request, res: Response) => {
    try {
      await sendToken(req, res, deps);
    } catch (error) {
      if (isStoreUnavailable(error)) {
        deps.logger.warn({ err: storeErrorSummary(error) }, 'web chat: no token while the store is unavailable');
        return sendError(res, 503, 'StoreUnavailable', 'The chat is not available right now. Try again in a moment.', { 'Retry-After': '5' });
      }
      deps.logger.error({ err: errorSummary(error) }, 'web chat: the token request failed');
      return sendError(res, 500, 'InternalError', 'The chat could not be started.');
    }
  });
}

/** A resumed or new conversation and its token (the route itself). */
async function sendToken(req: Request, res: Response, deps: { channel: DirectLineChannel; limiter: WebChatLimits; config: Config }): Promise<void> {
  const body = jsonBody(req);
  let grant = await deps.channel.resume(requestedResume(body));
  if (!grant) {
    if (!(await withinConversationLimit(deps.limiter, req, res))) return;
    grant = await deps.channel.reserveConversation(requestedLocale(body));
  }
  res.json(
    200,
    {
      token: grant.token,
      conversationId: grant.conversationId,
      expires_in: grant.expires_in,
      resume: grant.resume,
      resumed: grant.resumed,
      domain: `${publicOrigin(req, deps.config)}${DIRECT_LINE_PREFIX}`,
      webSocket: false,
    },
    { 'Cache-Control': 'no-store' },
  );
}
