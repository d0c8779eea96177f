/**
 * Lists the background jobs given up on (status 'dead': every attempt failed, or a permanent
 * error), from the store the app uses (DATA_URL / DATA_DIR as for the app):
 *
 *   npm run jobs:dead
 *
 * One line each: id, type, attempts, when it was created and given up, the last error. Payloads
 * are not printed (they may name a person). Exit code 0; nothing listed → "no dead jobs".
 */
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { createJobQueue } from '../src/services/jobs/createJobQueue';
import type { DeadJob } from '../src/services/jobs/jobQueue';
import type { DocumentStore } from '../src/services/store/documentStore';
import { openDocumentStore } from '../src/services/store/keyvDocumentStore';

const time = (at: number | undefined) => (at === undefined ? '-' : new Date(at).toISOString());

export function describeDeadJob(job: DeadJob): string {
  return [job.id, job.type, `attempts=${job.attempts}`, `created=${time(job.createdAt)}`, `dead=${time(job.deadAt)}`, `error=${JSON.stringify(job.lastError ?? '')}`].join('  ');
}

/** The report the command prints. */
export async function deadJobReport(store: DocumentStore): Promise<string> {
  const dead = await createJobQueue({ store, logger: createLogger({ level: 'silent' }) }).dead();
  if (dead.length === 0) return 'jobs: no dead jobs';
  return [`jobs: ${dead.length} dead job(s)`, ...dead.map(describeDeadJob)].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openDocumentStore(config.DATA_URL);
  try {
    console.log(await deadJobReport(store));
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('jobs:dead: ' + (error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  });
}
