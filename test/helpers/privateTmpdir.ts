import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Points TMPDIR (read by os.tmpdir(), which the multipart parser calls per request) at a fresh
 * folder for this suite, so counting upload_* files there is exact whatever other suites upload
 * at the same time. Call at the top of a describe block; restores TMPDIR after the suite.
 */
export function usePrivateTmpdir(prefix: string): { dir: string; uploadLeftovers(): string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const saved = process.env.TMPDIR;
  beforeAll(() => {
    process.env.TMPDIR = dir;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { dir, uploadLeftovers: () => fs.readdirSync(dir).filter((name) => name.startsWith('upload_')) };
}
