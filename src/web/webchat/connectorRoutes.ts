import type { Activity } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import { BOT_ACCOUNT, userAccount } from './activities';
import { CONNECTOR_PREFIX } from './botRelay';
import type { DirectLineChannel } from './directLineChannel';
import { isLoopback, jsonBody, param, sendError } from './httpHelpers';

const sentActivitySchema = z.looseObject({ type: z.string().min(1).max(100) });
const BASE = `${CONNECTOR_PREFIX}/v3/conversations/:conversationId`;

/** The bot runs in this process and posts from 127.0.0.1; nothing that came through a proxy may speak as the bot. */
function fromTheBot(req: Request, res: Response): boolean {
  if (isLoopback(req.socket?.remoteAddress) && req.headers['x-forwarded-for'] === undefined) return true;
  sendError(res, 403, 'Forbidden', 'Only the bot may post here.');
  return false;
}

function sentActivity(req: Request, res: Response): Partial<Activity> | undefined {
  const parsed = sentActivitySchema.safeParse(jsonBody(req));
  if (parsed.success) return parsed.data as Partial<Activity>;
  sendError(res, 400, 'BadArgument', 'The activity is not valid.');
  return undefined;
}

/**
 * The Bot Connector API the bot's replies and proactive messages are sent to (its serviceUrl is
 * <localUrl>/directline/connector): each activity goes into the conversation's stream.
 */
export function registerConnectorRoutes(server: Server, deps: { channel: DirectLineChannel }): void {
  const { channel } = deps;

  const append = async (req: Request, res: Response): Promise<void> => {
    if (!fromTheBot(req, res)) return;
    const activity = sentActivity(req, res);
    if (!activity) return;
    const conversationId = param(req, 'conversationId');
    if (activity.type === 'trace') {
      if (!(await channel.get(conversationId))) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
      return res.json(200, { id: `${conversationId}|trace` });
    }
    const id = await channel.fromBot(conversationId, activity);
    if (!id) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    res.json(200, { id });
  };
  server.post(`${BASE}/activities`, append);
  server.post(`${BASE}/activities/:activityId`, append);

  server.put(`${BASE}/activities/:activityId`, async (req: Request, res: Response) => {
    if (!fromTheBot(req, res)) return;
    const activity = sentActivity(req, res);
    if (!activity) return;
    const activityId = param(req, 'activityId');
    if (!(await channel.updateFromBot(param(req, 'conversationId'), activityId, activity))) {
      return sendError(res, 404, 'NotFound', 'No such activity.');
    }
    res.json(200, { id: activityId });
  });

  server.del(`${BASE}/activities/:activityId`, async (req: Request, res: Response) => {
    if (!fromTheBot(req, res)) return;
    await channel.deleteFromBot(param(req, 'conversationId'), param(req, 'activityId'));
    res.send(200);
  });

  server.get(`${BASE}/members`, async (req: Request, res: Response) => {
    if (!fromTheBot(req, res)) return;
    const conversation = await channel.get(param(req, 'conversationId'));
    if (!conversation) return sendError(res, 404, 'ConversationNotFound', 'The conversation does not exist.');
    res.json(200, [userAccount(conversation.userId), BOT_ACCOUNT]);
  });
}
