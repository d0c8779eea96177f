import path from 'node:path';
import { tempDir } from './appHarness';

export interface Backend {
  name: 'sqlite' | 'redis' | 'postgres';
  /** A DATA_URL, or undefined when the server was unreachable (test/globalSetup.ts printed why). */
  url: string | undefined;
}

export const BACKENDS: Backend[] = [
  { name: 'sqlite', url: `sqlite://${path.join(tempDir(), 'store.sqlite')}` },
  { name: 'redis', url: process.env.TEST_REDIS_URL || undefined },
  { name: 'postgres', url: process.env.TEST_DATABASE_URL || undefined },
];

export const AVAILABLE_BACKENDS = BACKENDS.filter((b) => b.url !== undefined) as Array<Backend & { url: string }>;
export const SKIPPED_BACKENDS = BACKENDS.filter((b) => b.url === undefined);

let run = 0;

/** Keys unique to one test run, so suites sharing a Redis/PostgreSQL server do not see each other. */
export function uniqueKey(name: string): string {
  return `test/${process.pid}_${Date.now()}_${++run}/${name}`;
}
