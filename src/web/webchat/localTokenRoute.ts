import type { Request, Response, Server } from 'restify';
import type { Config } from '../../config';
import type { DirectLineChannel } from './directLineChannel';
import { DIRECT_LINE_PREFIX } from './directLineRoutes';
import { jsonBody, publicOrigin } from './httpHelpers';
import type { WebChatLimits } from './rateLimit';
import { requestedLocale, TOKEN_ROUTE, withinConversationLimit } from './tokenRouteLimit';

/**
 * POST /api/webchat/token (local Direct Line): a new conversation and a signed token bound to it,
 * with the Direct Line domain the page's Web Chat should talk to (this server).
 */
export function registerLocalTokenRoute(server: Server, deps: { channel: DirectLineChannel; limiter: WebChatLimits; config: Config }): void {
  server.post(TOKEN_ROUTE, async (req: Request, res: Response) => {
    if (!(await withinConversationLimit(deps.limiter, req, res))) return;
    const grant = await deps.channel.reserveConversation(requestedLocale(jsonBody(req)));
    res.json(
      200,
      {
        token: grant.token,
        conversationId: grant.conversationId,
        expires_in: grant.expires_in,
        domain: `${publicOrigin(req, deps.config)}${DIRECT_LINE_PREFIX}`,
        webSocket: false,
      },
      { 'Cache-Control': 'no-store' },
    );
  });
}
