import type { ConversationAddress } from '../../domain/conversationAddress';
import type { Logger } from '../../logger';
import type { InstallerRepository } from '../installers/installerRepository';
import type { JobQueue } from '../jobs/jobQueue';
import type { Mailer, OutgoingMail } from '../mail/mailer';
import type { AppJobs } from '../jobs/appJobs';
import type { ConversationReferences } from './conversationReferences';
import type { NotifyEvent } from './events';
import { fallbackMail } from './fallbackMails';

/** What the bot layer is asked to do: run notify event `event` for `installerId` in one conversation. */
export interface NotifyTurn {
  installerId: string;
  event: NotifyEvent;
}

/**
 * How one conversation took the notify turn: reached; unreachable (blocked, uninstalled, gone:
 * 403/404/410); the channel refused the bot's own credential (401, no token from Entra ID); or
 * failed for now (5xx, 429, a network error, any other error of the turn: `error` is its name),
 * which a later attempt may get past.
 */
export type NotifyOutcome =
  | { kind: 'reached' }
  | { kind: 'unreachable'; status?: number }
  | { kind: 'badCredential'; status?: number }
  | { kind: 'failed'; status?: number; error?: string; /** The channel's Retry-After, when it gave one. */ retryAfterMs?: number };

/** The bot layer's side of the notify path (bot/notifyTurns.ts): continues the conversation at `address` with the event. */
export type DeliverNotifyTurn = (address: ConversationAddress, turn: NotifyTurn) => Promise<NotifyOutcome>;

/** The 'notify' job's payload. */
export interface NotifyJob extends NotifyTurn {
  /** Replaces the event's own fallback email (fallbackMails.ts). */
  fallback?: OutgoingMail;
}

export interface NotifierDeps {
  jobs: JobQueue<AppJobs>;
  references: ConversationReferences;
  mailer: Mailer;
  installers: InstallerRepository;
  publicUrl: string;
  logger: Logger;
}

/** Attempts of a notify job (a channel failing for now: 5xx, 429, the network; the store; a bug in a turn). */
export const NOTIFY_ATTEMPTS = 5;

/**
 * A notice no conversation took because of failures a later attempt may get past: the job retries
 * with its backoff, or after the longest Retry-After a channel gave (`retryAfterMs`, which the job
 * queue honours) when that is longer.
 */
export class NotifyRetryError extends Error {
  constructor(
    readonly failed: number,
    readonly retryAfterMs?: number,
  ) {
    super(`${failed} conversation(s) failed for now; the notice is retried`);
    this.name = 'NotifyRetryError';
  }
}

/**
 * The ONE proactive path. notify() queues a 'notify' job and returns at once (a page request never
 * waits for a chat). The job continues every conversation of the installer with the event (the
 * bot layer runs the turn); when none can be reached, the event's fallback email is queued, in the
 * installer's language. A refused bot credential is logged as an error and sends no email: the
 * operator must fix the credential, and every installer would otherwise get mail instead. A
 * conversation that failed for now (the channel answered 5xx or 429, or could not be reached over
 * the network) makes the job retry with its backoff, or no sooner than the channel's Retry-After;
 * the email goes out only when the last attempt failed too.
 */
export class Notifier {
  private deliverTurn?: DeliverNotifyTurn;

  constructor(private readonly deps: NotifierDeps) {
    deps.jobs.register('notify', (job, { attempt }) => this.deliver(job, attempt).then(() => undefined), { maxAttempts: NOTIFY_ATTEMPTS });
    deps.jobs.register('notifyForgetChats', ({ installerId }) => deps.references.forget(installerId));
  }

  /** The bot is built after the services; the composition root connects it here. */
  attach(deliverTurn: DeliverNotifyTurn): void {
    this.deliverTurn = deliverTurn;
  }

  /** Queues the event for the installer; returns the job id. */
  notify(installerId: string, event: NotifyEvent, fallback?: OutgoingMail): Promise<string> {
    // one installer's notices arrive in the order they happened (an agent's messages, above all)
    return this.deps.jobs.enqueue('notify', { installerId, event, ...(fallback ? { fallback } : {}) }, { group: installerId });
  }

  /** Forgets the chats linked to `installerId` after the notices queued for it so far are delivered (same group, in order). */
  forgetChatsAfterNotices(installerId: string): Promise<string> {
    return this.deps.jobs.enqueue('notifyForgetChats', { installerId }, { group: installerId });
  }

  /** Drops the notices for this installer not delivered yet (its registration is deleted or replaced); returns how many. */
  forget(installerId: string): Promise<number> {
    return this.deps.jobs.forget((type, payload) => type === 'notify' && (payload as Partial<NotifyJob> | undefined)?.installerId === installerId);
  }

  /**
   * Takes the fallback email addressed to `address` off the notices not delivered yet (a support
   * ticket's notices carry the agent's reply as one): the person's data is deleted, or support
   * corrected the address. The notice still goes to the chats. Returns how many were changed.
   */
  forgetMailsTo(address: string): Promise<number> {
    const wanted = address.toLowerCase();
    return this.deps.jobs.rewrite((type, payload) => {
      const job = payload as Partial<NotifyJob> | undefined;
      if (type !== 'notify' || job?.fallback?.to.toLowerCase() !== wanted) return undefined;
      const { fallback: _dropped, ...rest } = job;
      return rest;
    });
  }

  /**
   * What the 'notify' job runs (`attempt` counts from 1). Returns how many conversations were
   * reached; throws NotifyRetryError when none was and one failed for now, before the last attempt.
   */
  async deliver(job: NotifyJob, attempt = NOTIFY_ATTEMPTS): Promise<number> {
    const { installerId, event } = job;
    const deliverTurn = this.deliverTurn;
    if (!deliverTurn) throw new Error('Notifier used before a bot was attached');
    const { logger } = this.deps;
    const addresses = await this.deps.references.linked(installerId);
    let reached = 0;
    let failed = 0;
    let retryAfterMs: number | undefined;
    let badCredential: NotifyOutcome | undefined;
    for (const address of addresses) {
      let outcome: NotifyOutcome;
      try {
        outcome = await deliverTurn(address, { installerId, event });
      } catch (error) {
        // the deliverer reports failures as outcomes; one throwing anyway must not keep the others from their turn
        outcome = { kind: 'failed', error: error instanceof Error ? error.name : typeof error };
      }
      if (outcome.kind === 'reached') reached += 1;
      else if (outcome.kind === 'badCredential') badCredential = outcome;
      else if (outcome.kind === 'unreachable') logger.warn({ channelId: address.channelId, event: event.name, status: outcome.status }, 'conversation unreachable');
      else {
        failed += 1;
        if (outcome.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, outcome.retryAfterMs);
        logger.warn({ channelId: address.channelId, event: event.name, status: outcome.status, err: outcome.error, retryAfterMs: outcome.retryAfterMs, attempt }, 'notify turn failed');
      }
    }
    if (badCredential) {
      logger.error(
        { event: event.name, status: 'status' in badCredential ? badCredential.status : undefined, conversations: addresses.length, reached },
        'the channel refused the bot credential (MicrosoftAppId/MicrosoftAppPassword); no fallback email sent',
      );
      return reached;
    }
    if (reached > 0) return reached;
    if (failed > 0 && attempt < NOTIFY_ATTEMPTS) throw new NotifyRetryError(failed, retryAfterMs);
    const mail = job.fallback ?? (await this.fallbackFor(installerId, event));
    if (mail) {
      logger.info({ event: event.name, conversations: addresses.length, failed, attempt, template: mail.template }, 'no conversation reached; falling back to email');
      await this.deps.mailer.enqueue(mail);
    }
    return reached;
  }

  private async fallbackFor(installerId: string, event: NotifyEvent): Promise<OutgoingMail | undefined> {
    const installer = await this.deps.installers.get(installerId);
    return installer ? fallbackMail(installer, event, this.deps.publicUrl) : undefined;
  }
}
