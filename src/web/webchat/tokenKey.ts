import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../../config';

export const DIRECT_LINE_SECRET_FILE = 'directline-secret';
const KEY_BYTES = 32;

function readKeyFile(file: string): Buffer {
  const key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length < KEY_BYTES) throw new Error(`${file} does not hold a Direct Line key (32 random bytes in base64); delete it to make a new one`);
  return key;
}

/**
 * The key that signs local Direct Line tokens: derived from TOKEN_SECRET when it is set (its own
 * purpose, so a link token can never pass as a chat token); otherwise 32 random bytes kept in
 * <DATA_DIR>/directline-secret (mode 0600), so tokens survive a restart on the same data folder.
 */
export function loadDirectLineKey(config: Pick<Config, 'TOKEN_SECRET' | 'DATA_DIR'>): Buffer {
  if (config.TOKEN_SECRET) return createHmac('sha256', config.TOKEN_SECRET).update('local-direct-line-token').digest();
  const file = path.join(config.DATA_DIR, DIRECT_LINE_SECRET_FILE);
  if (fs.existsSync(file)) return readKeyFile(file);
  fs.mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  try {
    // 'wx': a second process starting at the same moment may have written it first; use that one.
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw error;
  }
  return key;
}
