import { simpleParser, type ParsedMail } from 'mailparser';
import { listMailboxFiles, readMailboxFile } from '../../src/services/mail/mailbox';
import type { Mailer } from '../../src/services/mail/mailer';

/** The six-digit code in a code mail's text (the line that is only the code). */
export function codeInMail(mail: ParsedMail): string {
  const match = /^\s*(\d{6})\s*$/m.exec(mail.text ?? '');
  if (!match) throw new Error(`no code in the mail "${mail.subject ?? ''}"`);
  return match[1]!;
}

/** Every mail in the local mailbox (<dataDir>/mail), oldest first, parsed as a mail client would. */
export async function localMails(dataDir: string): Promise<ParsedMail[]> {
  const names = (await listMailboxFiles(dataDir)).reverse();
  const mails: ParsedMail[] = [];
  for (const name of names) {
    const raw = await readMailboxFile(dataDir, name);
    if (raw) mails.push(await simpleParser(raw));
  }
  return mails;
}

const recipient = (mail: ParsedMail): string => {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return (to?.value[0]?.address ?? '').toLowerCase();
};

/** Delivers the outbox, then returns the code of the newest code mail to `address` in the local mailbox. */
export async function latestCodeIn(dataDir: string, mailer: Mailer, address: string): Promise<string> {
  await mailer.flush();
  const mails = (await localMails(dataDir)).filter((m) => recipient(m) === address.toLowerCase() && /^\s*\d{6}\s*$/m.test(m.text ?? ''));
  const newest = mails[mails.length - 1];
  if (!newest) throw new Error(`no code mail to ${address}`);
  return codeInMail(newest);
}

export { recipient as mailRecipient };
