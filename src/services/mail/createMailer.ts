import { randomUUID } from 'node:crypto';
import { createPassLoop } from '../store/passLoop';
import { backoffMs } from '../store/backoff';
import type { Config } from '../../config';
import { errorSummary, type Logger } from '../../logger';
import type { Translator } from '../i18n/translator';
import type { DocumentStore } from '../store/documentStore';
import type { Mailer, OutgoingMail } from './mailer';
import {
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ATTEMPTS,
  type OutboxRecord,
  addToOutbox,
  claim,
  forgetMailsTo,
  markDead,
  markFailed,
  markSent,
  outboxIds,
  removeFromIndex,
} from './outbox';
import { renderMail, validateMail } from './templates';
import { type MailTransport, createTransport } from './transport';

export interface MailerDeps {
  config: Config;
  store: DocumentStore;
  translator: Translator;
  logger: Logger;
  now?: () => number;
  /** Backoff between attempts of one message (default 2 s doubling up to 10 min). */
  retry?: { baseMs: number; maxMs: number };
  /** Attempts before a message is given up as dead (default DEFAULT_MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** How long a 'sending' claim holds before another worker may take the message over (default 2 min). */
  leaseMs?: number;
  /** How often an idle worker looks for messages other processes enqueued (default 30 s). */
  pollMs?: number;
  /** Replaces the transport chosen from the config (SMTP_URL, else the local mailbox). */
  transport?: MailTransport;
}

const DEFAULT_RETRY = { baseMs: 2_000, maxMs: 10 * 60_000 };

/** The domain of the From address, for Message-IDs (`<id@domain>`). */
export function messageIdDomain(mailFrom: string): string {
  const address = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
  const domain = address.split('@')[1]?.trim().toLowerCase();
  return domain && /^[a-z0-9.-]+$/.test(domain) ? domain : 'localhost';
}

/** An error as it may be logged: no address, no link, no message body. */
function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return errorSummary(error);
  const { code, responseCode } = error as Error & { code?: unknown; responseCode?: unknown };
  return { ...errorSummary(error), code, responseCode };
}

/** MAIL_FROM's address with the sender's name in the mail's language ("Name <address>" or a bare address). */
export function senderIn(mailFrom: string, name: string): string {
  const address = /<([^<>]+)>\s*$/.exec(mailFrom)?.[1] ?? mailFrom.trim();
  return `"${name.replace(/["\\]/g, '')}" <${address}>`;
}

/**
 * The durable outbox (see outbox.ts for the record life cycle). enqueue() only writes to the store;
 * delivery happens in passes over the index, one at a time per process, started by start()'s timer,
 * by enqueue() once started, or by flush().
 */
export function createMailer(deps: MailerDeps): Mailer {
  const { config, store, translator } = deps;
  const logger = deps.logger.child({ component: 'mailer' });
  const now = deps.now ?? Date.now;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const pollMs = deps.pollMs ?? 30_000;
  const transport = deps.transport ?? createTransport(config, now);
  const domain = messageIdDomain(config.MAIL_FROM);

  let halting = false;
  const loop = createPassLoop({
    pass: () => pass(),
    pollMs,
    now,
    onError: (error) => logger.error({ err: loggableError(error) }, 'mail outbox pass failed'),
    retryMs: retry.baseMs,
  });

  async function deliver(id: string): Promise<number | undefined> {
    const claimed = await claim(store, id, now(), leaseMs);
    if (claimed.kind === 'done') {
      await removeFromIndex(store, id);
      return undefined;
    }
    if (claimed.kind === 'later') return claimed.at;
    const { record, etag } = claimed;
    try {
      const { senderName, ...rendered } = renderMail(translator, record.mail);
      await transport.send({
        from: senderIn(config.MAIL_FROM, senderName),
        to: record.mail.to,
        replyTo: config.SUPPORT_EMAIL,
        messageId: record.messageId,
        attachments: record.mail.attachments,
        ...rendered,
      });
    } catch (error) {
      if (record.attempts >= maxAttempts) {
        const err = loggableError(error);
        if (await markDead(store, record, etag, now(), [err.name, err.code, err.responseCode, err.message].filter((x) => x !== undefined).join(' '))) {
          logger.error(
            { outboxId: id, template: record.template, attempts: record.attempts, transport: transport.kind, err },
            'mail delivery given up after the last attempt; see npm run outbox:dead',
          );
        }
        return undefined;
      }
      const delay = backoffMs(record.attempts, retry);
      logger.warn(
        { outboxId: id, template: record.template, attempt: record.attempts, retryInMs: delay, transport: transport.kind, err: loggableError(error) },
        'mail delivery failed; will retry',
      );
      await markFailed(store, record, etag, now() + delay);
      return now() + delay;
    }
    await markSent(store, record, now());
    logger.info({ outboxId: id, template: record.template, attempt: record.attempts, transport: transport.kind }, 'mail delivered');
    return undefined;
  }

  /** Delivers every due message once; returns when the next one falls due (if any is waiting). */
  async function pass(): Promise<number | undefined> {
    let next: number | undefined;
    for (const id of await outboxIds(store)) {
      if (halting) break;
      const at = await deliver(id);
      if (at !== undefined) next = next === undefined ? at : Math.min(next, at);
    }
    return next;
  }

  return {
    async enqueue(mail: OutgoingMail): Promise<string> {
      validateMail(mail);
      const id = randomUUID();
      const createdAt = now();
      const record: OutboxRecord = {
        id,
        template: mail.template,
        language: mail.language,
        mail,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: createdAt,
        createdAt,
        messageId: `<${id}@${domain}>`,
      };
      await addToOutbox(store, record);
      logger.debug({ outboxId: id, template: mail.template, language: mail.language }, 'mail queued');
      if (loop.started) loop.request().catch(() => undefined); // failures are logged by the loop
      return id;
    },

    start(): void {
      loop.start();
    },

    async stop(): Promise<void> {
      halting = true;
      try {
        await loop.stop();
      } finally {
        halting = false;
      }
    },

    forget(address: string): Promise<number> {
      return forgetMailsTo(store, address);
    },

    flush(): Promise<void> {
      return loop.request();
    },
  };
}
