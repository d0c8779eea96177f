import { randomBytes } from 'node:crypto';
import type { Activity, Attachment } from 'botbuilder';
import { languageFromLocale, localeOf } from '../../domain/language';
import { BOT_ACCOUNT, botActivity, membersAdded, userAccount, userActivity, withAttachmentBase, type ClientActivity } from './activities';
import type { BotRelay } from './botRelay';
import { waitAtMost } from './botRelay';
import { comesBefore, type ConversationStore, type DirectLineConversation } from './conversationStore';
import { newConversationId, newUserId, type DirectLineClaims, type DirectLineTokens } from './directLineTokens';

/**
 * The bot's activity with its replyToId only when that names an earlier activity of the stream.
 * Web Chat holds an activity back (about 5 s) while it waits for the one it replies to; the
 * welcome replies to the join event and a proactive turn to its own continuation event, which
 * no client ever reads, so those ids are dropped.
 */
function withSeenReplyTo(sent: Partial<Activity>, conversationId: string, id: string): Partial<Activity> {
  if (sent.replyToId === undefined || comesBefore(conversationId, sent.replyToId, id)) return sent;
  const { replyToId: _unseen, ...rest } = sent;
  return rest;
}

/** How long a client's POST waits for the bot's turn before answering anyway (the turn goes on). */
const WAIT_FOR_BOT_MS = 10_000;

/** A token and what it grants, in Direct Line's response shape. */
export interface ConversationGrant {
  conversationId: string;
  token: string;
  expires_in: number;
}

/**
 * What the page's token route hands out: a Direct Line token, and a resume grant the page keeps
 * on the device so a later visit (a new tab, the other language, tomorrow) continues the same
 * conversation. `resumed` says the conversation is an existing one (the page reconnects to it).
 */
export interface PageGrant extends ConversationGrant {
  resume: string;
  resumed: boolean;
}

/**
 * The local Direct Line itself: conversations, the user → bot relay and the bot → stream path.
 * The routes only authenticate and translate HTTP.
 */
export class DirectLineChannel {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly tokens: DirectLineTokens,
    private readonly relay: BotRelay,
    /** Signs resume grants (their own key; they live as long as an unused conversation is kept). */
    private readonly resumeGrants: DirectLineTokens,
  ) {}

  /** A new conversation (not started yet) and a token for it; the page's back end calls this. */
  async reserveConversation(pageLocale: string | undefined): Promise<PageGrant & { userId: string }> {
    const language = languageFromLocale(pageLocale);
    for (;;) {
      const conversationId = newConversationId();
      const userId = newUserId();
      if (await this.conversations.create({ id: conversationId, userId, locale: language ? localeOf(language) : undefined })) {
        return { ...this.pageGrant({ conv: conversationId, user: userId }, false), userId };
      }
    }
  }

  /**
   * A fresh token for the conversation a resume grant names, if it still exists and is that
   * user's; undefined otherwise (expired, forged, forgotten by "delete my data" or by age).
   */
  async resume(resumeGrant: string | undefined): Promise<PageGrant | undefined> {
    if (!resumeGrant) return undefined;
    const check = this.resumeGrants.verify(resumeGrant);
    if (!check.ok) return undefined;
    const conversation = await this.conversations.get(check.claims.conv);
    if (!conversation || conversation.userId !== check.claims.user) return undefined;
    return this.pageGrant(check.claims, true);
  }

  private pageGrant(claims: Pick<DirectLineClaims, 'conv' | 'user'>, resumed: boolean): PageGrant {
    return { ...this.grant(claims), resume: this.resumeGrants.issue({ conv: claims.conv, user: claims.user }).token, resumed };
  }

  grant(claims: Pick<DirectLineClaims, 'conv' | 'user'>): ConversationGrant {
    const { token, expiresIn } = this.tokens.issue({ conv: claims.conv, user: claims.user });
    return { conversationId: claims.conv, token, expires_in: expiresIn };
  }

  get(conversationId: string): Promise<DirectLineConversation | undefined> {
    return this.conversations.get(conversationId);
  }

  /** The stream after a watermark (the conversation must exist). */
  since(conversationId: string, watermark: number): Promise<{ activities: Array<Partial<Activity>>; watermark: string }> {
    return this.conversations.since(conversationId, watermark);
  }

  /**
   * Starts the token's conversation: the first call tells the bot the bot and the user joined
   * (two conversationUpdates, like Azure); later calls (reconnects) only hand out a fresh token.
   */
  async start(claims: DirectLineClaims): Promise<{ grant: ConversationGrant; created: boolean }> {
    let conversation = await this.conversations.get(claims.conv);
    if (!conversation) {
      await this.conversations.create({ id: claims.conv, userId: claims.user });
      conversation = await this.conversations.get(claims.conv);
    }
    const created = await this.conversations.start(claims.conv);
    if (created) {
      const ids = { conversationId: claims.conv, userId: claims.user, locale: conversation?.locale };
      void this.relay.deliver([
        membersAdded({ ...ids, id: `${claims.conv}|join-bot` }, BOT_ACCOUNT),
        membersAdded({ ...ids, id: `${claims.conv}|join-user` }, userAccount(claims.user)),
      ]);
    }
    return { grant: this.grant(claims), created };
  }

  /**
   * The user's activity: echoed into the stream (with its clientActivityID) and handed to the bot,
   * with the client address the request came from (never stored with the activity).
   * `attachments`: only the upload route gives them (the files it saved and counted against
   * `uploads`); the bot is told they were counted. Typing is relayed only. Undefined when the
   * conversation does not exist.
   */
  async fromUser(claims: DirectLineClaims, client: ClientActivity, from: { clientAddress: string; attachments?: Attachment[] }): Promise<string | undefined> {
    const { attachments, clientAddress } = from;
    const conversation = await this.conversations.get(claims.conv);
    if (!conversation) return undefined;
    const ids = { conversationId: claims.conv, userId: claims.user, locale: conversation.locale };
    let activity: Partial<Activity> | undefined;
    if (client.type === 'typing') {
      activity = userActivity(client, { ...ids, id: `${claims.conv}|typing-${randomBytes(6).toString('hex')}`, timestamp: new Date().toISOString() });
    } else {
      activity = await this.conversations.append(claims.conv, (id, timestamp) => userActivity(client, { ...ids, id, timestamp }, attachments));
      if (!activity?.id) return undefined;
    }
    const delivery = this.relay.deliver([withAttachmentBase(activity, this.relay.localBase())], { clientAddress, uploadsCounted: attachments !== undefined });
    await waitAtMost(delivery, WAIT_FOR_BOT_MS);
    return activity.id;
  }

  /** A bot's reply or proactive message into the stream; undefined when the conversation does not exist. */
  async fromBot(conversationId: string, sent: Partial<Activity>): Promise<string | undefined> {
    const conversation = await this.conversations.get(conversationId);
    if (!conversation) return undefined;
    const stored = await this.conversations.append(conversationId, (id, timestamp) =>
      botActivity(withSeenReplyTo(sent, conversationId, id), { conversationId, userId: conversation.userId, id, timestamp }),
    );
    return stored?.id;
  }

  /** The bot updating one of its activities (kept in place; a client past it does not see the change). */
  async updateFromBot(conversationId: string, activityId: string, sent: Partial<Activity>): Promise<boolean> {
    const conversation = await this.conversations.get(conversationId);
    if (!conversation) return false;
    return this.conversations.replace(conversationId, activityId, (existing) => ({
      ...botActivity(withSeenReplyTo(sent, conversationId, activityId), { conversationId, userId: conversation.userId, id: activityId, timestamp: new Date().toISOString() }),
      timestamp: existing.timestamp,
    }));
  }

  async deleteFromBot(conversationId: string, activityId: string): Promise<boolean> {
    return this.conversations.remove(conversationId, activityId);
  }
}
