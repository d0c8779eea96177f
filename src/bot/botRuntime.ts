import type { Middleware, TurnContext } from 'botbuilder';
import type { Logger } from '../logger';
import type { Translator } from '../services/i18n/translator';
import type { Services } from '../services/buildServices';
import type { DocumentStore } from '../services/store/documentStore';
import { DocumentStorage } from './documentStorage';
import { LeaseLocks } from '../services/store/leaseLock';
import { keepStateOnCoordinationErrors } from './coordinationErrors';
import { RootDialog } from './dialogs/rootDialog';
import { DedupeActivitiesMiddleware } from './middleware/dedupeActivities';
import { LogActivitiesMiddleware } from './middleware/logActivities';
import { RecordRecentMessagesMiddleware } from './middleware/recordRecentMessages';
import { ResolveLanguageMiddleware } from './middleware/resolveLanguage';
import { RateLimitMessagesMiddleware } from './middleware/rateLimitMessages';
import { SerializeTurnsMiddleware } from './middleware/serializeTurns';
import { OnboardingBot } from './onboardingBot';
import { type BotStates, createBotStates } from './state';
import { createTurnErrorHandler } from './turnErrorHandler';
import { TeamsTaskModules } from './teamsTaskModules';
import { Phrases } from './turnLanguage';
import type { Understander } from '../services/understanding/understander';

export interface BotRuntimeDeps {
  store: DocumentStore;
  translator: Translator;
  services: Pick<Services, 'installers' | 'registration' | 'linkCodes' | 'stations' | 'qrReader' | 'limits' | 'erasers' | 'invitations' | 'courses' | 'support' | 'references' | 'recentMessages' | 'profile'>;
  logger: Logger;
  logTranscripts: boolean;
  /** What messages mean (built once at start: the model is loaded or trained then). */
  understander: Understander;
  /**
   * How long a turn's hold on its conversation (and on its activity) lasts without renewal; it is
   * renewed while the turn runs, so this is how long a crashed instance blocks a conversation.
   */
  turnLeaseMs?: number;
}

const TURN_LEASE_MS = 10_000;

export interface BotRuntime {
  bot: OnboardingBot;
  root: RootDialog;
  states: BotStates;
  phrases: Phrases;
  serializer: SerializeTurnsMiddleware;
  /** In the order the adapter must use them. */
  middleware: Middleware[];
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
}

/** Everything botbuilder-side, wired once; the server's CloudAdapter and the tests' TestAdapter both use it. */
export function buildBotRuntime(deps: BotRuntimeDeps): BotRuntime {
  const phrases = new Phrases(deps.translator);
  const storage = new DocumentStorage(deps.store);
  const states = createBotStates(storage);
  // "delete my data" also clears the bot state of every other chat linked to the installer
  // (botbuilder's ConversationState/UserState keys: `<channel>/conversations|users/<id>/<namespace>`, namespace '')
  deps.services.erasers.add(({ chats }) =>
    storage.delete(chats.flatMap((c) => [`${c.channelId}/conversations/${c.conversationId}/`, `${c.channelId}/users/${c.userId}/`])),
  );
  const turnLeaseMs = deps.turnLeaseMs ?? TURN_LEASE_MS;
  // SQLite is one process: the in-memory queue suffices. Redis and PostgreSQL may be shared by several instances.
  const singleInstance = deps.store.backend === 'sqlite';
  const leases = singleInstance ? undefined : new LeaseLocks(deps.store, { ttlMs: turnLeaseMs, waitMs: 6 * turnLeaseMs });
  const serializer = new SerializeTurnsMiddleware(leases);
  const root = new RootDialog({ phrases, states, understander: deps.understander, ...deps.services });
  return {
    bot: new OnboardingBot(states, root, phrases, new TeamsTaskModules(phrases, states, deps.services.registration, deps.services.stations), deps.logger),
    root,
    states,
    phrases,
    serializer,
    middleware: [
      serializer,
      new DedupeActivitiesMiddleware(deps.store, deps.logger, turnLeaseMs, singleInstance),
      new LogActivitiesMiddleware(deps.logger, deps.logTranscripts),
      new RecordRecentMessagesMiddleware(deps.services.recentMessages, deps.logger),
      new ResolveLanguageMiddleware(states),
      new RateLimitMessagesMiddleware(deps.services.limits, phrases, deps.logger),
    ],
    onTurnError: keepStateOnCoordinationErrors(createTurnErrorHandler(states, phrases, deps.logger), phrases, deps.logger),
  };
}
