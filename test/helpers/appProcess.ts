import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { shareModelCache, tempDir } from './appHarness';

export interface AppProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves with the app's base URL once it logs "listening". */
  listening(timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

/** Runs the real entry point (src/index.ts) in a child process, as `npm start` would, on a free port. */
export function startAppProcess(env: Record<string, string>): AppProcess {
  const child = fork(path.join(__dirname, '..', '..', 'src', 'index.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { ...process.env, PORT: '0', DATA_DIR: shareModelCache(tempDir()), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout!.on('data', (d: Buffer) => stdout.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (d: Buffer) => stderr.push(d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    stdout,
    stderr,
    exited,
    async listening(timeoutMs = 60000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = stdout.map((l) => JSON.parse(l) as { msg?: string; port?: number }).find((l) => l.msg === 'listening');
        if (line?.port) return `http://127.0.0.1:${line.port}`;
        if (child.exitCode !== null) throw new Error(`app exited (${child.exitCode}): ${stderr.join('')}`);
        if (Date.now() > deadline) throw new Error('app did not start: ' + stderr.join(''));
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
