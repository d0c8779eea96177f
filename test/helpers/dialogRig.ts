import path from 'node:path';
import { type Activity, AutoSaveStateMiddleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { buildBotRuntime, type BotRuntime } from '../../src/bot/botRuntime';
import { loadConfig } from '../../src/config';
import { parseEmail } from '../../src/domain/email';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services/buildServices';
import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { startAppUnderstander } from '../../src/services/understanding/appUnderstander';
import type { Understander } from '../../src/services/understanding/understander';
import { LogCapture, shareModelCache, tempDir } from './appHarness';
import { latestCodeIn } from './mailCodes';
import { rewriteInstaller } from './installerFixture';
import { stopServices } from './stopServices';

export interface DialogRig {
  client: DialogTestClient;
  runtime: BotRuntime;
  services: Services;
  translator: Translator;
  store: DocumentStore;
  logs: LogCapture;
  /** The rig's DATA_DIR (its local mailbox is <dataDir>/mail). */
  dataDir: string;
  /** The newest one-time code mailed to `address` (delivers the outbox first). */
  codeFor(address: string): Promise<string>;
  /**
   * Registers through the chat (greeting, yes, the first region, the address, yes to the address shown
   * back, the mailed code), then
   * marks the account active as the later journey steps would; returns the replies to "ok".
   */
  registerActive(words: { hi: string; yes: string; email: string }): Promise<string[]>;
  /** Sends a message (with the rig's locale) and returns the texts of every reply of that turn. */
  say(text: string, extra?: Partial<Activity>): Promise<string[]>;
  /** Like say, but returns the whole reply activities (buttons, cards, suggested actions). */
  sayActivities(text: string, extra?: Partial<Activity>): Promise<Array<Partial<Activity>>>;
  close(): Promise<void>;
}

/**
 * The real root dialog with the real middleware and the embedded services (SQLite in a temp
 * folder, local mailbox), driven by botbuilder-testing's DialogTestClient.
 */
export async function createDialogRig(
  locale: string | undefined,
  channelId = 'test',
  env: Record<string, string> = {},
  /** Wraps the app's understander (to watch how it is used). */
  wrapUnderstander: (understander: Understander) => Understander = (understander) => understander,
): Promise<DialogRig> {
  const dataDir = tempDir('onboarding-dialog-');
  const config = loadConfig({ DATA_DIR: dataDir, DATA_URL: `sqlite://${path.join(dataDir, 'db.sqlite')}`, ...env });
  const logs = new LogCapture();
  const logger = createLogger({ level: 'debug', destination: logs });
  const store = await openDocumentStore(config.DATA_URL);
  const translator = await createTranslator();
  const services = buildServices({
    config,
    store,
    translator,
    logger,
  });
  const { understander } = await startAppUnderstander(shareModelCache(dataDir));
  const runtime = buildBotRuntime({ store, translator, services, logger, logTranscripts: false, understander: wrapUnderstander(understander) });
  // proactive turns are exercised over HTTP (test/integration): the rig starts no job worker, so
  // queued notices wait in the store and the chat moves on when the user types
  services.notifier.attach(async () => ({ kind: 'reached' }));
  const client = new DialogTestClient(
    channelId,
    runtime.root,
    undefined,
    [...runtime.middleware, new AutoSaveStateMiddleware(runtime.states.userState)],
    runtime.states.conversationState,
  );
  let sequence = 0;
  const rig: DialogRig = {
    client,
    runtime,
    services,
    translator,
    store,
    logs,
    dataDir,
    codeFor: (address) => latestCodeIn(dataDir, services.mailer, address),
    async registerActive(words) {
      for (const text of [words.hi, words.yes, '1', words.email, words.yes]) await rig.say(text);
      await rig.say(await rig.codeFor(words.email));
      const id = parseEmail(words.email);
      await rewriteInstaller(store, id.ok ? id.id : words.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'active' }));
      return rig.say('ok');
    },
    async say(text, extra = {}) {
      return (await rig.sayActivities(text, extra)).map((r) => r.text ?? '');
    },
    async sayActivities(text, extra = {}) {
      sequence += 1;
      const first = await client.sendActivity({ type: 'message', text, locale, id: `m${sequence}`, ...extra } as Partial<Activity>);
      const replies: Array<Partial<Activity>> = first ? [first] : [];
      for (let next = client.getNextReply(); next; next = client.getNextReply()) replies.push(next);
      return replies;
    },
    async close() {
      await stopServices(services);
      await store.close();
    },
  };
  return rig;
}
