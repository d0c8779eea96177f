import path from 'node:path';
import { Piscina } from 'piscina';
import type { PasswordInput, PasswordProblem } from '../../domain/passwordPolicy';

/** Checks a chosen password against the policy (domain/passwordPolicy checkPassword). */
export type PasswordCheck = (input: PasswordInput) => Promise<PasswordProblem[]>;

const IDLE_MS = 60_000;
const TIMEOUT_MS = 15_000;

/** The compiled policy when running from dist/; from the TypeScript sources, a .js loader next to this file. */
function policyWorker(): string {
  const fromSources = path.extname(__filename) === '.ts';
  return fromSources ? path.join(__dirname, 'passwordWorker.js') : path.join(__dirname, '..', '..', 'domain', 'passwordPolicy.js');
}

/**
 * Runs the password policy in one worker thread, started when a password is first checked and
 * ended after a minute without checks. Its dictionaries (zxcvbn-ts: ~70 MB of memory, a few
 * hundred ms to build) are never loaded in the main thread, so the app starts faster and smaller
 * (`npm run bench`), and a check (~15 ms of zxcvbn) never holds up other requests and turns.
 */
export class PasswordCheckPool {
  private readonly pool = new Piscina<PasswordInput, PasswordProblem[]>({
    filename: policyWorker(),
    name: 'checkPassword',
    minThreads: 0,
    maxThreads: 1,
    idleTimeout: IDLE_MS,
  });

  readonly check: PasswordCheck = (input) => this.pool.run(input, { signal: AbortSignal.timeout(TIMEOUT_MS) });

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
