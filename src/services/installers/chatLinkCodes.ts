import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Language } from '../../domain/language';
import { LINK_CODE_DIGITS, LINK_CODE_TRIES, LINK_CODE_TTL_MS, LINK_CODES_PER_ADDRESS_PER_HOUR } from '../../domain/oneTimeCode';
import { addressKey } from '../limits/clientAddress';
import type { Limits } from '../limits/limits';
import type { Mailer } from '../mail/mailer';
import type { DocumentStore } from '../store/documentStore';
import { updateDocument } from '../store/documentStore';

const HOUR_MS = 60 * 60 * 1000;

/** The code a chat is waiting for: only its salted hash is stored, never the code. */
interface PendingCode {
  id: string;
  email: string;
  salt: string;
  hash: string;
  expiresAt: number;
  triesLeft: number;
}

interface SentLog {
  sent: number[];
}

export const chatLinkCodeKeys = {
  pending: (chatAccount: string) => `link-code/${chatAccount}`,
  sentTo: (installerId: string) => `link-code-sent/${installerId}`,
};

/**
 * `limited`: enough codes went to that address this hour; `askedTooOften`: this chat account (or
 * its client address) has asked for too many codes, whatever the address.
 */
export type IssueCodeResult = { kind: 'sent' } | { kind: 'limited'; minutes: number } | { kind: 'askedTooOften'; retryAfterSeconds: number };
export type VerifyCodeResult =
  | { kind: 'ok'; id: string; email: string }
  | { kind: 'wrong'; triesLeft: number }
  | { kind: 'locked' }
  | { kind: 'expired' };

export interface ChatLinkCodeDeps {
  store: DocumentStore;
  mailer: Mailer;
  /** Shared rate limits: code mails per asking chat account ('sendLink') and client address ('sendLinkPerAddress'). */
  limits?: Limits;
  now?: () => number;
}

/**
 * One-time codes that prove the person in a chat reads a mailbox. A chat asks for a code for an
 * address; the code is emailed there and typed into the same chat. Each chat has its own code,
 * so a stranger's request neither replaces the owner's code nor touches the owner's links.
 */
export class ChatLinkCodes {
  private readonly now: () => number;

  constructor(private readonly deps: ChatLinkCodeDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Emails a new code for `target` to the chat account `chatAccount` (its earlier code stops working).
   * `clientAddress`: where the asking web chat's request came from (none for Teams and Azure).
   */
  async issue(
    chatAccount: string,
    target: { id: string; email: string },
    mail: { language: Language; channel: string; supportUrl: string },
    clientAddress?: string,
  ): Promise<IssueCodeResult> {
    const asked = await this.deps.limits?.takeAll([
      { name: 'sendLink', key: chatAccount },
      ...(clientAddress === undefined ? [] : [{ name: 'sendLinkPerAddress' as const, key: addressKey(clientAddress) }]),
    ]);
    if (asked && !asked.allowed) return { kind: 'askedTooOften', retryAfterSeconds: asked.retryAfterSeconds };
    const now = this.now();
    let limited: IssueCodeResult | undefined;
    await updateDocument<SentLog>(this.deps.store, chatLinkCodeKeys.sentTo(target.id), (current) => {
      const recent = (current?.sent ?? []).filter((t) => t > now - HOUR_MS);
      if (recent.length >= LINK_CODES_PER_ADDRESS_PER_HOUR) {
        limited = { kind: 'limited', minutes: Math.max(1, Math.ceil((Math.min(...recent) + HOUR_MS - now) / 60000)) };
        return undefined;
      }
      limited = undefined;
      return { sent: [...recent, now] };
    }, { ttlMs: HOUR_MS });
    if (limited) return limited;

    const code = String(randomInt(0, 10 ** LINK_CODE_DIGITS)).padStart(LINK_CODE_DIGITS, '0');
    const salt = randomBytes(16).toString('base64url');
    const pending: PendingCode = {
      id: target.id,
      email: target.email,
      salt,
      hash: hashCode(code, salt),
      expiresAt: now + LINK_CODE_TTL_MS,
      triesLeft: LINK_CODE_TRIES,
    };
    await this.deps.store.put(chatLinkCodeKeys.pending(chatAccount), pending, { ttlMs: LINK_CODE_TTL_MS });
    await this.deps.mailer.enqueue({
      to: target.email,
      template: 'linkCode',
      language: mail.language,
      vars: { code, channel: mail.channel, minutes: String(LINK_CODE_TTL_MS / 60000), supportUrl: mail.supportUrl },
    });
    return { kind: 'sent' };
  }

  /** Checks a code typed in the chat; a right one is used up, five wrong ones lock the code. */
  async verify(chatAccount: string, code: string): Promise<VerifyCodeResult> {
    const outcome: { result: VerifyCodeResult } = { result: { kind: 'expired' } };
    const key = chatLinkCodeKeys.pending(chatAccount);
    await updateDocument<PendingCode>(this.deps.store, key, (current) => {
      if (!current || current.expiresAt <= this.now()) {
        outcome.result = { kind: 'expired' };
        return undefined;
      }
      if (current.triesLeft <= 0) {
        outcome.result = { kind: 'locked' };
        return undefined;
      }
      if (sameHash(hashCode(code, current.salt), current.hash)) {
        outcome.result = { kind: 'ok', id: current.id, email: current.email };
        return { ...current, triesLeft: 0, hash: '' };
      }
      const triesLeft = current.triesLeft - 1;
      outcome.result = triesLeft > 0 ? { kind: 'wrong', triesLeft } : { kind: 'locked' };
      return { ...current, triesLeft };
    }, { ttlMs: LINK_CODE_TTL_MS });
    if (outcome.result.kind === 'ok') await this.deps.store.delete(key);
    return outcome.result;
  }

  /** The address a chat's open code was sent to, if any (to show it again). */
  async pendingFor(chatAccount: string): Promise<{ id: string; email: string } | undefined> {
    const pending = (await this.deps.store.get<PendingCode>(chatLinkCodeKeys.pending(chatAccount)))?.value;
    return pending && pending.expiresAt > this.now() ? { id: pending.id, email: pending.email } : undefined;
  }

  async forgetChat(chatAccount: string): Promise<void> {
    await this.deps.store.delete(chatLinkCodeKeys.pending(chatAccount));
  }

  async forgetAddress(installerId: string): Promise<void> {
    await this.deps.store.delete(chatLinkCodeKeys.sentTo(installerId));
  }
}

function hashCode(code: string, salt: string): string {
  return createHmac('sha256', salt).update(code).digest('base64url');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
