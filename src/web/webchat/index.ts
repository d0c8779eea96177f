import type { Server } from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Translator } from '../../services/i18n/translator';
import type { DocumentStore } from '../../services/store/documentStore';
import { azureDomain, registerAzureTokenRoute } from './azureTokenRoute';
import { BotRelay } from './botRelay';
import { registerConnectorRoutes } from './connectorRoutes';
import { ConversationStore } from './conversationStore';
import { DirectLineChannel } from './directLineChannel';
import { registerDirectLineRoutes } from './directLineRoutes';
import { DirectLineTokens } from './directLineTokens';
import { registerHelpPage } from './helpPageRoutes';
import { registerLocalTokenRoute } from './localTokenRoute';
import { clientAddressResolver } from '../../services/limits/clientAddress';
import { limitsFromConfig } from '../../services/limits/limits';
import { WebChatLimits } from './rateLimit';
import { loadDirectLineKey } from './tokenKey';
import { leaveUploadBodiesToTheRoute, registerUploadRoutes } from './uploads';

export interface WebChatDeps {
  config: Config;
  store: DocumentStore;
  translator: Translator;
  logger: Logger;
  /** Base URL this process listens on (http://127.0.0.1:<port>), known once the server has started. */
  localUrl: () => string;
}

function originOf(url: string): string {
  return new URL(url).origin;
}

/**
 * The help page with Web Chat (GET /), and — unless DIRECT_LINE_SECRET is set — a local
 * Direct Line 3.0 that Web Chat talks to and that relays to the bot at /api/messages.
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

  if (config.MicrosoftAppId) {
    logger.warn('web chat: the local Direct Line posts to /api/messages without Bot Framework auth, which MicrosoftAppId requires; set DIRECT_LINE_SECRET to use Azure Direct Line');
  }
  const tokens = new DirectLineTokens(loadDirectLineKey(config));
  const relay = new BotRelay(deps.localUrl, logger);
  const channel = new DirectLineChannel(new ConversationStore(store), tokens, relay);

  registerHelpPage(server, { translator, directLineOrigins: [originOf(config.PUBLIC_URL)] });
  registerLocalTokenRoute(server, { channel, limiter, config });
  leaveUploadBodiesToTheRoute(server);
  registerDirectLineRoutes(server, { channel, tokens, config });
  registerUploadRoutes(server, { channel, tokens, config, limits: limiter });
  registerConnectorRoutes(server, { channel });
  return { stop: () => relay.stop() };
}
