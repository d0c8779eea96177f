import fs from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../store/privateFiles';

/** The local mailbox folder: <DATA_DIR>/mail/, one RFC 822 .eml file per message. */
export function mailboxDir(dataDir: string): string {
  return path.join(dataDir, 'mail');
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.eml$/;

/** A plain file name of the mailbox (no path separators, no `..`, ends in .eml). */
export function isMailboxFileName(name: string): boolean {
  return FILE_NAME.test(name) && !name.includes('..');
}

/** `2025-01-31T12-00-00-000Z-<id>.eml`: sorts by time, and the id tells messages of one millisecond apart. */
export function mailboxFileName(messageId: string, time: number): string {
  const stamp = new Date(time).toISOString().replace(/[:.]/g, '-');
  const id = messageId.replace(/^<|>$/g, '').split('@')[0]?.replace(/[^A-Za-z0-9-]/g, '') || 'message';
  return `${stamp}-${id}.eml`;
}

/** Writes the raw message atomically (temporary file, then rename), so a reader never sees half a message; mode 0600 in a 0700 folder. */
export async function writeMailboxFile(dataDir: string, raw: Buffer, messageId: string, time: number): Promise<string> {
  const dir = mailboxDir(dataDir);
  // messages hold personal data and one-time links: only the app's user may read them
  ensurePrivateDir(path.dirname(dir), { tighten: true });
  ensurePrivateDir(dir, { tighten: true });
  const name = mailboxFileName(messageId, time);
  const temporary = path.join(dir, `.${name}.${process.pid}.tmp`);
  await fs.writeFile(temporary, raw, { mode: PRIVATE_FILE_MODE });
  await fs.rename(temporary, path.join(dir, name));
  return name;
}

/** The mailbox's file names, newest first. */
export async function listMailboxFiles(dataDir: string): Promise<string[]> {
  try {
    const names = await fs.readdir(mailboxDir(dataDir));
    return names.filter(isMailboxFileName).sort().reverse();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The raw message, or undefined for a name that is not a mailbox file or does not exist. */
export async function readMailboxFile(dataDir: string, name: string): Promise<Buffer | undefined> {
  if (!isMailboxFileName(name)) return undefined;
  try {
    return await fs.readFile(path.join(mailboxDir(dataDir), name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
