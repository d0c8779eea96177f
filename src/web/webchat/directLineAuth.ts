import type { Request, Response } from 'restify';
import type { DirectLineClaims, DirectLineTokens } from './directLineTokens';
import { bearerToken, sendError } from './httpHelpers';

/**
 * Checks the Bearer token of a Direct Line call: none → 401; bad or expired → 403; a token
 * for another conversation than the URL names → 403. Sends the error and returns undefined.
 */
export function authorize(tokens: DirectLineTokens, req: Request, res: Response, conversationId?: string): DirectLineClaims | undefined {
  const token = bearerToken(req);
  if (!token) {
    sendError(res, 401, 'MissingToken', 'An Authorization: Bearer <token> header is required.', { 'WWW-Authenticate': 'Bearer' });
    return undefined;
  }
  const check = tokens.verify(token);
  if (!check.ok) {
    if (check.reason === 'expired') sendError(res, 403, 'TokenExpired', 'The token has expired.');
    else sendError(res, 403, 'InvalidToken', 'The token is not valid.');
    return undefined;
  }
  if (conversationId !== undefined && check.claims.conv !== conversationId) {
    sendError(res, 403, 'WrongConversation', 'The token is not valid for this conversation.');
    return undefined;
  }
  return check.claims;
}
