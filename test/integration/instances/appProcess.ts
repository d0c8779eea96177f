import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Activity } from 'botbuilder';

/** The real app in a child process (a second instance on the same store). */
export class AppProcess {
  private readonly lines: string[] = [];
  url = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => this.lines.push(...d.toString().split('\n').filter(Boolean)));
  }

  static async start(dataUrl: string): Promise<AppProcess> {
    const child = fork(path.join(__dirname, 'appWorker.ts'), [dataUrl], {
      execArgv: ['-r', 'ts-node/register/transpile-only'],
      stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
    });
    const app = new AppProcess(child);
    const line = await app.waitForLine((l) => l.startsWith('listening ') || l.startsWith('error'), 60_000);
    if (!line.startsWith('listening ')) throw new Error('the second instance did not start: ' + line);
    app.url = line.slice('listening '.length);
    return app;
  }

  post(activity: Partial<Activity>): Promise<Response> {
    return fetch(`${this.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.write('stop\n');
    await exited;
  }

  /** Dies at once, as a crashed or killed instance does (no cleanup of any kind). */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }

  private async waitForLine(predicate: (line: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(predicate);
      if (found) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error('second instance: ' + JSON.stringify(this.lines));
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
