import type { AddressInfo } from 'node:net';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { DedupeActivitiesMiddleware } from './bot/middleware/dedupeActivities';
import { LogActivitiesMiddleware } from './bot/middleware/logActivities';
import { ResolveLanguageMiddleware } from './bot/middleware/resolveLanguage';
import { SerializeTurnsMiddleware } from './bot/middleware/serializeTurns';
import { OnboardingBot } from './bot/onboardingBot';
import { RootDialog } from './bot/dialogs/rootDialog';
import { createBotStates, type BotStates } from './bot/state';
import { createTurnErrorHandler } from './bot/turnErrorHandler';
import { Phrases } from './bot/turnLanguage';
import { createTranslator, type Translator } from './services/i18n/translator';
import { InstallerRepository } from './services/installers/installerRepository';
import type { DocumentStore } from './services/store/documentStore';
import { DocumentStorage } from './services/store/documentStorage';
import { openDocumentStore } from './services/store/keyvDocumentStore';
import { createServer } from './web/server';
import { registerWebChat } from './web/webchat';

export interface App {
  config: Config;
  logger: Logger;
  store: DocumentStore;
  translator: Translator;
  states: BotStates;
  installers: InstallerRepository;
  adapter: CloudAdapter;
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
  const store = await openDocumentStore(config.DATA_URL);
  const translator = await createTranslator();
  const phrases = new Phrases(translator);
  const states = createBotStates(new DocumentStorage(store));
  const installers = new InstallerRepository(store);

  const authConfig: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
  };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(authConfig));
  const serializer = new SerializeTurnsMiddleware();
  adapter.use(serializer);
  adapter.use(new DedupeActivitiesMiddleware(store, logger));
  adapter.use(new LogActivitiesMiddleware(logger, config.LOG_TRANSCRIPTS));
  adapter.use(new ResolveLanguageMiddleware(states));
  adapter.onTurnError = createTurnErrorHandler(states, phrases, logger);

  const root = new RootDialog({ phrases, states, installers });
  const bot = new OnboardingBot(states, root, logger);
  const server = createServer({ adapter, bot, store, logger });
  let localUrl = '';
  const webChat = registerWebChat(server, { config, store, translator, logger, localUrl: () => localUrl });

  let stopping: Promise<void> | undefined;
  return {
    config,
    logger,
    store,
    translator,
    states,
    installers,
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
        await webChat.stop();
        await closed;
        await store.close();
        logger.info('stopped');
      })();
      return stopping;
    },
  };
}
