import nodemailer from 'nodemailer';
import type { Config } from '../../config';
import { writeMailboxFile } from './mailbox';

/** A fully rendered message, ready for the wire. */
export interface WireMessage {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  /** Stable across retries: `<id@domain>`. */
  messageId: string;
  attachments?: MailAttachment[];
}

/** A file sent with a mail (e.g. the data export). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** Hands one message to the mail system; resolves once it has been accepted. Holds no connection between messages. */
export interface MailTransport {
  readonly kind: 'smtp' | 'mailbox';
  send(message: WireMessage): Promise<void>;
}

/**
 * Timeouts kept well under the outbox lease (2 minutes), so a hung server never makes a second
 * process believe a message was abandoned while it is still being sent.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000, dnsTimeout: 10_000 };

function mailOptions(message: WireMessage) {
  return {
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/** SMTP from a smtp:// or smtps:// URL (user, password, host, port and options in the URL). */
export function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  return {
    kind: 'smtp',
    async send(message) {
      const info = await transporter.sendMail(mailOptions(message));
      if (info.accepted.length === 0) throw new Error('SMTP server accepted no recipient');
    },
  };
}

/** The local mailbox: every message is built by nodemailer and written as an .eml file under <dataDir>/mail/. */
export function mailboxTransport(dataDir: string, now: () => number = Date.now): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'mailbox',
    async send(message) {
      const info = await transporter.sendMail(mailOptions(message));
      if (!Buffer.isBuffer(info.message)) throw new Error('mailbox: nodemailer returned a stream, not a buffer');
      await writeMailboxFile(dataDir, info.message, message.messageId, now());
    },
  };
}

/** SMTP when SMTP_URL is set, the local mailbox folder otherwise. */
export function createTransport(config: Pick<Config, 'SMTP_URL' | 'DATA_DIR'>, now?: () => number): MailTransport {
  return config.SMTP_URL ? smtpTransport(config.SMTP_URL) : mailboxTransport(config.DATA_DIR, now);
}
