import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import { ensurePrivateDir, tightenFile } from '../store/privateFiles';

export const TOKEN_SECRET_FILE = 'token-secret';
const GENERATED_SECRET_BYTES = 48;
const MIN_SECRET_BYTES = 32;

function readSecretFile(file: string): Buffer {
  const secret = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < MIN_SECRET_BYTES) {
    throw new Error(`${file} does not hold a token secret (expected ${GENERATED_SECRET_BYTES} random bytes in base64); delete it to make a new one`);
  }
  return secret;
}

/**
 * The secret that signs link tokens: TOKEN_SECRET when set; otherwise the one kept in
 * <DATA_DIR>/token-secret, made (48 random bytes, file mode 0600) the first time, so links
 * keep working across restarts.
 */
export function loadTokenSecret(config: Pick<Config, 'TOKEN_SECRET' | 'DATA_DIR'>): Buffer {
  if (config.TOKEN_SECRET) return Buffer.from(config.TOKEN_SECRET, 'utf8');
  const file = path.join(config.DATA_DIR, TOKEN_SECRET_FILE);
  // the data folder is 0700 and the secret 0600, also when an older version left them readable to others
  ensurePrivateDir(config.DATA_DIR, { tighten: true });
  if (fs.existsSync(file)) {
    tightenFile(file);
    return readSecretFile(file);
  }
  const secret = randomBytes(GENERATED_SECRET_BYTES);
  try {
    // 'wx': another process starting at the same moment may have written it first; then use that one.
    fs.writeFileSync(file, secret.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readSecretFile(file);
    throw error;
  }
  return secret;
}
