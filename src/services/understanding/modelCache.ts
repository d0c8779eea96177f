import fs from 'node:fs/promises';
import path from 'node:path';

/** Trained models on disk, one file per training-data hash; written atomically (temp file + rename). */
export function modelCacheFile(dir: string, key: string): string {
  return path.join(dir, `nlu-model-${key}.json`);
}

export async function readCachedModel(dir: string, key: string): Promise<string | undefined> {
  try {
    return await fs.readFile(modelCacheFile(dir, key), 'utf8');
  } catch {
    return undefined;
  }
}

/** Best effort: a cache that cannot be written only costs the next start a training run. */
export async function writeCachedModel(dir: string, key: string, model: string): Promise<boolean> {
  const target = modelCacheFile(dir, key);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.writeFile(temp, model);
    await fs.rename(temp, target);
    return true;
  } catch {
    await fs.rm(temp, { force: true });
    return false;
  }
}
