import type { Request, Response, Server } from 'restify';
import type { Config } from '../../config';
import type { ClientAddressOf } from '../../services/limits/clientAddress';
import { clientActivitySchema, MAX_ACTIVITY_BYTES, withAttachmentBase } from './activities';
import type { DirectLineChannel } from './directLineChannel';
import { authorize } from './directLineAuth';
import type { DirectLineTokens } from './directLineTokens';
import { jsonBody, param, publicOrigin, queryParam, sendError } from './httpHelpers';

export const DIRECT_LINE_PREFIX = '/v3/directline';
const NO_STORE = { 'Cache-Control': 'no-store' };

/** Direct Line 3.0 as Web Chat (webSocket: false) speaks it: tokens, conversations, activities. */
export function registerDirectLineRoutes(
  server: Server,
  deps: { channel: DirectLineChannel; tokens: DirectLineTokens; config: Config; clientAddress: ClientAddressOf },
): void {
  const { channel, tokens, config } = deps;

  // With a valid local token: a fresh one for the same conversation and user, with the same bounded
  // lifetime from now (Azure's generate takes the secret; there is none here). An expired token is
  // refused (403) and a conversation that is gone is 404, so the page starts a new one.
  const renew = async (req: Request, res: Response): Promise<void> => {
    const claims = authorize(tokens, req, res);
    if (!claims) return;
    if (!(await channel.get(claims.conv))) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    res.json(200, channel.grant(claims), NO_STORE);
  };
  server.post(`${DIRECT_LINE_PREFIX}/tokens/generate`, renew);
  server.post(`${DIRECT_LINE_PREFIX}/tokens/refresh`, renew);

  server.post(`${DIRECT_LINE_PREFIX}/conversations`, async (req, res) => {
    const claims = authorize(tokens, req, res);
    if (!claims) return;
    const { grant, created } = await channel.start(claims);
    res.json(created ? 201 : 200, grant, NO_STORE);
  });

  server.get(`${DIRECT_LINE_PREFIX}/conversations/:conversationId`, async (req, res) => {
    const claims = authorize(tokens, req, res, param(req, 'conversationId'));
    if (!claims) return;
    if (!(await channel.get(claims.conv))) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    // reconnecting: a conversation the page reserved but never started is started now (the bot welcomes)
    res.json(200, (await channel.start(claims)).grant, NO_STORE);
  });

  server.get(`${DIRECT_LINE_PREFIX}/conversations/:conversationId/activities`, async (req, res) => {
    const claims = authorize(tokens, req, res, param(req, 'conversationId'));
    if (!claims) return;
    const watermark = queryParam(req, 'watermark') ?? '';
    if (watermark !== '' && !/^\d{1,15}$/.test(watermark)) return sendError(res, 400, 'BadArgument', 'The watermark is not valid.');
    if (!(await channel.get(claims.conv))) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    const page = await channel.since(claims.conv, watermark === '' ? 0 : Number(watermark));
    const base = publicOrigin(req, config);
    res.json(200, { activities: page.activities.map((a) => withAttachmentBase(a, base)), watermark: page.watermark }, NO_STORE);
  });

  server.post(`${DIRECT_LINE_PREFIX}/conversations/:conversationId/activities`, async (req, res) => {
    const claims = authorize(tokens, req, res, param(req, 'conversationId'));
    if (!claims) return;
    const body = jsonBody(req);
    if (Buffer.byteLength(JSON.stringify(body ?? null)) > MAX_ACTIVITY_BYTES) {
      return sendError(res, 413, 'MessageSizeTooBig', `An activity may be at most ${MAX_ACTIVITY_BYTES} bytes.`);
    }
    const parsed = clientActivitySchema.safeParse(body);
    if (!parsed.success) return sendError(res, 400, 'BadArgument', 'The activity is not valid.');
    const id = await channel.fromUser(claims, parsed.data, { clientAddress: deps.clientAddress(req) });
    if (!id) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    res.json(200, { id }, NO_STORE);
  });
}
