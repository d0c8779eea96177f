import type { Activity } from 'botbuilder';
import { updateDocument, type DocumentStore } from '../../services/store/documentStore';

/** One activity of the stream the client reads, numbered by the conversation's sequence. */
export interface StreamEntry {
  seq: number;
  activity: Partial<Activity>;
}

/** A local Direct Line conversation as stored at dl/conversation/<id>. */
export interface DirectLineConversation {
  id: string;
  userId: string;
  /** The page's locale (nb-NO / en-US), sent with the conversationUpdate so the welcome is in it. */
  locale?: string;
  createdAt: string;
  /** Set once the client started the conversation (the bot has been told the members joined). */
  started: boolean;
  /** The last sequence number given; also the stream's watermark. */
  sequence: number;
  entries: StreamEntry[];
}

export const MAX_KEPT_ACTIVITIES = 500;
/** A conversation nobody writes to for a week is forgotten. */
export const CONVERSATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const keyOf = (id: string): string => `dl/conversation/${id}`;

/** Activity ids look like Azure's: <conversationId>|<sequence, 7 digits>. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

/** The conversations and their activity streams, on the DocumentStore (so a restart keeps them). */
export class ConversationStore {
  constructor(
    private readonly store: DocumentStore,
    private readonly maxKept = MAX_KEPT_ACTIVITIES,
  ) {}

  /** Creates the conversation; false when the id is taken. */
  async create(conversation: { id: string; userId: string; locale?: string }): Promise<boolean> {
    const record: DirectLineConversation = { ...conversation, createdAt: new Date().toISOString(), started: false, sequence: 0, entries: [] };
    return (await this.store.create(keyOf(conversation.id), record, { ttlMs: CONVERSATION_TTL_MS })) !== undefined;
  }

  async get(id: string): Promise<DirectLineConversation | undefined> {
    return (await this.store.get<DirectLineConversation>(keyOf(id)))?.value;
  }

  /** Marks the conversation started; true only for the one caller that did it (the others see it started). */
  async start(id: string): Promise<boolean> {
    let startedNow = false;
    await updateDocument<DirectLineConversation>(
      this.store,
      keyOf(id),
      (current) => {
        startedNow = false;
        if (!current || current.started) return undefined;
        startedNow = true;
        return { ...current, started: true };
      },
      { ttlMs: CONVERSATION_TTL_MS },
    );
    return startedNow;
  }

  /**
   * Appends an activity built for its id and timestamp (atomically, retried on a concurrent
   * write); the oldest are dropped beyond the cap. Undefined when the conversation does not exist.
   */
  async append(
    conversationId: string,
    build: (id: string, timestamp: string) => Partial<Activity>,
  ): Promise<Partial<Activity> | undefined> {
    let appended: Partial<Activity> | undefined;
    await updateDocument<DirectLineConversation>(
      this.store,
      keyOf(conversationId),
      (current) => {
        appended = undefined;
        if (!current) return undefined;
        const seq = current.sequence + 1;
        appended = build(activityId(conversationId, seq), new Date().toISOString());
        const entries = [...current.entries, { seq, activity: appended }].slice(-this.maxKept);
        return { ...current, sequence: seq, entries };
      },
      { ttlMs: CONVERSATION_TTL_MS },
    );
    return appended;
  }

  /** Replaces an activity's content in place (the bot updating a message); false when not found. */
  async replace(conversationId: string, id: string, build: (existing: Partial<Activity>) => Partial<Activity>): Promise<boolean> {
    let found = false;
    await updateDocument<DirectLineConversation>(
      this.store,
      keyOf(conversationId),
      (current) => {
        found = false;
        const index = current?.entries.findIndex((e) => e.activity.id === id) ?? -1;
        const entry = current?.entries[index];
        if (!current || !entry) return undefined;
        found = true;
        const entries = [...current.entries];
        entries[index] = { seq: entry.seq, activity: build(entry.activity) };
        return { ...current, entries };
      },
      { ttlMs: CONVERSATION_TTL_MS },
    );
    return found;
  }

  async remove(conversationId: string, id: string): Promise<boolean> {
    let found = false;
    await updateDocument<DirectLineConversation>(
      this.store,
      keyOf(conversationId),
      (current) => {
        found = current?.entries.some((e) => e.activity.id === id) ?? false;
        if (!current || !found) return undefined;
        return { ...current, entries: current.entries.filter((e) => e.activity.id !== id) };
      },
      { ttlMs: CONVERSATION_TTL_MS },
    );
    return found;
  }
}

/** The activities after a watermark, and the new watermark (a string, as Direct Line sends it). */
export function activitiesSince(conversation: DirectLineConversation, watermark: number): { activities: Array<Partial<Activity>>; watermark: string } {
  return {
    activities: conversation.entries.filter((e) => e.seq > watermark).map((e) => e.activity),
    watermark: String(conversation.sequence),
  };
}
