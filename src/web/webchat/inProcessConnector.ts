import type { Activity, ChannelAccount } from 'botbuilder';
// The package's index exports the client but not its operation classes; this is the module that defines both.
import { ConnectorClient, Conversations, type ConnectorModels } from 'botframework-connector/lib/connectorApi/connectorClient';
import { BOT_ACCOUNT, userAccount } from './activities';
import type { DirectLineChannel } from './directLineChannel';
import { ConnectorError, resource } from '../connectorResults';

/** The path of the web chat's serviceUrl (on this server's loopback address; no HTTP route serves it). */
export const CONNECTOR_PREFIX = '/directline/connector';

/** What the bot can do to a web chat conversation: the channel's "bot → stream" side. */
export type BotSide = Pick<DirectLineChannel, 'get' | 'fromBot' | 'updateFromBot' | 'deleteFromBot'>;

const conversationNotFound = () => new ConnectorError(404, 'ConversationNotFound');

/**
 * The Bot Connector "conversations" operations the adapter uses, done in this process: each
 * activity goes straight into the conversation's stream. Nothing here is reachable over HTTP.
 */
class InProcessConversations extends Conversations {
  constructor(
    client: ConnectorClient,
    private readonly channel: BotSide,
  ) {
    super(client);
  }

  private async append(conversationId: string, activity: Partial<Activity>): Promise<string> {
    if (activity.type === 'trace') {
      if (!(await this.channel.get(conversationId))) throw conversationNotFound();
      return `${conversationId}|trace`;
    }
    const id = await this.channel.fromBot(conversationId, activity);
    if (!id) throw conversationNotFound();
    return id;
  }

  override async sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<ConnectorModels.ConversationsSendToConversationResponse> {
    return resource(await this.append(conversationId, activity));
  }

  override async replyToActivity(conversationId: string, _activityId: string, activity: Partial<Activity>): Promise<ConnectorModels.ConversationsReplyToActivityResponse> {
    return resource(await this.append(conversationId, activity));
  }

  override async updateActivity(conversationId: string, activityId: string, activity: Partial<Activity>): Promise<ConnectorModels.ConversationsUpdateActivityResponse> {
    if (!(await this.channel.updateFromBot(conversationId, activityId, activity))) throw new ConnectorError(404, 'NotFound');
    return resource(activityId);
  }

  override async deleteActivity(conversationId: string, activityId: string): Promise<ConnectorModels.ConversationsUpdateActivityResponse> {
    await this.channel.deleteFromBot(conversationId, activityId);
    return resource(activityId);
  }

  override async getConversationMembers(conversationId: string): Promise<ConnectorModels.ConversationsGetConversationMembersResponse> {
    const conversation = await this.channel.get(conversationId);
    if (!conversation) throw conversationNotFound();
    const members: ChannelAccount[] = [userAccount(conversation.userId), BOT_ACCOUNT];
    return members as unknown as ConnectorModels.ConversationsGetConversationMembersResponse;
  }
}

/** Signs nothing: the in-process connector is never called over the network. */
const NO_CREDENTIALS = { signRequest: <T>(request: T): Promise<T> => Promise.resolve(request) };

/** A ConnectorClient whose conversation operations are served in process by the web chat channel. */
export class InProcessConnectorClient extends ConnectorClient {
  constructor(serviceUrl: string, channel: BotSide) {
    super(NO_CREDENTIALS, { baseUri: serviceUrl });
    this.conversations = new InProcessConversations(this, channel);
  }
}

/** The web chat's serviceUrl: this server's loopback address plus CONNECTOR_PREFIX (any port: references survive a restart). */
export function isInProcessServiceUrl(serviceUrl: string | undefined): boolean {
  if (!serviceUrl) return false;
  try {
    const url = new URL(serviceUrl);
    return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.pathname.replace(/\/+$/, '') === CONNECTOR_PREFIX;
  } catch {
    return false;
  }
}

/** A serviceUrl that claims the in-process web chat path (refused on the public endpoint). */
export function claimsInProcessPath(serviceUrl: string | undefined): boolean {
  if (!serviceUrl) return false;
  try {
    return new URL(serviceUrl).pathname.startsWith(CONNECTOR_PREFIX);
  } catch {
    return false;
  }
}
