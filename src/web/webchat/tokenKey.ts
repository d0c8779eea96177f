import { createHmac } from 'node:crypto';
import type { Config } from '../../config';
import { loadTokenSecret } from '../../services/tokens/tokenSecret';

/**
 * The key that signs local Direct Line tokens: derived from the app's one token secret
 * (TOKEN_SECRET, or the one kept under DATA_DIR) for its own purpose, so a link token can never
 * pass as a chat token and chat tokens survive a restart on the same data folder.
 */
export function loadDirectLineKey(config: Pick<Config, 'TOKEN_SECRET' | 'DATA_DIR'>): Buffer {
  return createHmac('sha256', loadTokenSecret(config)).update('local-direct-line-token').digest();
}

/**
 * The key that signs the page's resume grants (what lets the same device continue its chat the
 * next day): its own purpose, so a resume grant is never a Direct Line token and the other way round.
 */
export function loadResumeKey(config: Pick<Config, 'TOKEN_SECRET' | 'DATA_DIR'>): Buffer {
  return createHmac('sha256', loadTokenSecret(config)).update('local-direct-line-resume').digest();
}
