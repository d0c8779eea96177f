import type { DocumentStore } from '../store/documentStore';
import { type LimitRule, type LimitVerdict, RateLimiter } from './rateLimiter';

/** Everything that is rate limited, and by what. */
export type LimitName = 'messages' | 'uploads' | 'registrations' | 'sendLink' | 'conversations' | 'agentSignIn';

const MINUTE = 60_000;

/** The defaults; RATE_LIMITS overrides any of them (see parseRateLimits). */
export const DEFAULT_LIMITS: Record<LimitName, LimitRule> = {
  /** Chat messages per conversation user. A person types far fewer; a script is stopped. */
  messages: { limit: 120, windowMs: MINUTE },
  /** Files (Direct Line uploads and station scan photos) per user and per client address. */
  uploads: { limit: 30, windowMs: 10 * MINUTE },
  /** Registrations started per conversation user. */
  registrations: { limit: 5, windowMs: 60 * MINUTE },
  /** "Send me a link" emails to someone else's address, per conversation user asking. */
  sendLink: { limit: 10, windowMs: 60 * MINUTE },
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
  async take(name: LimitName, ...keys: string[]): Promise<LimitVerdict> {
    if (this.rules === 'off') return { allowed: true };
    const rule = this.rules[name];
    let refused: LimitVerdict | undefined;
    for (const key of keys) {
      const verdict = await this.limiter.take(name, key, rule);
      if (!verdict.allowed && (!refused || refused.allowed || verdict.retryAfterSeconds > refused.retryAfterSeconds)) refused = verdict;
    }
    return refused ?? { allowed: true };
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
