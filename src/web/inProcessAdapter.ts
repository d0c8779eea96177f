import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { AuthenticationConstants, type ClaimsIdentity, type ConnectorClient, type ConnectorFactory } from 'botframework-connector';

/** The in-process connector for a serviceUrl, or undefined when the serviceUrl is not an in-process channel's. */
export type InProcessConnectors = (serviceUrl: string) => ConnectorClient | undefined;

/**
 * The configured Bot Framework authentication (JWT on /api/messages, tokens for replies), except
 * that activities for an in-process channel's serviceUrl go to that channel in this process —
 * also for proactive turns (continueConversation), which build their connector here.
 */
class InProcessAwareAuthentication extends ConfigurationBotFrameworkAuthentication {
  inProcess: InProcessConnectors = () => undefined;

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const outward = super.createConnectorFactory(claimsIdentity);
    return {
      create: async (serviceUrl: string, audience?: string) => this.inProcess(serviceUrl) ?? outward.create(serviceUrl, audience),
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
