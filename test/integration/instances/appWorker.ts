// Run in a child process: a second instance of the real app. argv: DATA_URL. Prints "listening <url>",
// stops cleanly on "stop" from stdin (prints "stopped"); the test may also kill it with SIGKILL.
import { startApp } from '../../helpers/appHarness';

async function main(): Promise<void> {
  const [dataUrl] = process.argv.slice(2) as [string];
  const h = await startApp({ DATA_URL: dataUrl, LOG_LEVEL: 'warn' });
  process.stdout.write(`listening ${h.url}\n`);
  process.stdin.on('data', (data: Buffer) => {
    if (!data.toString().includes('stop')) return;
    void h.stop().then(() => process.stdout.write('stopped\n', () => process.exit(0)));
  });
}

main().catch((error: unknown) => {
  process.stdout.write('error: ' + String(error) + '\n');
  process.exit(1);
});
