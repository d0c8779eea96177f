import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { createApp, type App, type AppOverrides } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { LogCapture } from './logCapture';
import { defaultModelCacheDir } from '../../src/services/understanding/nlpjsUnderstander';

export { LogCapture };

export function tempDir(prefix = 'onboarding-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Points an existing data folder's model cache (`<dataDir>/nlu-model`) at the one shared folder the
 * understander caches in by default, so a test's app loads the trained model instead of training it
 * again for every data folder (3 s each, and far more on a busy machine). Returns the folder.
 */
export function shareModelCache(dataDir: string): string {
  const link = path.join(dataDir, 'nlu-model');
  if (fs.existsSync(dataDir) && !fs.existsSync(link)) {
    fs.mkdirSync(defaultModelCacheDir(), { recursive: true, mode: 0o700 });
    fs.symlinkSync(defaultModelCacheDir(), link, 'dir');
  }
  return dataDir;
}


export interface Harness {
  app: App;
  url: string;
  dataDir: string;
  logs: LogCapture;
  post(activity: Partial<Activity>, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

/** Where test apps listen: below Linux's ephemeral range (32768–60999). */
const FREE_PORT_FROM = 20000;
const FREE_PORT_TO = 32000;

/** A port nothing listens on now, for an app a test starts (taken again if it is gone by then: see startApp). */
export async function freePort(): Promise<number> {
  // not listen(0): it hands out a port of the ephemeral range, where another suite's outgoing
  // connection could take it before the app listens on it (EADDRINUSE, seen in CI)
  for (;;) {
    const port = FREE_PORT_FROM + Math.floor(Math.random() * (FREE_PORT_TO - FREE_PORT_FROM));
    const probe = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!free) continue;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }
}

/**
 * Starts the real app on a free port (PUBLIC_URL pointing at it, so links in chat and emails
 * work), with its data under a temp folder (SQLite unless DATA_URL is given).
 */
export async function startApp(env: Record<string, string> = {}, dataDir = tempDir(), overrides: Omit<AppOverrides, 'logger'> = {}): Promise<Harness> {
  for (let attempt = 1; ; attempt++) {
    const port = env.PORT ?? String(await freePort());
    const config = loadConfig({ PORT: port, PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: shareModelCache(dataDir), LOG_LEVEL: 'debug', ...env });
    const logs = new LogCapture();
    const app = await createApp(config, { ...overrides, logger: createLogger({ level: 'debug', destination: logs }) });
    try {
      return harnessOf(app, await app.start(), dataDir, logs);
    } catch (error) {
      await app.stop();
      // the free port was taken meanwhile (an outgoing connection of another suite got it as its
      // ephemeral port): another one, unless the test named its port
      if (env.PORT !== undefined || attempt >= 5 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
}

function harnessOf(app: App, url: string, dataDir: string, logs: LogCapture): Harness {
  return {
    app,
    url,
    dataDir,
    logs,
    post: (activity, headers = {}) =>
      fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      }),
    stop: () => app.stop(),
  };
}

let counter = 0;

/** An activity as a channel would post it. */
export function channelActivity(
  serviceUrl: string,
  conversationId: string,
  fields: Partial<Activity>,
  userId = 'user-' + conversationId,
): Partial<Activity> {
  counter += 1;
  return {
    type: 'message',
    id: `act-${Date.now()}-${counter}`,
    channelId: 'test',
    serviceUrl,
    timestamp: new Date(),
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: userId, name: 'Installer' },
    recipient: { id: 'bot', name: 'Onboarding bot' },
    ...fields,
  };
}
