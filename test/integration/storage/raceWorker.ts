// Run in a child process: waits for "go" on stdin, then tries one conditional write.
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { isEtagConflict } from '../../../src/services/store/documentStore';

async function main(): Promise<void> {
  const [dataUrl, key, etag, writer] = process.argv.slice(2) as [string, string, string, string];
  const store = await openDocumentStore(dataUrl);
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  let outcome: string;
  try {
    await store.put(key, { writer }, { etag });
    outcome = 'won';
  } catch (error) {
    outcome = isEtagConflict(error) ? 'conflict' : 'error: ' + String(error);
  }
  await store.close();
  // stdin is still open (the parent holds the pipe): leave explicitly once the outcome is written
  process.stdout.write(outcome + '\n', () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stdout.write('error: ' + String(error) + '\n');
  process.exit(1);
});
