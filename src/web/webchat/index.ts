import type { Server } from 'restify';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Translator } from '../../services/i18n/translator';
import type { DocumentStore } from '../../services/store/documentStore';

export interface WebChatDeps {
  config: Config;
  store: DocumentStore;
  translator: Translator;
  logger: Logger;
  /** Base URL this process listens on (http://127.0.0.1:<port>), known once the server has started. */
  localUrl: () => string;
}

/**
 * The help page with Web Chat (GET /), and — unless DIRECT_LINE_SECRET is set — a local
 * Direct Line 3.0 that Web Chat talks to and that relays to the bot at /api/messages.
 * (Stub: filled in by the web chat work.)
 */
export function registerWebChat(_server: Server, _deps: WebChatDeps): { stop(): Promise<void> } {
  return { stop: async () => undefined };
}
