import type { AddressInfo } from 'node:net';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { buildBotRuntime } from './bot/botRuntime';
import type { OnboardingBot } from './bot/onboardingBot';
import type { BotStates } from './bot/state';
import { createTranslator, type Translator } from './services/i18n/translator';
import { buildServices, type Services } from './services/buildServices';
import type { DocumentStore } from './services/store/documentStore';
import { openDocumentStore } from './services/store/keyvDocumentStore';
import { storeErrorSummary } from './services/store/storeUnavailableError';
import { createServer } from './web/server';
import { registerWebChat } from './web/webchat';
import { registerAccountRoutes } from './web/accountRoutes';
import { registerDevMailbox } from './web/devMailbox';
import { warnAboutAnonymousMode } from './web/botEndpoint';
import { OnboardingAdapter } from './web/inProcessAdapter';
import { STATION_SCAN_PATH } from './domain/links';
import { UPLOAD_ROUTE } from './web/webchat/uploads';
import { registerStaticAssets } from './web/staticAssets';
import { registerStationRoutes } from './web/station';
import { clientAddressResolver } from './services/limits/clientAddress';
import { startAppUnderstander } from './services/understanding/appUnderstander';

export interface App {
  config: Config;
  logger: Logger;
  store: DocumentStore;
  translator: Translator;
  states: BotStates;
  services: Services;
  adapter: OnboardingAdapter;
  bot: OnboardingBot;
  server: Server;
  /** Listens on config.PORT (0 picks a free port); resolves with the base URL. */
  start(): Promise<string>;
  /** Stops accepting requests, lets running turns finish, closes storage. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  logger?: Logger;
}

/** The composition root: builds everything from the config (the server and the tests both use it). */
export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger({ level: config.LOG_LEVEL });
  const store = await openDocumentStore(config.DATA_URL, {
    timeoutMs: config.STORE_TIMEOUT_MS,
    purgeIntervalMs: config.STORE_PURGE_INTERVAL_MS,
    onBackgroundError: (error) => logger.warn({ err: storeErrorSummary(error), storage: new URL(config.DATA_URL).protocol }, 'storage connection problem'),
  });
  const translator = await createTranslator();
  const authConfig: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  };
  const adapter = new OnboardingAdapter(authConfig);
  warnAboutAnonymousMode(config, logger);
  const services = buildServices({
    config,
    store,
    translator,
    logger,
    continueConversation: (reference, logic) => adapter.continueConversationAsync(config.MicrosoftAppId ?? '', reference, logic),
  });
  const understanding = await startAppUnderstander(config.DATA_DIR);
  logger.info({ source: understanding.model.source, ms: Math.round(understanding.model.ms) }, 'understanding model loaded');
  const runtime = buildBotRuntime({ store, translator, services, logger, logTranscripts: config.LOG_TRANSCRIPTS, understander: understanding.understander });
  const { bot, states, serializer } = runtime;
  services.notifier.attach((context) => bot.run(context));
  for (const middleware of runtime.middleware) adapter.use(middleware);
  adapter.onTurnError = runtime.onTurnError;

  const server = createServer({ adapter, bot, store, logger, config, multipartRoutes: [STATION_SCAN_PATH, UPLOAD_ROUTE], readyTimeoutMs: Math.min(config.STORE_TIMEOUT_MS, 1500) });
  registerStaticAssets(server);
  registerAccountRoutes(server, { tokens: services.tokens, account: services.registration, checkPassword: services.passwords.check, translator, logger });
  registerStationRoutes(server, {
    tokens: services.tokens,
    stations: services.stations,
    translator,
    logger,
    decodeQr: services.qrPool.decode,
    limits: { limits: services.limits, clientAddress: clientAddressResolver(config.TRUSTED_PROXIES) },
  });
  registerDevMailbox(server, { config, translator });
  let localUrl = '';
  const webChat = registerWebChat(server, {
    config,
    store,
    translator,
    logger,
    localUrl: () => localUrl,
    adapter,
    runTurn: (context) => bot.run(context),
    erasers: services.erasers,
  });

  let stopping: Promise<void> | undefined;
  return {
    config,
    logger,
    store,
    translator,
    states,
    services,
    adapter,
    bot,
    server,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, '0.0.0.0', () => resolve());
      });
      const { port } = server.address() as AddressInfo;
      logger.info({ port, storage: store.backend, publicUrl: config.PUBLIC_URL }, 'listening');
      localUrl = `http://127.0.0.1:${port}`;
      services.mailer.start();
      return localUrl;
    },
    stop() {
      stopping ??= (async () => {
        logger.info('shutting down');
        const closed = server.server.listening
          ? new Promise<void>((resolve) => server.server.close(() => resolve()))
          : Promise.resolve();
        server.server.closeIdleConnections();
        await serializer.idle();
        server.server.closeIdleConnections();
        await webChat.stop();
        await services.mailer.stop();
        await closed;
        await services.qrPool.close();
        await services.passwords.close();
        await store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
