import type { ConversationAddress } from '../../domain/conversationAddress';
import type { Installer } from '../../domain/installer';
import { parseEmail } from '../../domain/email';
import { hasReached, REGION_LINKS, type Region } from '../../domain/journey';
import { confirmUrl, passwordPageUrl } from '../../domain/links';
import type { Language } from '../../domain/language';
import type { Logger } from '../../logger';
import { addressKey } from '../limits/clientAddress';
import { type Limits, RateLimitedError } from '../limits/limits';
import type { Mailer } from '../mail/mailer';
import type { ConversationReferences } from '../notify/conversationReferences';
import type { Notifier } from '../notify/notifier';
import { CONFIRM_LINK_TTL_MS, type LinkTokens, PASSWORD_LINK_TTL_MS } from '../tokens/linkTokens';
import type { AccountActions } from './accountActions';
import type { ChatLinkCodes } from './chatLinkCodes';
import type { PersonalDataErasers } from '../privacy/personalDataErasers';
import type { FormerAddresses } from './formerAddresses';
import { accountKey } from '../notify/conversationReferences';
import type { InstallerRepository } from './installerRepository';
import type { LmsLearner } from '../lms/lmsPort';
import { LearnUponError } from '../lms/learnUponClient';
import { hashPassword, verifyPassword } from './passwordHasher';
import type { StationLocalizations } from '../stations/stationLocalizations';

export const RESENDS_PER_HOUR = 3;
const HOUR_MS = 60 * 60 * 1000;

export type StartResult = { kind: 'created'; installer: Installer } | { kind: 'linked'; installer: Installer };

export type ResendResult = { kind: 'sent' } | { kind: 'limited'; minutes: number } | { kind: 'not_needed' };

/** The LMS as the password page needs it: the portal user created with the chosen password. */
export interface PortalUsers {
  createUserWithResult(learner: LmsLearner, password: string): Promise<'created' | 'existing'>;
}

export interface RegistrationDeps {
  /** The university portal (LMS); absent → no portal user is created (tests of the chat alone). */
  lms?: PortalUsers;
  installers: InstallerRepository;
  tokens: LinkTokens;
  mailer: Mailer;
  references: ConversationReferences;
  notifier: Notifier;
  codes: ChatLinkCodes;
  erasers: PersonalDataErasers;
  /** Addresses corrected away: one registered again is the new registration's (reports naming it stop leading to the moved one); absent → none kept. */
  formerAddresses?: Pick<FormerAddresses, 'reclaimed'>;
  /** The installer's stations (kept apart from the record): exported with it (they move with it by their eraser's move); absent → none. */
  stations?: Pick<StationLocalizations, 'list'>;
  publicUrl: string;
  logger: Logger;
  /** Registrations and "send link" per asking user and client address; absent → unlimited. */
  limits?: Limits;
  now?: () => Date;
}

/** Who is asking, for the per-user limits: the channel account of the conversation. */
function askerOf(address: ConversationAddress): string {
  return `${address.channelId}:${address.user?.id ?? address.conversation.id}`;
}

/** Registration and email confirmation: creates the registration, sends the emails, continues the chat. */
export class RegistrationService implements AccountActions {
  private readonly now: () => Date;

  private lms: PortalUsers | undefined;

  constructor(private readonly deps: RegistrationDeps) {
    this.now = deps.now ?? (() => new Date());
    this.lms = deps.lms;
  }

  /** The LMS is built after the registration (the composition root connects it here). */
  useLms(lms: PortalUsers): void {
    this.lms = lms;
  }

  /**
   * Starts a registration for an address the person in this conversation has proved is theirs
   * (the one-time code from the email). An address already registered is not created again: the
   * conversation is linked to that registration and carries on where it was.
   *
   * `replacing`: the registration of this chat whose address was wrong (not confirmed yet). It is
   * replaced: a new address takes over its region, language and password, and the old one leaves
   * nothing behind (record, chat links, open links and codes).
   *
   * `clientAddress`: where the asking chat's request came from (web chat), counted against the
   * per-address limit too; Teams and Azure turns have none and count per user only.
   */
  async start(
    input: { id: string; email: string; region: Region; language: Language },
    reference: ConversationAddress,
    asking: { replacing?: string; clientAddress?: string } = {},
  ): Promise<StartResult> {
    const { replacing, clientAddress } = asking;
    const limited = await this.deps.limits?.takeAll([
      { name: 'registrations', key: askerOf(reference) },
      ...(clientAddress === undefined ? [] : [{ name: 'registrationsPerAddress' as const, key: addressKey(clientAddress) }]),
    ]);
    if (limited && !limited.allowed) throw new RateLimitedError('registrations', limited.retryAfterSeconds);
    const replaced = replacing !== undefined && replacing !== input.id ? await this.replaceable(replacing) : undefined;
    const at = this.now().toISOString();
    const installer: Installer = {
      id: input.id,
      email: input.email,
      region: input.region,
      language: input.language,
      stage: replaced?.stage ?? 'new',
      createdAt: at,
      updatedAt: at,
      confirmationsSent: [],
      ...(replaced?.passwordHash ? { passwordHash: replaced.passwordHash, passwordSetAt: replaced.passwordSetAt } : {}),
      ...(replaced?.passwordsTypedInChat ? { passwordsTypedInChat: replaced.passwordsTypedInChat } : {}),
      // the journey goes on with another address: when its stages were entered stays true
      ...(replaced?.stageHistory ? { stageHistory: replaced.stageHistory } : {}),
    };
    const created = await this.deps.installers.create(installer);
    if (created) await this.deps.formerAddresses?.reclaimed(installer.id);
    const current = created ? installer : await this.deps.installers.get(input.id);
    if (!current) throw new Error('start: the registration vanished while it was being linked');
    // the same person with the right address: what was filed under the wrong one (a support ticket) goes along
    if (replaced) await this.replaceRegistration(replaced, current);
    await this.deps.references.link(current.id, reference);
    // a replaced registration had its password already: the confirmation goes to the new address
    if (created && current.stage === 'registered') await this.sendConfirmation(current);
    this.deps.logger.info(
      { region: current.region, language: input.language, created, replaced: replaced !== undefined },
      created ? 'registration started' : 'conversation linked to a registration',
    );
    return { kind: created ? 'created' : 'linked', installer: (await this.deps.installers.get(current.id)) ?? current };
  }

  /** The password page link of this step: the same one each time it is shown, a new one when `fresh` (the user asked for it). */
  async passwordLink(installerId: string, fresh = false): Promise<string> {
    const token = fresh
      ? await this.deps.tokens.issue('password', installerId, PASSWORD_LINK_TTL_MS)
      : await this.deps.tokens.current('password', installerId, PASSWORD_LINK_TTL_MS);
    return passwordPageUrl(this.deps.publicUrl, token);
  }

  async describe(installerId: string): Promise<{ email: string; language: Language; confirmed: boolean } | undefined> {
    const installer = await this.deps.installers.get(installerId);
    return installer ? { email: installer.email, language: installer.language, confirmed: hasReached(installer.stage, 'confirmed') } : undefined;
  }

  /** A password typed into the chat: only its hash is kept, so the password page can refuse it. */
  async rememberPasswordTypedInChat(installerId: string, password: string): Promise<void> {
    const hash = await hashPassword(password);
    await this.deps.installers.update(installerId, (current) => ({ ...current, passwordsTypedInChat: [...(current.passwordsTypedInChat ?? []), hash].slice(-3) }));
  }

  async wasTypedInChat(installerId: string, password: string): Promise<boolean> {
    const hashes = (await this.deps.installers.get(installerId))?.passwordsTypedInChat ?? [];
    for (const hash of hashes) if (await verifyPassword(password, hash)) return true;
    return false;
  }

  async createPortalUser(installerId: string, password: string): Promise<'created' | 'existing' | 'unavailable' | 'refused'> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer || !this.lms) return 'created';
    const learner: LmsLearner = { installerId, email: installer.email, region: installer.region, language: installer.language, profile: installer.profile };
    try {
      return await this.lms.createUserWithResult(learner, password);
    } catch (error) {
      const retryable = !(error instanceof LearnUponError) || error.retryable;
      this.deps.logger.warn({ region: installer.region, retryable, failure: error instanceof LearnUponError ? error.failure : 'other' }, 'the portal user could not be created');
      return retryable ? 'unavailable' : 'refused';
    }
  }

  async setPassword(installerId: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    const at = this.now().toISOString();
    const withPassword = (current: Installer): Installer => ({ ...current, passwordHash, passwordSetAt: at });
    const advanced = await this.deps.installers.advance(installerId, 'passwordSet', withPassword);
    if (advanced.kind === 'missing') throw new Error('setPassword: no such installer');
    // a password chosen again later (a new page) changes the hash only
    if (advanced.kind === 'refused') await this.deps.installers.update(installerId, withPassword);
    if (advanced.kind === 'advanced' && advanced.installer.stage === 'registered') await this.sendConfirmation(advanced.installer);
    await this.deps.notifier.notify(installerId, { name: 'passwordSet' });
  }

  async confirmEmail(installerId: string): Promise<void> {
    const at = this.now().toISOString();
    const advanced = await this.deps.installers.advance(installerId, 'emailConfirmed', (current) => ({ ...current, confirmedAt: current.confirmedAt ?? at }));
    if (advanced.kind === 'missing') throw new Error('confirmEmail: no such installer');
    // no password yet (the link is only sent once it is set): nothing is confirmed, nothing is announced
    if (advanced.kind === 'refused') return;
    // its fallback email (no chat reached) is the event's own: accountConfirmed (notify/fallbackMails.ts)
    await this.deps.notifier.notify(installerId, { name: 'emailConfirmed' });
  }

  /** Sends a new confirmation link (the old one stops working); at most RESENDS_PER_HOUR an hour. */
  async resendConfirmation(installerId: string): Promise<ResendResult> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer || installer.stage !== 'registered') return { kind: 'not_needed' };
    const limit = this.resendLimit(installer);
    if (limit) return limit;
    await this.sendConfirmation(installer);
    return { kind: 'sent' };
  }

  /** Support's "new password link": a fresh password page link (the earlier one stops working), emailed to the installer. */
  async sendPasswordLink(installerId: string): Promise<{ kind: 'sent' | 'missing' }> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return { kind: 'missing' };
    const token = await this.deps.tokens.issue('password', installerId, PASSWORD_LINK_TTL_MS);
    await this.deps.mailer.enqueue({
      to: installer.email,
      template: 'passwordLink',
      language: installer.language,
      vars: { passwordUrl: passwordPageUrl(this.deps.publicUrl, token, installer.language), minutes: String(PASSWORD_LINK_TTL_MS / 60000), supportUrl: REGION_LINKS[installer.region].support[installer.language] },
    });
    return { kind: 'sent' };
  }

  /**
   * Support's "correct the email address": the registration moves to the new address (its record
   * keyed by it, the chats linked to it), and so does everything other layers filed under the old
   * id (their erasers' moves: stations, queued registry deliveries, course jobs and progress, the
   * local LMS, support tickets), so "export my data" and "delete my data" of the new id reach it all;
   * the LMS user gets the new address by a queued job, and the old address leads to the new id a
   * while (FormerAddresses: reports that still name it). The old address's links say "replaced"; what was queued for the old address (mails, notices)
   * is dropped, never sent: the address was wrong, and the links in those mails die now. An
   * installer not yet confirmed gets a confirmation at the new address. The chats follow (emailCorrected).
   */
  async correctEmail(installerId: string, typed: string): Promise<{ kind: 'corrected' | 'invalid' | 'taken' | 'missing' | 'unchanged'; installerId?: string }> {
    const parsed = parseEmail(typed);
    if (!parsed.ok) return { kind: 'invalid' };
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return { kind: 'missing' };
    if (parsed.id === installerId) {
      await this.deps.installers.update(installerId, (current) => ({ ...current, email: parsed.email }));
      return { kind: 'unchanged', installerId };
    }
    const moved: Installer = { ...installer, id: parsed.id, email: parsed.email, updatedAt: this.now().toISOString(), confirmationsSent: [] };
    if (!(await this.deps.installers.create(moved))) return { kind: 'taken' };
    const chats = await this.deps.references.linked(installerId);
    for (const reference of chats) await this.deps.references.link(parsed.id, reference);
    await this.replaceRegistration(installer, moved);
    if (moved.stage === 'registered') await this.sendConfirmation(moved);
    await this.deps.notifier.notify(parsed.id, { name: 'emailCorrected' });
    this.deps.logger.info({ chats: chats.length }, 'registration moved to a corrected address by support');
    return { kind: 'corrected', installerId: parsed.id };
  }

  /**
   * "Export my data": everything kept about the installer, as a JSON file mailed to their own
   * address (never shown in the chat). Password hashes are left out; that one is set is said.
   */
  async exportData(installerId: string): Promise<{ email: string } | undefined> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return undefined;
    const { passwordHash, passwordsTypedInChat, stationsLocalized: _folded, ...record } = installer;
    const stationsLocalized = (await this.deps.stations?.list(installerId)) ?? [];
    const chats = (await this.deps.references.linked(installerId)).map((r) => ({ channel: r.channelId, conversation: r.conversation?.id, user: r.user?.id }));
    const data = {
      exportedAt: this.now().toISOString(),
      registration: { ...record, passwordSet: passwordHash !== undefined, passwordsTypedInChat: passwordsTypedInChat?.length ?? 0, stationsLocalized },
      chats,
    };
    await this.deps.mailer.enqueue({
      to: installer.email,
      template: 'dataExport',
      language: installer.language,
      vars: { supportUrl: REGION_LINKS[installer.region].support[installer.language], faqUrl: REGION_LINKS[installer.region].faq },
      attachments: [{ filename: 'my-data.json', contentType: 'application/json', content: JSON.stringify(data, null, 2) }],
    });
    this.deps.logger.info('data export mailed on request');
    return { email: installer.email };
  }

  /**
   * "Delete my data": the installer record (email, region, password hash, progress), the links
   * to this installer's conversations and every outstanding link token.
   */
  async deleteInstaller(installerId: string): Promise<void> {
    const linked = await this.deps.references.linked(installerId);
    const chats = linked.map((r) => ({ channelId: r.channelId ?? '', conversationId: r.conversation?.id ?? '', userId: r.user?.id ?? '' }));
    // every linked chat: its bot state and web chat transcript (registered erasers)
    await this.deps.erasers.erase({ installerId, chats });
    await this.removeRegistration(installerId, 'forget');
    // a station localized during the erasure may have written after its eraser ran: the record is gone now, so this pass finds it
    await this.deps.erasers.eraseAfterRecordGone({ installerId, chats });
    this.deps.logger.info({ chats: chats.length }, 'installer data deleted on request');
  }

  /** A registration that may still be replaced by one for another address: only before it is confirmed. */
  private async replaceable(installerId: string): Promise<Installer | undefined> {
    const installer = await this.deps.installers.get(installerId);
    return installer && (installer.stage === 'new' || installer.stage === 'registered') ? installer : undefined;
  }

  /**
   * A registration replaced by one for the right address (the person's own correction, or
   * support's): what other layers filed under the old id moves to the new one (their erasers'
   * moves), then the old registration is removed, its links kept as "replaced", so no key or record
   * names the old address afterwards (but the LMS's queued change of address, until it has run: the
   * LMS user outside the store is found by it).
   */
  private async replaceRegistration(from: Installer, to: Installer): Promise<void> {
    const correction = { fromId: from.id, fromEmail: from.email, installer: to };
    await this.deps.erasers.move(correction);
    await this.removeRegistration(from.id, 'replace');
    // something filed under the old id in the same moment (a station localized): the old record is gone now, so this pass finds it
    await this.deps.erasers.moveAfterRecordGone(correction);
  }

  /**
   * Removes a registration and what hangs on it: the chats' open codes, the code log, the chat
   * links, notices and mails not sent yet (they hold the address and links that die now) and the record.
   * Its links are forgotten (deleted data) or kept as "replaced" (a corrected address) so an open
   * page can say so.
   */
  private async removeRegistration(installerId: string, links: 'forget' | 'replace'): Promise<void> {
    for (const reference of await this.deps.references.linked(installerId)) await this.deps.codes.forgetChat(accountKey(reference));
    await (links === 'forget' ? this.deps.tokens.forget(installerId) : this.deps.tokens.replace(installerId));
    await this.deps.codes.forgetAddress(installerId);
    await this.deps.references.forget(installerId);
    await this.deps.notifier.forget(installerId);
    const installer = await this.deps.installers.get(installerId);
    if (installer) {
      // the notices (a support ticket's: an agent's reply) that would fall back to an email there, then the mails queued there
      await this.deps.notifier.forgetMailsTo(installer.email);
      await this.deps.mailer.forget(installer.email);
    }
    await this.deps.installers.delete(installerId);
  }

  private resendLimit(installer: Installer): ResendResult | undefined {
    const since = this.now().getTime() - HOUR_MS;
    const recent = installer.confirmationsSent.map((t) => Date.parse(t)).filter((t) => t > since);
    // the first email is not a resend: allow 1 + RESENDS_PER_HOUR in the hour
    if (recent.length <= RESENDS_PER_HOUR) return undefined;
    const oldest = Math.min(...recent);
    return { kind: 'limited', minutes: Math.max(1, Math.ceil((oldest + HOUR_MS - this.now().getTime()) / 60000)) };
  }

  /** Issues a confirmation link (invalidating earlier ones) and queues the email. */
  private async sendConfirmation(installer: Installer): Promise<void> {
    const at = this.now().toISOString();
    const token = await this.deps.tokens.issue('confirm', installer.id, CONFIRM_LINK_TTL_MS);
    await this.deps.installers.update(installer.id, (current) => ({
      ...current,
      confirmationsSent: [...current.confirmationsSent.filter((t) => Date.parse(t) > Date.parse(at) - HOUR_MS), at],
    }));
    const links = REGION_LINKS[installer.region];
    await this.deps.mailer.enqueue({
      to: installer.email,
      template: 'confirmation',
      language: installer.language,
      vars: {
        confirmUrl: confirmUrl(this.deps.publicUrl, token),
        supportUrl: links.support[installer.language],
        faqUrl: links.faq,
      },
    });
  }
}
