import path from 'node:path';
import { localesDir } from '../i18n/translator';
import { startUnderstander, type UnderstanderStart } from './nlpjsUnderstander';

/**
 * The app's understander: the model cached on disk under DATA_DIR (so a start is fast) and shared
 * by every app this process builds for the same training files (tests build many).
 */
export function startAppUnderstander(dataDir: string): Promise<UnderstanderStart> {
  return startUnderstander({ localesDir: localesDir(), cacheDir: path.join(dataDir, 'nlu-model'), memo: true });
}
