import { TERMS_VERSION } from '../../domain/accountSetup';
import type { Installer, InstallerAccount } from '../../domain/installer';
import { REGION_LINKS } from '../../domain/journey';
import { invitationPageUrl } from '../../domain/links';
import type { Logger } from '../../logger';
import type { InstallerRepository } from '../installers/installerRepository';
import type { Mailer } from '../mail/mailer';
import type { Notifier } from '../notify/notifier';
import { INVITATION_LINK_TTL_MS, type LinkTokens } from '../tokens/linkTokens';
import type { AccountSetUpResult, InvitationActions, InvitationView } from './invitationActions';

/** Resends of the invitation per hour (the first email is not a resend), as for the confirmation email. */
export const INVITATION_RESENDS_PER_HOUR = 3;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export type InvitationSendResult =
  | { kind: 'sent' }
  /** Sent before: nothing is sent again (send is idempotent; a new one only through resend). */
  | { kind: 'already_sent' }
  /** Not (or no longer) at `certified`: there is nothing to invite to. */
  | { kind: 'not_certified' }
  | { kind: 'missing' };

export type InvitationResendResult = { kind: 'sent' } | { kind: 'limited'; minutes: number } | { kind: 'not_needed' };

export interface InvitationDeps {
  installers: InstallerRepository;
  tokens: LinkTokens;
  mailer: Mailer;
  notifier: Notifier;
  publicUrl: string;
  logger: Logger;
  now?: () => Date;
}

/**
 * Certified → the invitation: an opaque, single-use, expiring link (token purpose `invitation`)
 * mailed to the installer, and the chat told. The invitation page then sets up the installer
 * account (name and company confirmed, terms accepted) → stage `active` → the chat told again.
 */
export class Invitations implements InvitationActions {
  private readonly now: () => Date;

  constructor(private readonly deps: InvitationDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Sends the invitation of a certified installer, once: a second call (the LMS webhook and the
   * poller both noticing the completion, a job run again) sends nothing. The first call claims the
   * invitation on the record (one atomic write wins), then issues the link, queues the email and
   * tells the chat; a failure before the email is queued gives the claim back, so a retry sends it.
   */
  async send(installerId: string): Promise<InvitationSendResult> {
    // the usual case of a second call answers from a read, without a write
    const seen = await this.deps.installers.get(installerId);
    if (!seen) return { kind: 'missing' };
    if (seen.stage !== 'certified') return { kind: 'not_certified' };
    if ((seen.invitationsSent ?? []).length > 0) return { kind: 'already_sent' };
    const at = this.now().toISOString();
    let outcome: InvitationSendResult = { kind: 'missing' };
    const claimed = await this.deps.installers.update(installerId, (current) => {
      if (current.stage !== 'certified') {
        outcome = { kind: 'not_certified' };
        return current;
      }
      if ((current.invitationsSent ?? []).length > 0) {
        outcome = { kind: 'already_sent' };
        return current;
      }
      outcome = { kind: 'sent' };
      return { ...current, invitationsSent: [at] };
    });
    if (!claimed) return { kind: 'missing' };
    const result = outcome as InvitationSendResult;
    if (result.kind !== 'sent') {
      this.deps.logger.info({ outcome: result.kind }, 'invitation not sent');
      return result;
    }
    try {
      await this.mailInvitation(claimed);
    } catch (error) {
      await this.deps.installers.update(installerId, (current) => ({ ...current, invitationsSent: (current.invitationsSent ?? []).filter((t) => t !== at) }));
      throw error;
    }
    this.deps.logger.info({ region: claimed.region, language: claimed.language }, 'invitation sent');
    try {
      await this.deps.notifier.notify(installerId, { name: 'certified' });
    } catch (error) {
      // the email is what matters; the chat shows the step the next time the installer writes
      this.deps.logger.warn({ err: error instanceof Error ? error.name : typeof error }, 'certified: the chat could not be told');
    }
    return { kind: 'sent' };
  }

  /** "I didn't get the invitation": a new link (the earlier one stops working) by email; 1 + INVITATION_RESENDS_PER_HOUR an hour. */
  async resend(installerId: string): Promise<InvitationResendResult> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer || installer.stage !== 'certified') return { kind: 'not_needed' };
    const nowMs = this.now().getTime();
    const recent = (installer.invitationsSent ?? []).map((t) => Date.parse(t)).filter((t) => t > nowMs - HOUR_MS);
    if (recent.length > INVITATION_RESENDS_PER_HOUR) {
      const oldest = Math.min(...recent);
      return { kind: 'limited', minutes: Math.max(1, Math.ceil((oldest + HOUR_MS - nowMs) / 60_000)) };
    }
    const at = this.now().toISOString();
    const updated = await this.deps.installers.update(installerId, (current) => ({
      ...current,
      // the first time stays (it marks the invitation as sent); older resends drop out of the hour
      invitationsSent: [...(current.invitationsSent ?? []).filter((t, i) => i === 0 || Date.parse(t) > Date.parse(at) - HOUR_MS), at],
    }));
    if (!updated) return { kind: 'not_needed' };
    await this.mailInvitation(updated);
    this.deps.logger.info('invitation sent again on request');
    return { kind: 'sent' };
  }

  async describe(installerId: string): Promise<InvitationView | undefined> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return undefined;
    const named = installer.account ?? installer.profile;
    return {
      language: installer.language,
      stage: installer.stage,
      firstName: named?.firstName ?? '',
      lastName: named?.lastName ?? '',
      company: named?.company ?? '',
    };
  }

  async setUpAccount(installerId: string, account: InstallerAccount): Promise<AccountSetUpResult> {
    const at = this.now().toISOString();
    const advanced = await this.deps.installers.advance(installerId, 'accountSetUp', (current) =>
      current.stage === 'active'
        ? current
        : {
            ...current,
            account,
            // the name and company as corrected here are the installer's from now on
            ...(current.profile ? { profile: { ...current.profile, firstName: account.firstName, lastName: account.lastName, company: account.company } } : {}),
            accountSetUpAt: at,
            termsAcceptedAt: at,
            termsVersion: TERMS_VERSION,
          },
    );
    if (advanced.kind === 'missing') return 'missing';
    if (advanced.kind === 'refused') return 'refused';
    if (advanced.kind === 'unchanged') return 'already_active';
    this.deps.logger.info('installer account set up');
    await this.deps.notifier.notify(installerId, { name: 'accountActivated' });
    return 'activated';
  }

  /** Issues a new invitation link (an earlier one stops working) and queues the email. */
  private async mailInvitation(installer: Installer): Promise<void> {
    const token = await this.deps.tokens.issue('invitation', installer.id, INVITATION_LINK_TTL_MS);
    const links = REGION_LINKS[installer.region];
    await this.deps.mailer.enqueue({
      to: installer.email,
      template: 'invitation',
      language: installer.language,
      vars: {
        // in the email's language, so that a page about a used or expired link speaks it too
        invitationUrl: invitationPageUrl(this.deps.publicUrl, token, installer.language),
        days: String(Math.round(INVITATION_LINK_TTL_MS / DAY_MS)),
        supportUrl: links.support[installer.language],
        faqUrl: links.faq,
      },
    });
  }
}
