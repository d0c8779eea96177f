import type { Activity, Attachment, ChannelAccount } from 'botbuilder';
import { z } from 'zod';

export const CHANNEL_ID = 'webchat';
export const BOT_ACCOUNT: ChannelAccount = { id: 'onboarding-bot', name: 'ChargePoint installer assistant', role: 'bot' };
/** Where uploaded files are served; stored activities keep this path, made absolute per reader. */
export const ATTACHMENT_PATH = '/v3/directline/attachments/';
/** Direct Line refuses activities bigger than this. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

export function userAccount(userId: string, name?: string): ChannelAccount {
  return { id: userId, name: name ?? '', role: 'user' };
}

const attachmentSchema = z.object({
  contentType: z.string().min(1).max(200),
  contentUrl: z.string().max(MAX_ACTIVITY_BYTES).optional(),
  content: z.unknown().optional(),
  name: z.string().max(300).optional(),
  thumbnailUrl: z.string().max(MAX_ACTIVITY_BYTES).optional(),
});

/** What a client may send: the fields Web Chat uses; the channel fills in ids, accounts and times. */
export const clientActivitySchema = z.object({
  type: z.enum(['message', 'event', 'typing']),
  text: z.string().max(20_000).optional(),
  textFormat: z.enum(['plain', 'markdown', 'xml']).optional(),
  locale: z.string().max(35).optional(),
  localTimestamp: z.string().max(40).optional(),
  localTimezone: z.string().max(100).optional(),
  name: z.string().max(200).optional(),
  value: z.unknown().optional(),
  replyToId: z.string().max(200).optional(),
  channelData: z.record(z.string(), z.unknown()).optional(),
  entities: z.array(z.looseObject({ type: z.string().max(100) })).max(20).optional(),
  attachments: z.array(attachmentSchema).max(20).optional(),
  from: z.object({ id: z.string().max(200).optional(), name: z.string().max(200).optional() }).optional(),
});
export type ClientActivity = z.infer<typeof clientActivitySchema>;

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The user's activity as the stream shows it (and the bot gets it, plus serviceUrl): the
 * client's content with the channel's id, time, accounts and conversation. channelData
 * (with clientActivityID, which Web Chat matches its pending message by) is kept as sent.
 */
export function userActivity(
  client: ClientActivity,
  ids: { conversationId: string; userId: string; id: string; timestamp: string; locale?: string },
  attachments?: Attachment[],
): Partial<Activity> {
  const { from, localTimestamp, ...content } = client;
  return definedOnly<Partial<Activity>>({
    ...content,
    // On the wire this is the client's ISO time with its UTC offset; kept as sent (a Date would lose the offset).
    localTimestamp: localTimestamp as unknown as Date | undefined,
    locale: client.locale ?? ids.locale,
    attachments: attachments ?? client.attachments,
    id: ids.id,
    timestamp: new Date(ids.timestamp),
    channelId: CHANNEL_ID,
    conversation: { id: ids.conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: userAccount(ids.userId, from?.name),
    recipient: BOT_ACCOUNT,
  });
}

/** The bot's activity as the stream shows it: the channel decides the id, time and accounts. */
export function botActivity(
  sent: Partial<Activity>,
  ids: { conversationId: string; userId: string; id: string; timestamp: string },
): Partial<Activity> {
  const { serviceUrl: _serviceUrl, ...content } = sent;
  return {
    ...content,
    id: ids.id,
    timestamp: new Date(ids.timestamp),
    channelId: CHANNEL_ID,
    conversation: { id: ids.conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: BOT_ACCOUNT,
    recipient: userAccount(ids.userId),
  };
}

const isLocalPath = (url: string | undefined): url is string => url?.startsWith(ATTACHMENT_PATH) ?? false;

/** The same activity with this server's attachment paths turned into URLs under `base`. */
export function withAttachmentBase(activity: Partial<Activity>, base: string): Partial<Activity> {
  if (!activity.attachments?.some((a) => isLocalPath(a.contentUrl) || isLocalPath(a.thumbnailUrl))) return activity;
  return {
    ...activity,
    attachments: activity.attachments.map((a) => ({
      ...a,
      ...(isLocalPath(a.contentUrl) ? { contentUrl: base + a.contentUrl } : {}),
      ...(isLocalPath(a.thumbnailUrl) ? { thumbnailUrl: base + a.thumbnailUrl } : {}),
    })),
  };
}

/** A conversationUpdate announcing members, as Azure Direct Line sends when a conversation starts. */
export function membersAdded(
  ids: { conversationId: string; userId: string; locale?: string; id: string },
  member: ChannelAccount,
): Partial<Activity> {
  return definedOnly<Partial<Activity>>({
    type: 'conversationUpdate',
    id: ids.id,
    timestamp: new Date(),
    channelId: CHANNEL_ID,
    locale: ids.locale,
    conversation: { id: ids.conversationId, isGroup: false, conversationType: 'personal', name: '' },
    from: userAccount(ids.userId),
    recipient: BOT_ACCOUNT,
    membersAdded: [member],
  });
}
