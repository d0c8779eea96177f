import fs from 'node:fs';

/** Only the app's user may enter the data folder and read its files (they hold personal data and secrets). */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes the folder (and any missing parents) with mode 0700. With `tighten`, an existing folder
 * is set to 0700 too (for the app's own data folder; never for a shared one such as /tmp).
 */
export function ensurePrivateDir(dir: string, { tighten }: { tighten: boolean }): void {
  const created = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created === undefined && tighten) fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Sets an existing file to 0600 (files made by an older version, or by a library with the default 0644). */
export function tightenFile(file: string): void {
  try {
    fs.chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
