/**
 * Lists the emails the outbox gave up on (status 'dead': every attempt failed), from the store
 * the app uses (DATA_URL / DATA_DIR as for the app):
 *
 *   npm run outbox:dead
 *
 * One line each: id, template, language, attempts, when it was given up, the last error, and the
 * recipient with the local part masked. Exit code 0; nothing listed → "no dead letters".
 */
import { loadConfig } from '../src/config';
import { type OutboxRecord, deadLetters } from '../src/services/mail/outbox';
import type { DocumentStore } from '../src/services/store/documentStore';
import { openDocumentStore } from '../src/services/store/keyvDocumentStore';

/** `someone@example.com` → `s…@example.com`: enough to recognise, not to read off. */
export function maskAddress(address: string | undefined): string {
  if (!address) return '-';
  const at = address.lastIndexOf('@');
  return at > 0 ? `${address[0]}…${address.slice(at)}` : '…';
}

export function describeDeadLetter(record: OutboxRecord): string {
  return [
    record.id,
    record.template,
    record.language,
    `attempts=${record.attempts}`,
    `dead=${record.deadAt === undefined ? '-' : new Date(record.deadAt).toISOString()}`,
    `to=${maskAddress(record.mail?.to)}`,
    `error=${JSON.stringify(record.lastError ?? '')}`,
  ].join('  ');
}

/** The report the command prints. */
export async function deadLetterReport(store: DocumentStore): Promise<string> {
  const dead = await deadLetters(store);
  if (dead.length === 0) return 'outbox: no dead letters';
  return [`outbox: ${dead.length} dead letter(s)`, ...dead.map(describeDeadLetter)].join('\n');
}

async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openDocumentStore(config.DATA_URL);
  try {
    console.log(await deadLetterReport(store));
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('outbox:dead: ' + (error instanceof Error ? error.message : String(error)));
    process.exitCode = 1;
  });
}
