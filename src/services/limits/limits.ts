import type { DocumentStore } from '../store/documentStore';
import { type LimitRule, type LimitVerdict, RateLimiter } from './rateLimiter';

/** Everything that is rate limited, and by what. */
export type LimitName =
  | 'messages'
  | 'messagesPerAddress'
  | 'uploads'
  | 'registrations'
  | 'registrationsPerAddress'
  | 'sendLink'
  | 'sendLinkPerAddress'
  | 'conversations'
  | 'agentSignIn';

/** One count to take: a limit and the key it is counted under (`ip:…`, `user:…`). */
export interface LimitCheck {
  name: LimitName;
  key: string;
}

/** A refusal, with the limit that refused. */
export type Refusal = Extract<LimitVerdict, { allowed: false }> & { name: LimitName };

const MINUTE = 60_000;

/** The defaults; RATE_LIMITS overrides any of them (see parseRateLimits). */
export const DEFAULT_LIMITS: Record<LimitName, LimitRule> = {
  /** Chat messages per conversation user. A person types far fewer; a script is stopped. */
  messages: { limit: 120, windowMs: MINUTE },
  /**
   * Chat messages per client address (web chat on the help page: a new chat is a new user, the
   * address stays). Above the per-user limit: people behind one office or mobile-network address share it.
   */
  messagesPerAddress: { limit: 300, windowMs: MINUTE },
  /** Files (Direct Line uploads and station scan photos) per user and per client address. */
  uploads: { limit: 30, windowMs: 10 * MINUTE },
  /** Registrations started per conversation user. */
  registrations: { limit: 5, windowMs: 60 * MINUTE },
  /** Registrations started per client address (web chat). */
  registrationsPerAddress: { limit: 20, windowMs: 60 * MINUTE },
  /** "Send me a link" emails to someone else's address, per conversation user asking. */
  sendLink: { limit: 10, windowMs: 60 * MINUTE },
  /** "Send me a link" emails per client address (web chat). */
  sendLinkPerAddress: { limit: 30, windowMs: 60 * MINUTE },
  /** Direct Line conversations started per client address. */
  conversations: { limit: 20, windowMs: 10 * MINUTE },
  /** Agent console sign-in attempts per client address and per email tried (password guessing). */
  agentSignIn: { limit: 10, windowMs: 15 * MINUTE },
};

const NAMES = Object.keys(DEFAULT_LIMITS) as LimitName[];

/**
 * RATE_LIMITS: unset → the defaults; `off` → no limits (benchmarks, load tests); otherwise
 * comma-separated `name=count/seconds` overriding single limits, e.g. `messages=30/60,uploads=10/600`.
 * Returns `{ error }` for a bad value (the config reports it).
 */
export function parseRateLimits(value: string | undefined): Record<LimitName, LimitRule> | 'off' | { error: string } {
  if (value === undefined || value.trim() === '') return { ...DEFAULT_LIMITS };
  if (value.trim().toLowerCase() === 'off') return 'off';
  const rules = { ...DEFAULT_LIMITS };
  for (const part of value.split(',')) {
    const match = /^\s*(\w+)\s*=\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec(part);
    const name = match?.[1] as LimitName | undefined;
    if (!match || !name || !NAMES.includes(name) || Number(match[3]) === 0) {
      return { error: `expected "off" or name=count/seconds[,…] with name one of ${NAMES.join(', ')}` };
    }
    rules[name] = { limit: Number(match[2]), windowMs: Number(match[3]) * 1000 };
  }
  return rules;
}

/** The app's limits over one shared store. */
export class Limits {
  private readonly limiter: RateLimiter;

  constructor(
    store: DocumentStore,
    private readonly rules: Record<LimitName, LimitRule> | 'off',
    now?: () => number,
  ) {
    this.limiter = new RateLimiter(store, now);
  }

  /** Counts one event for every key (e.g. the user and the client address); refused when any one is over. */
  take(name: LimitName, ...keys: string[]): Promise<LimitVerdict> {
    return this.takeAll(keys.map((key) => ({ name, key })));
  }

  /**
   * Counts one event for every check (each under its own limit, e.g. `messages` per user and
   * `messagesPerAddress` per client address); refused when any one is over, with the longest wait.
   */
  async takeAll(checks: LimitCheck[]): Promise<{ allowed: true } | Refusal> {
    if (this.rules === 'off') return { allowed: true };
    let refused: Refusal | undefined;
    for (const { name, key } of checks) {
      const verdict = await this.limiter.take(name, key, this.rules[name]);
      if (!verdict.allowed && (!refused || verdict.retryAfterSeconds > refused.retryAfterSeconds)) refused = { ...verdict, name };
    }
    return refused ?? { allowed: true };
  }

  /**
   * True the first time `key` asks within `windowSeconds` (then false until that time has passed):
   * whom a shared refusal (an address over its limit) has been told already, so each new chat from
   * that address is told once, and a flood is not answered.
   */
  async firstNotice(name: LimitName, key: string, windowSeconds: number): Promise<boolean> {
    const verdict = await this.limiter.take(`${name}.told`, key, { limit: 0, windowMs: Math.max(1, windowSeconds) * 1000 });
    return !verdict.allowed && verdict.firstRefusal;
  }
}

/** Thrown inside a chat turn when the person must wait; the message middleware tells them how long. */
export class RateLimitedError extends Error {
  constructor(
    readonly limit: LimitName,
    readonly retryAfterSeconds: number,
  ) {
    super(`rate limited: ${limit}`);
    this.name = 'RateLimitedError';
  }
}

export function isRateLimited(error: unknown): error is RateLimitedError {
  return error instanceof RateLimitedError;
}

/** The limits RATE_LIMITS asks for (validated by the config), over the app's store. */
export function limitsFromConfig(store: DocumentStore, config: { RATE_LIMITS?: string }, now?: () => number): Limits {
  const rules = parseRateLimits(config.RATE_LIMITS);
  if (rules !== 'off' && 'error' in rules) throw new Error(`RATE_LIMITS: ${String(rules.error)}`);
  return new Limits(store, rules, now);
}
