import type { Activity } from 'botbuilder';
import { type DocumentStore, isEtagConflict, updateDocument } from '../../services/store/documentStore';

/** One activity of the stream the client reads, numbered by the conversation's sequence. */
export interface StreamEntry {
  seq: number;
  activity: Partial<Activity>;
  /** The bot deleted the activity; the number stays taken. */
  removed?: boolean;
}

/** A local Direct Line conversation as stored at dl/conversation/<id> (its activities are stored one per key). */
export interface DirectLineConversation {
  id: string;
  userId: string;
  /** The page's locale (nb-NO / en-US), sent with the conversationUpdate so the welcome is in it. */
  locale?: string;
  createdAt: string;
  /** When its time to live was last extended (an active conversation is kept). */
  touchedAt?: string;
  /** Set once the client started the conversation (the bot has been told the members joined). */
  started: boolean;
}

export const MAX_KEPT_ACTIVITIES = 500;
/** A conversation nobody writes to for a week is forgotten. */
export const CONVERSATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** The conversation's time to live is extended at most this often (not at every activity). */
const TOUCH_EVERY_MS = 24 * 60 * 60 * 1000;
/** Activities read in parallel when a client catches up. */
const READ_BATCH = 20;

const keyOf = (id: string): string => `dl/conversation/${id}`;
const slotKey = (id: string, seq: number): string => `dl/activity/${id}/${seq}`;
const headKey = (id: string): string => `dl/head/${id}`;

/** Activity ids look like Azure's: <conversationId>|<sequence, 7 digits>. */
export function activityId(conversationId: string, seq: number): string {
  return `${conversationId}|${String(seq).padStart(7, '0')}`;
}

function seqOf(conversationId: string, id: string): number | undefined {
  const cut = id.lastIndexOf('|');
  if (cut < 0 || id.slice(0, cut) !== conversationId || !/^\d{1,15}$/.test(id.slice(cut + 1))) return undefined;
  return Number(id.slice(cut + 1));
}

/**
 * Whether `earlierId` names an activity of this conversation's stream that comes before `laterId`
 * (so a client reading the stream has seen it by the time it reads the later one).
 */
export function comesBefore(conversationId: string, earlierId: string | undefined, laterId: string): boolean {
  const earlier = earlierId === undefined ? undefined : seqOf(conversationId, earlierId);
  const later = seqOf(conversationId, laterId);
  return earlier !== undefined && later !== undefined && earlier < later;
}

/**
 * The conversations and their activity streams, on the DocumentStore (so a restart keeps them).
 * Appends never contend on one document: every activity is created under its own key
 * dl/activity/<id>/<seq>, and the sequence number is claimed by that create-if-absent (a writer
 * that finds its number taken tries the next one). So slots are gap-free from the start: a slot
 * is only tried after the one before it was seen taken. dl/head/<id> is a hint of the highest number
 * (only ever raised, written with the eTag read, never ahead of a created slot): writers start
 * there, and readers know that a missing slot at or below it was dropped, not yet to come.
 */
export class ConversationStore {
  constructor(
    private readonly store: DocumentStore,
    private readonly maxKept = MAX_KEPT_ACTIVITIES,
  ) {}

  /** Creates the conversation; false when the id is taken. */
  async create(conversation: { id: string; userId: string; locale?: string }): Promise<boolean> {
    const record: DirectLineConversation = { ...conversation, createdAt: new Date().toISOString(), started: false };
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
   * Appends an activity built for its id and timestamp under the next free sequence number; the
   * oldest beyond the cap are dropped. Undefined when the conversation does not exist.
   */
  async append(
    conversationId: string,
    build: (id: string, timestamp: string) => Partial<Activity>,
  ): Promise<Partial<Activity> | undefined> {
    const conversation = await this.get(conversationId);
    if (!conversation) return undefined;
    const head = await this.store.get<{ seq: number }>(headKey(conversationId));
    for (let seq = (head?.value.seq ?? 0) + 1; ; seq++) {
      const activity = build(activityId(conversationId, seq), new Date().toISOString());
      const entry: StreamEntry = { seq, activity };
      if ((await this.store.create(slotKey(conversationId, seq), entry, { ttlMs: CONVERSATION_TTL_MS })) === undefined) continue;
      await this.raiseHead(conversationId, seq, head?.etag);
      if (seq > this.maxKept) await this.store.delete(slotKey(conversationId, seq - this.maxKept));
      await this.touch(conversation);
      return activity;
    }
  }

  /** The activities after a watermark (at most about the last `maxKept`), and the new watermark (a string, as Direct Line sends it). */
  async since(conversationId: string, watermark: number): Promise<{ activities: Array<Partial<Activity>>; watermark: string }> {
    const head = (await this.store.get<{ seq: number }>(headKey(conversationId)))?.value.seq ?? 0;
    const activities: Array<Partial<Activity>> = [];
    let last = watermark;
    for (let from = Math.max(watermark + 1, head - this.maxKept + 1); ; ) {
      // up to the head slots were written (read them in parallel); past it, new ones come one by one
      const size = from > head ? 1 : Math.min(READ_BATCH, head - from + 2);
      const seqs = Array.from({ length: size }, (_, i) => from + i);
      const slots = await Promise.all(seqs.map((seq) => this.store.get<StreamEntry>(slotKey(conversationId, seq))));
      for (const [i, slot] of slots.entries()) {
        const seq = seqs[i]!;
        // a missing slot at or below the head was dropped (cap, expiry); above it, nothing more was written yet
        if (!slot && seq > head) return { activities, watermark: String(last) };
        last = seq;
        if (slot && !slot.value.removed) activities.push(slot.value.activity);
      }
      from += size;
    }
  }

  /** Replaces an activity's content in place (the bot updating a message); false when not found. */
  async replace(conversationId: string, id: string, build: (existing: Partial<Activity>) => Partial<Activity>): Promise<boolean> {
    const seq = seqOf(conversationId, id);
    if (seq === undefined) return false;
    let found = false;
    await updateDocument<StreamEntry>(
      this.store,
      slotKey(conversationId, seq),
      (current) => {
        found = !!current && !current.removed;
        return current && found ? { ...current, activity: build(current.activity) } : undefined;
      },
      { ttlMs: CONVERSATION_TTL_MS },
    );
    return found;
  }

  async remove(conversationId: string, id: string): Promise<boolean> {
    const seq = seqOf(conversationId, id);
    if (seq === undefined) return false;
    let found = false;
    await updateDocument<StreamEntry>(
      this.store,
      slotKey(conversationId, seq),
      (current) => {
        found = !!current && !current.removed;
        return current && found ? { seq: current.seq, activity: { id: current.activity.id }, removed: true } : undefined;
      },
      { ttlMs: CONVERSATION_TTL_MS },
    );
    return found;
  }

  /** Raises the head hint to `seq` unless someone changed it since it was read (then theirs stands; a later append corrects it). */
  private async raiseHead(conversationId: string, seq: number, readEtag: string | undefined): Promise<void> {
    try {
      if (readEtag) await this.store.put(headKey(conversationId), { seq }, { etag: readEtag, ttlMs: CONVERSATION_TTL_MS });
      else await this.store.create(headKey(conversationId), { seq }, { ttlMs: CONVERSATION_TTL_MS });
    } catch (error) {
      if (!isEtagConflict(error)) throw error;
    }
  }

  /** Deletes a conversation and its whole history ("delete my data"). */
  async forget(conversationId: string): Promise<void> {
    const head = (await this.store.get<{ seq: number }>(headKey(conversationId)))?.value.seq ?? 0;
    for (let seq = Math.max(1, head - this.maxKept + 1); seq <= head; seq++) await this.store.delete(slotKey(conversationId, seq));
    await this.store.delete(headKey(conversationId));
    await this.store.delete(keyOf(conversationId));
  }

  /** Extends the conversation's time to live while it is in use. */
  private async touch(conversation: DirectLineConversation): Promise<void> {
    if (Date.now() - Date.parse(conversation.touchedAt ?? conversation.createdAt) < TOUCH_EVERY_MS) return;
    await updateDocument<DirectLineConversation>(
      this.store,
      keyOf(conversation.id),
      (current) => (current ? { ...current, touchedAt: new Date().toISOString() } : undefined),
      { ttlMs: CONVERSATION_TTL_MS },
    );
  }
}
