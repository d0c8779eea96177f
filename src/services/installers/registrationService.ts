import type { ConversationReference } from 'botbuilder';
import type { Installer } from '../../domain/installer';
import { hasReached, REGION_LINKS, type Region } from '../../domain/journey';
import { confirmUrl, passwordPageUrl } from '../../domain/links';
import type { Language } from '../../domain/language';
import type { Logger } from '../../logger';
import { type Limits, RateLimitedError } from '../limits/limits';
import type { Mailer } from '../mail/mailer';
import type { ConversationReferences } from '../notify/conversationReferences';
import type { Notifier } from '../notify/notifier';
import { CONFIRM_LINK_TTL_MS, type LinkTokens, PASSWORD_LINK_TTL_MS } from '../tokens/linkTokens';
import type { AccountActions } from './accountActions';
import type { ChatLinkCodes } from './chatLinkCodes';
import type { PersonalDataErasers } from '../privacy/personalDataErasers';
import { accountKey } from '../notify/conversationReferences';
import type { InstallerRepository } from './installerRepository';
import { hashPassword, verifyPassword } from './passwordHasher';

export const RESENDS_PER_HOUR = 3;
const HOUR_MS = 60 * 60 * 1000;

export type StartResult = { kind: 'created'; installer: Installer } | { kind: 'linked'; installer: Installer };

export type ResendResult = { kind: 'sent' } | { kind: 'limited'; minutes: number } | { kind: 'not_needed' };

export interface RegistrationDeps {
  installers: InstallerRepository;
  tokens: LinkTokens;
  mailer: Mailer;
  references: ConversationReferences;
  notifier: Notifier;
  codes: ChatLinkCodes;
  erasers: PersonalDataErasers;
  publicUrl: string;
  logger: Logger;
  /** Registrations and "send link" per asking user; absent → unlimited. */
  limits?: Limits;
  now?: () => Date;
}

/** Who is asking, for the per-user limits: the channel account of the conversation. */
function askerOf(reference: Partial<ConversationReference>): string {
  return `${reference.channelId ?? ''}:${reference.user?.id ?? reference.conversation?.id ?? ''}`;
}

/** Registration and email confirmation: creates the registration, sends the emails, continues the chat. */
export class RegistrationService implements AccountActions {
  private readonly now: () => Date;

  constructor(private readonly deps: RegistrationDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * Starts a registration for an address the person in this conversation has proved is theirs
   * (the one-time code from the email). An address already registered is not created again: the
   * conversation is linked to that registration and carries on where it was.
   *
   * `replacing`: the registration of this chat whose address was wrong (not confirmed yet). It is
   * replaced: a new address takes over its region, language and password, and the old one leaves
   * nothing behind (record, chat links, open links and codes).
   */
  async start(
    input: { id: string; email: string; region: Region; language: Language },
    reference: Partial<ConversationReference>,
    replacing?: string,
  ): Promise<StartResult> {
    const limited = await this.deps.limits?.take('registrations', askerOf(reference));
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
      stationsLocalized: [],
      ...(replaced?.passwordHash ? { passwordHash: replaced.passwordHash, passwordSetAt: replaced.passwordSetAt } : {}),
      ...(replaced?.passwordsTypedInChat ? { passwordsTypedInChat: replaced.passwordsTypedInChat } : {}),
    };
    const created = await this.deps.installers.create(installer);
    const current = created ? installer : await this.deps.installers.get(input.id);
    if (!current) throw new Error('start: the registration vanished while it was being linked');
    if (replaced) await this.removeRegistration(replaced.id, 'replace');
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

  async setPassword(installerId: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password);
    const at = this.now().toISOString();
    const updated = await this.deps.installers.update(installerId, (current) => ({
      ...current,
      passwordHash,
      passwordSetAt: at,
      stage: current.stage === 'new' ? 'registered' : current.stage,
    }));
    if (!updated) throw new Error('setPassword: no such installer');
    if (updated.stage === 'registered') await this.sendConfirmation(updated);
    await this.deps.notifier.notify(installerId, 'passwordSet');
  }

  async confirmEmail(installerId: string): Promise<void> {
    const at = this.now().toISOString();
    const updated = await this.deps.installers.update(installerId, (current) =>
      current.stage === 'registered' || current.stage === 'new'
        ? { ...current, stage: current.passwordHash ? 'confirmed' : current.stage, confirmedAt: at }
        : current,
    );
    if (!updated) throw new Error('confirmEmail: no such installer');
    await this.deps.notifier.notify(installerId, 'emailConfirmed', {
      to: updated.email,
      template: 'accountConfirmed',
      language: updated.language,
      vars: { chatUrl: this.deps.publicUrl + '/', supportUrl: REGION_LINKS[updated.region].support[updated.language], faqUrl: REGION_LINKS[updated.region].faq },
    });
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

  /**
   * "Export my data": everything kept about the installer, as a JSON file mailed to their own
   * address (never shown in the chat). Password hashes are left out; that one is set is said.
   */
  async exportData(installerId: string): Promise<{ email: string } | undefined> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return undefined;
    const { passwordHash, passwordsTypedInChat, ...record } = installer;
    const chats = (await this.deps.references.linked(installerId)).map((r) => ({ channel: r.channelId, conversation: r.conversation?.id, user: r.user?.id }));
    const data = {
      exportedAt: this.now().toISOString(),
      registration: { ...record, passwordSet: passwordHash !== undefined, passwordsTypedInChat: passwordsTypedInChat?.length ?? 0 },
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
    this.deps.logger.info({ chats: chats.length }, 'installer data deleted on request');
  }

  /** A registration that may still be replaced by one for another address: only before it is confirmed. */
  private async replaceable(installerId: string): Promise<Installer | undefined> {
    const installer = await this.deps.installers.get(installerId);
    return installer && (installer.stage === 'new' || installer.stage === 'registered') ? installer : undefined;
  }

  /**
   * Removes a replaced registration: its links say "replaced", its open codes and chat links go,
   * and no key or record names the old address afterwards.
   */
  /**
   * Removes a registration and what hangs on it: the chats' open codes, the code log, the chat
   * links, mails not sent yet (they hold the address and links that die now) and the record.
   * Its links are forgotten (deleted data) or kept as "replaced" (a corrected address) so an open
   * page can say so.
   */
  private async removeRegistration(installerId: string, links: 'forget' | 'replace'): Promise<void> {
    for (const reference of await this.deps.references.linked(installerId)) await this.deps.codes.forgetChat(accountKey(reference));
    await (links === 'forget' ? this.deps.tokens.forget(installerId) : this.deps.tokens.replace(installerId));
    await this.deps.codes.forgetAddress(installerId);
    await this.deps.references.forget(installerId);
    const installer = await this.deps.installers.get(installerId);
    if (installer) await this.deps.mailer.forget(installer.email);
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
