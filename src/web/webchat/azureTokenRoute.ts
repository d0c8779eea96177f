import { randomBytes } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { sendError } from './httpHelpers';
import type { WebChatLimits } from './rateLimit';
import { TOKEN_ROUTE, withinConversationLimit } from './tokenRouteLimit';

export const AZURE_DIRECT_LINE_DOMAIN = 'https://directline.botframework.com/v3/directline';
const UPSTREAM_TIMEOUT_MS = 10_000;

const azureTokenSchema = z.object({
  token: z.string().min(1),
  conversationId: z.string().min(1),
  expires_in: z.number().optional(),
});

/** The Direct Line domain that goes with the token URL (a regional …/v3/directline/tokens/generate gives its own). */
export function azureDomain(tokenUrl: string): string {
  const match = /^(https?:\/\/[^?#]+\/v3\/directline)\/tokens\/generate\/?$/i.exec(tokenUrl);
  return match?.[1] ?? AZURE_DIRECT_LINE_DOMAIN;
}

/**
 * POST /api/webchat/token with DIRECT_LINE_SECRET set: exchanges the secret for a conversation
 * token at the Azure token service. The secret never leaves this process (not to the page, not
 * in a log line); an upstream failure is a 502 with a code the page translates itself.
 */
export function registerAzureTokenRoute(
  server: Server,
  deps: { secret: string; config: Config; limiter: WebChatLimits; logger: Logger },
): void {
  const { secret, config, limiter, logger } = deps;
  const domain = azureDomain(config.DIRECT_LINE_TOKEN_URL);

  server.post(TOKEN_ROUTE, async (req: Request, res: Response) => {
    if (!(await withinConversationLimit(limiter, req, res))) return;
    const userId = 'dl_' + randomBytes(12).toString('base64url');
    let body: unknown;
    try {
      const upstream = await fetch(config.DIRECT_LINE_TOKEN_URL, {
        method: 'POST',
        headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user: { id: userId } }),
        signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS),
      });
      if (!upstream.ok) {
        logger.warn({ status: upstream.status }, 'web chat: the Direct Line token service refused the token request');
        return sendError(res, 502, 'DirectLineUnavailable', 'The chat service is not available right now.');
      }
      body = await upstream.json();
    } catch (error) {
      logger.warn({ err: { name: (error as Error).name } }, 'web chat: the Direct Line token service could not be reached');
      return sendError(res, 502, 'DirectLineUnavailable', 'The chat service is not available right now.');
    }
    const parsed = azureTokenSchema.safeParse(body);
    if (!parsed.success) {
      logger.warn('web chat: the Direct Line token service answered without a token');
      return sendError(res, 502, 'DirectLineUnavailable', 'The chat service is not available right now.');
    }
    const { token, conversationId, expires_in } = parsed.data;
    res.json(200, { token, conversationId, expires_in, domain, webSocket: true }, { 'Cache-Control': 'no-store' });
  });
}
