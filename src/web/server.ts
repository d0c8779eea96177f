import restify, { type Server } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from '../logger';
import type { DocumentStore } from '../services/store/documentStore';
import { withTimeout } from '../services/store/storeTimeout';
import { StoreUnavailableError, storeErrorSummary } from '../services/store/storeUnavailableError';
import type { OnboardingBot } from '../bot/onboardingBot';

export interface WebDeps {
  adapter: CloudAdapter;
  bot: OnboardingBot;
  store: DocumentStore;
  logger: Logger;
  /** /readyz answers 503 when the store has not answered a ping within this time (default 1500 ms). */
  readyTimeoutMs?: number;
}

/** The restify server with the Bot Framework endpoint and health checks. Other route groups register on it. */
export function createServer({ adapter, bot, store, logger, readyTimeoutMs = 1500 }: WebDeps): Server {
  const server = restify.createServer({ name: 'installer-onboarding-assistant', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  // multipart uploads (photos of QR codes) are capped by maxFileSize; other bodies by maxBodySize
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 12 * 1024 * 1024, maxFileSize: 15 * 1024 * 1024 }));

  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  server.get('/healthz', async (_req, res) => {
    res.json(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req, res) => {
    try {
      await withTimeout(store.ping(), readyTimeoutMs, () => new StoreUnavailableError(store.backend, `no answer to ping within ${readyTimeoutMs} ms`));
      res.json(200, { status: 'ready', storage: store.backend });
    } catch (error) {
      logger.warn({ err: storeErrorSummary(error) }, 'storage not reachable');
      res.json(503, { status: 'unavailable', storage: store.backend });
    }
  });

  server.on('restifyError', (req, res, error, callback) => {
    logger.warn({ method: req.method, route: req.getRoute()?.path, status: res.statusCode, err: { name: error.name } }, 'request failed');
    return callback();
  });
  return server;
}
