import { ConfigError, loadConfig } from './config';
import { createApp } from './app';
import { StoreUnavailableError } from './services/store/storeUnavailableError';
import { errorSummary } from './logger';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(error.message + '\n');
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.start();
  const shutdown = (signal: string) => {
    app.logger.info({ signal }, 'signal received');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        app.logger.error({ err: errorSummary(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof StoreUnavailableError) {
    process.stderr.write(`Failed to start: the store is not reachable. ${error.message}. Check DATA_URL and that the server is up (STORE_TIMEOUT_MS bounds the wait).\n`);
    process.exit(1);
  }
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
