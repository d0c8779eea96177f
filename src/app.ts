import type { AddressInfo } from 'node:net';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Server } from 'restify';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { buildBotRuntime } from './bot/botRuntime';
import type { OnboardingBot } from './bot/onboardingBot';
import { notifyTurnDeliverer } from './bot/notifyTurns';
import type { BotStates } from './bot/state';
import { createTranslator, type Translator } from './services/i18n/translator';
import { buildServices, type Services } from './services/buildServices';
import type { DocumentStore } from './services/store/documentStore';
import { openDocumentStore } from './services/store/keyvDocumentStore';
import { storeErrorSummary } from './services/store/storeUnavailableError';
import { createServer } from './web/server';
import { registerWebChat } from './web/webchat';
import { registerAccountRoutes } from './web/accountRoutes';
import { registerInvitationRoutes } from './web/invitationRoutes';
import { registerDevMailbox } from './web/devMailbox';
import { registerDevCourses } from './web/devCourses';
import { warnAboutAnonymousMode } from './web/botEndpoint';
import { OnboardingAdapter } from './web/inProcessAdapter';
import { STATION_SCAN_PATH } from './domain/links';
import { UPLOAD_ROUTE } from './web/webchat/uploads';
import { registerStaticAssets } from './web/staticAssets';
import { registerStationRoutes } from './web/station';
import { clientAddressResolver } from './services/limits/clientAddress';
import { startAppUnderstander } from './services/understanding/appUnderstander';
import { registerLearnUponWebhook } from './web/learnUponWebhook';
import type { OnCourseCompleted } from './services/lms/learnUponWebhook';
import { AgentAccounts } from './services/support/agentAccounts';
import type { SupportDesk } from './services/support/supportDesk';
import { registerAgentConsole } from './web/agent';

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
  /** Stops accepting requests, lets running turns and jobs finish, closes storage. */
  stop(): Promise<void>;
}

export interface AppOverrides {
  logger?: Logger;
  /** Where LearnUpon webhook completions go (default: logged only, until the durable job takes them). */
  onLearnUponCourseCompleted?: OnCourseCompleted;
  /** The agent console's desk (until the support service is wired, tests give one). */
  supportDesk?: SupportDesk;
}

/** On stop, requests still in flight get this long before their connections are closed. */
const SHUTDOWN_GRACE_MS = 5000;

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
  });
  const understanding = await startAppUnderstander(config.DATA_DIR);
  logger.info({ source: understanding.model.source, ms: Math.round(understanding.model.ms) }, 'understanding model loaded');
  const runtime = buildBotRuntime({ store, translator, services, logger, logTranscripts: config.LOG_TRANSCRIPTS, understander: understanding.understander });
  const { bot, states, serializer } = runtime;
  services.notifier.attach(
    notifyTurnDeliverer(
      (reference, logic) => adapter.continueConversationAsync(config.MicrosoftAppId ?? '', reference, logic),
      (context) => bot.run(context),
    ),
  );
  for (const middleware of runtime.middleware) adapter.use(middleware);
  adapter.onTurnError = runtime.onTurnError;

  const server = createServer({ adapter, bot, store, logger, config, multipartRoutes: [STATION_SCAN_PATH, UPLOAD_ROUTE], readyTimeoutMs: Math.min(config.STORE_TIMEOUT_MS, 1500) });
  registerStaticAssets(server);
  registerAccountRoutes(server, { tokens: services.tokens, account: services.registration, checkPassword: services.passwords.check, translator, logger });
  registerInvitationRoutes(server, { tokens: services.tokens, invitations: services.invitations, translator, logger });
  registerStationRoutes(server, {
    tokens: services.tokens,
    stations: services.stations,
    translator,
    logger,
    decodeQr: services.qrPool.decode,
    limits: { limits: services.limits, clientAddress: clientAddressResolver(config.TRUSTED_PROXIES) },
  });
  registerDevMailbox(server, { config, translator });
  registerLearnUponWebhook(server, {
    config,
    store,
    logger,
    onCourseCompleted:
      // recorded as a durable job and answered at once; the job checks progress and certifies after the last
      overrides.onLearnUponCourseCompleted ?? ((completion) => services.courseJobs.completed(completion)),
  });
  const agentConsole = registerAgentConsole(server, {
    desk: overrides.supportDesk ?? services.support,
    accounts: new AgentAccounts(store),
    store,
    config,
    translator,
    logger,
    limits: { limits: services.limits, clientAddress: clientAddressResolver(config.TRUSTED_PROXIES) },
  });
  registerDevCourses(server, {
    config,
    lms: services.localLms,
    installers: services.installers,
    tokens: services.tokens,
    translator,
    logger,
    onCourseCompleted: (installerId, courseId) => services.courses.courseCompleted(installerId, courseId),
  });
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
      services.jobs.start();
      services.support.start();
      return localUrl;
    },
    stop() {
      stopping ??= (async () => {
        logger.info('shutting down');
        const closed = server.server.listening
          ? new Promise<void>((resolve) => server.server.close(() => resolve()))
          : Promise.resolve();
        server.server.closeIdleConnections();
        agentConsole.stop();
        // running jobs finish (a notify turn still reaches web chat; its fallback mail is queued);
        // jobs queued from now on wait in the store for the next start or another instance
        await services.jobs.stop();
        await serializer.idle();
        server.server.closeIdleConnections();
        await webChat.stop();
        await services.support.stop();
        await services.mailer.stop();
        // a client that never finishes (a half-sent upload, a half-closed socket) must not hold the
        // shutdown: requests in flight get a grace period, then every connection left is closed
        let grace: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise<void>((resolve) => { grace = setTimeout(resolve, SHUTDOWN_GRACE_MS).unref(); })]);
        clearTimeout(grace);
        server.server.closeAllConnections();
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
