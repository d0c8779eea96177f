import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeMailboxFile, mailboxDir } from '../../../src/services/mail/mailbox';
import { loadTokenSecret, TOKEN_SECRET_FILE } from '../../../src/services/tokens/tokenSecret';
import { startApp, tempDir } from '../../helpers/appHarness';

const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe('data files are readable by the app user only', () => {
  // a umask that would otherwise leave everything world-readable
  let umask: number;
  beforeAll(() => {
    umask = process.umask(0o022);
  });
  afterAll(() => {
    process.umask(umask);
  });

  it('a fresh data folder is 0700, the SQLite file and the token secret 0600', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const h = await startApp({}, dataDir);
    try {
      expect(modeOf(dataDir)).toBe('700');
      expect(modeOf(path.join(dataDir, 'onboarding.sqlite'))).toBe('600');
      expect(modeOf(path.join(dataDir, TOKEN_SECRET_FILE))).toBe('600');
      for (const suffix of ['-wal', '-shm']) {
        const file = path.join(dataDir, 'onboarding.sqlite' + suffix);
        if (fs.existsSync(file)) expect(modeOf(file)).toBe('600');
      }
    } finally {
      await h.stop();
    }
  });

  it('a data folder and token secret left readable by an older version are tightened at start', () => {
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o755);
    const file = path.join(dataDir, TOKEN_SECRET_FILE);
    fs.writeFileSync(file, randomBytes(48).toString('base64') + '\n', { mode: 0o644 });
    loadTokenSecret({ DATA_DIR: dataDir });
    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(file)).toBe('600');
  });

  it('local mailbox messages are 0600 in a 0700 folder', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const name = await writeMailboxFile(dataDir, Buffer.from('Subject: hi\r\n\r\nbody'), '<abc@local>', Date.now());
    expect(modeOf(dataDir)).toBe('700');
    expect(modeOf(mailboxDir(dataDir))).toBe('700');
    expect(modeOf(path.join(mailboxDir(dataDir), name))).toBe('600');
  });
});
