import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import {
  AuthenticationConstants,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { LeanConversations, proxyConfigured } from './leanConversations';

/** The in-process connector for a serviceUrl, or undefined when the serviceUrl is not an in-process channel's. */
export type InProcessConnectors = (serviceUrl: string) => ConnectorClient | undefined;

/** Clients kept per key, the least recently used dropped beyond `size` (anonymous mode takes any loopback serviceUrl). */
class RecentClients<T> {
  private readonly clients = new Map<string, Promise<T>>();

  constructor(private readonly size: number) {}

  get(key: string, create: () => Promise<T>): Promise<T> {
    let client = this.clients.get(key);
    if (client) {
      this.clients.delete(key);
    } else {
      const created = create();
      created.catch(() => {
        if (this.clients.get(key) === created) this.clients.delete(key);
      });
      client = created;
    }
    this.clients.set(key, client);
    if (this.clients.size > this.size) this.clients.delete(this.clients.keys().next().value!);
    return client;
  }
}

/** The bot's app id a turn's clients act as (as botframework-connector reads it from the claims). */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ?? '';
}

/**
 * The configured Bot Framework authentication (JWT on /api/messages, tokens for replies), except
 * that activities for an in-process channel's serviceUrl go to that channel in this process —
 * also for proactive turns (continueConversation), which build their connector here.
 *
 * The SDK builds a new ConnectorClient and UserTokenClient (each an HTTP pipeline) for every turn;
 * here they are kept per app id, serviceUrl and audience and used again, as the older
 * BotFrameworkAdapter did (their credentials cache the tokens themselves). That is a fifth of a
 * millisecond less per turn (`npm run bench`). Their sends and replies go out as plain POSTs
 * (LeanConversations; with an HTTP proxy configured, through the SDK's pipeline, which uses it).
 */
class InProcessAwareAuthentication extends ConfigurationBotFrameworkAuthentication {
  inProcess: InProcessConnectors = () => undefined;
  private readonly connectors = new RecentClients<ConnectorClient>(64);
  private readonly userTokenClients = new RecentClients<UserTokenClient>(16);

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    const { connectorFactory } = result;
    return connectorFactory ? { ...result, connectorFactory: this.reusing(connectorFactory, appIdOf(result.claimsIdentity)) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const outward = this.reusing(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
    return {
      create: async (serviceUrl: string, audience?: string) => this.inProcess(serviceUrl) ?? outward.create(serviceUrl, audience),
    };
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get(appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private reusing(factory: ConnectorFactory, appId: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string) =>
        this.connectors.get(JSON.stringify([appId, serviceUrl, audience ?? null]), async () => {
          const client = await factory.create(serviceUrl, audience);
          if (!proxyConfigured()) client.conversations = new LeanConversations(client, serviceUrl);
          return client;
        }),
    };
  }
}

/**
 * CloudAdapter plus a trusted in-process door for a channel that runs inside this app (the local
 * Direct Line of the help page): its activities reach the bot without HTTP and without Bot
 * Framework auth, and the bot's replies go back through the channel's in-process connector — so
 * it works with MicrosoftAppId set, and nothing outside the process can use that path.
 */
export class OnboardingAdapter extends CloudAdapter {
  private readonly authentication: InProcessAwareAuthentication;
  private readonly appId: string;

  constructor(options: ConfigurationBotFrameworkAuthenticationOptions) {
    const authentication = new InProcessAwareAuthentication(options);
    super(authentication);
    this.authentication = authentication;
    this.appId = options.MicrosoftAppId ?? '';
  }

  /** Routes the in-process channel's serviceUrl(s) to its connector (one channel per app). */
  attachInProcessChannel(connectors: InProcessConnectors): void {
    this.authentication.inProcess = connectors;
  }

  /**
   * Runs a turn for an activity from the in-process channel. Its serviceUrl must be the
   * channel's: replies can only go back into that channel.
   */
  async processInProcess(activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    const connector = this.authentication.inProcess(activity.serviceUrl);
    if (!connector) throw new Error('processInProcess: the serviceUrl is not an in-process channel');
    const connectorFactory: ConnectorFactory = {
      create: async (serviceUrl: string) => {
        const client = this.authentication.inProcess(serviceUrl);
        if (!client) throw new Error('processInProcess: replies go only to the in-process channel');
        return client;
      },
    };
    return this.processActivity(
      {
        claimsIdentity: this.createClaimsIdentity(this.appId),
        connectorFactory,
        audience: AuthenticationConstants.ToChannelFromBotOAuthScope, // what a channel's replies are addressed to; unused in process
        callerId: undefined,
      },
      activity,
      logic,
    );
  }
}
