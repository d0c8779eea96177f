import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Language } from '../../domain/language';
import type { DocumentStore } from '../store/documentStore';
import type { Agent } from './supportDesk';

/** A console session lasts a working day; signing in again starts a new one. */
export const AGENT_SESSION_TTL_MS = 10 * 60 * 60 * 1000;

export interface AgentSession {
  agent: Agent;
  /** Sent with every POST (form field or X-CSRF-Token header). */
  csrfToken: string;
  language: Language;
  expiresAt: number;
}

/** Stored under the hash of the session id: the store never holds what the cookie carries. */
function keyOf(sessionId: string): string {
  return `agent-sessions/${createHash('sha256').update(sessionId).digest('base64url')}`;
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two secrets in constant time (false for a missing one). */
export function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Server-side console sessions in the store, expiring (store TTL and a stored expiry). */
export class AgentSessions {
  constructor(
    private readonly store: DocumentStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** A new session; returns its id (the cookie's value) and the record. */
  async create(agent: Agent, language: Language): Promise<{ id: string; session: AgentSession }> {
    const id = randomToken();
    const session: AgentSession = { agent, csrfToken: randomToken(), language, expiresAt: this.now() + AGENT_SESSION_TTL_MS };
    await this.store.put(keyOf(id), session, { ttlMs: AGENT_SESSION_TTL_MS });
    return { id, session };
  }

  async get(id: string | undefined): Promise<AgentSession | undefined> {
    if (!id || !/^[A-Za-z0-9_-]{20,100}$/.test(id)) return undefined;
    const session = (await this.store.get<AgentSession>(keyOf(id)))?.value;
    return session && session.expiresAt > this.now() ? session : undefined;
  }

  async setLanguage(id: string, language: Language): Promise<void> {
    const current = await this.store.get<AgentSession>(keyOf(id));
    if (!current) return;
    const ttlMs = current.value.expiresAt - this.now();
    if (ttlMs > 0) await this.store.put(keyOf(id), { ...current.value, language }, { ttlMs });
  }

  async delete(id: string): Promise<void> {
    await this.store.delete(keyOf(id));
  }
}
