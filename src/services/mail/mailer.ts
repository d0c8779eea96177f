import type { Language } from '../../domain/language';
import type { MailAttachment } from './transport';

/** The emails the app sends; each has a subject, HTML and text part in locales/<lang>/email.json. */
export type MailTemplate =
  | 'confirmation'
  | 'linkCode'
  | 'accountConfirmed'
  | 'dataExport'
  | 'invitation'
  | 'passwordLink'
  | 'supportTicket'
  | 'supportByEmail'
  | 'supportReply'
  /** The fallbacks of the notify events (src/services/notify/fallbackMails.ts): sent when no chat was reached. */
  | 'passwordSetNotice'
  | 'stationLocalizedNotice'
  | 'coursesReadyNotice'
  | 'courseCompletedNotice'
  | 'certifiedNotice'
  | 'accountActivatedNotice'
  | 'agentJoinedNotice'
  | 'agentMessageNotice'
  | 'handoffClosedNotice'
  | 'emailCorrectedNotice';

export interface OutgoingMail {
  to: string;
  template: MailTemplate;
  language: Language;
  /** Values for the template (e.g. confirmUrl, chatUrl, supportUrl, a one-time code). Never a password. */
  vars: Record<string, string>;
  /** Files sent with the mail; kept in the outbox only until the mail is sent, like the address. */
  attachments?: MailAttachment[];
}

/**
 * Durable outbox: enqueue records the message in the store and returns at once (a turn never
 * waits on SMTP); a background worker delivers with retry and backoff, survives restarts, and
 * never sends a message twice once the server accepted it.
 */
export interface Mailer {
  enqueue(mail: OutgoingMail): Promise<string>;
  /** Starts the background delivery loop (also picks up what a previous run left pending). */
  start(): void;
  /** Stops the loop and waits for a delivery in progress. */
  stop(): Promise<void>;
  /** Delivers everything due now; resolves when done (tests and shutdown use it). */
  flush(): Promise<void>;
  /** Drops the messages to this address that are not sent yet ("delete my data"); returns how many. */
  forget(address: string): Promise<number>;
}
