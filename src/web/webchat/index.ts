import type { TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Translator } from '../../services/i18n/translator';
import type { DocumentStore } from '../../services/store/documentStore';
import { azureDomain, registerAzureTokenRoute } from './azureTokenRoute';
import { BotRelay } from './botRelay';
import { CONVERSATION_TTL_MS, ConversationStore } from './conversationStore';
import type { OnboardingAdapter } from '../inProcessAdapter';
import { InProcessConnectorClient, isInProcessServiceUrl } from './inProcessConnector';
import { DirectLineChannel } from './directLineChannel';
import { registerDirectLineRoutes } from './directLineRoutes';
import { DirectLineTokens } from './directLineTokens';
import { registerHelpPage } from './helpPageRoutes';
import { registerLocalTokenRoute } from './localTokenRoute';
import { clientAddressResolver } from '../../services/limits/clientAddress';
import { limitsFromConfig } from '../../services/limits/limits';
import { WebChatLimits } from './rateLimit';
import { loadDirectLineKey, loadResumeKey } from './tokenKey';
import { leaveUploadBodiesToTheRoute, registerUploadRoutes, uploadsDir } from './uploads';
import type { PersonalDataErasers } from '../../services/privacy/personalDataErasers';
import { CHANNEL_ID } from './activities';
import { ID_PATTERN } from './directLineTokens';
import fs from 'node:fs';

export interface WebChatDeps {
  config: Config;
  store: DocumentStore;
  translator: Translator;
  logger: Logger;
  /** Base URL this process listens on (http://127.0.0.1:<port>), known once the server has started. */
  localUrl: () => string;
  /** The adapter whose in-process door the local Direct Line delivers through. */
  adapter: OnboardingAdapter;
  /** The bot's turn logic. */
  runTurn: (context: TurnContext) => Promise<void>;
  /** "Delete my data" erases the person's web chat transcripts and uploads through this. */
  erasers: PersonalDataErasers;
}

function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * The help page with Web Chat (GET /), and — unless DIRECT_LINE_SECRET is set — a local
 * Direct Line 3.0 that Web Chat talks to and that hands activities to the bot in this process
 * (the adapter's in-process door; the bot's replies come back through the in-process connector,
 * never over HTTP), so it works with or without MicrosoftAppId.
 * With DIRECT_LINE_SECRET the page's token route exchanges it at Azure instead.
 */
export function registerWebChat(server: Server, deps: WebChatDeps): { stop(): Promise<void> } {
  const { config, store, translator, logger } = deps;
  const limiter = new WebChatLimits(limitsFromConfig(store, config), clientAddressResolver(config.TRUSTED_PROXIES));

  if (config.DIRECT_LINE_SECRET) {
    const domain = azureDomain(config.DIRECT_LINE_TOKEN_URL);
    registerHelpPage(server, { translator, directLineOrigins: [originOf(domain), originOf(domain).replace(/^http/, 'ws')] });
    registerAzureTokenRoute(server, { secret: config.DIRECT_LINE_SECRET, config, limiter, logger });
    return { stop: async () => undefined };
  }

  const { adapter, runTurn } = deps;
  const tokens = new DirectLineTokens(loadDirectLineKey(config));
  const relay = new BotRelay(deps.localUrl, (activity) => adapter.processInProcess(activity, runTurn), logger);
  const conversations = new ConversationStore(store);
  const resumeGrants = new DirectLineTokens(loadResumeKey(config), CONVERSATION_TTL_MS / 1000);
  const channel = new DirectLineChannel(conversations, tokens, relay, resumeGrants);
  deps.erasers.add(async ({ chats }) => {
    for (const chat of chats.filter((c) => c.channelId === CHANNEL_ID && ID_PATTERN.test(c.conversationId))) {
      await conversations.forget(chat.conversationId);
      await fs.promises.rm(uploadsDir(config, chat.conversationId), { recursive: true, force: true });
    }
  });
  adapter.attachInProcessChannel((serviceUrl) => (isInProcessServiceUrl(serviceUrl) ? new InProcessConnectorClient(serviceUrl, channel) : undefined));

  registerHelpPage(server, { translator, directLineOrigins: [originOf(config.PUBLIC_URL)] });
  registerLocalTokenRoute(server, { channel, limiter, config, logger });
  leaveUploadBodiesToTheRoute(server);
  registerDirectLineRoutes(server, { channel, tokens, config, clientAddress: limiter.clientAddress });
  registerUploadRoutes(server, { channel, tokens, config, limits: limiter, translator });
  return { stop: () => relay.stop() };
}
