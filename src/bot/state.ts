import {
  ConversationState,
  type StatePropertyAccessor,
  type Storage,
  type StoreItems,
  UserState,
} from 'botbuilder';
import type { DialogState } from './dialogs/dialogKit';
import type { Language } from '../domain/language';
import type { Offer } from './turnUnderstanding';

/** Per channel user (UserState). */
export interface UserProfile {
  language?: Language;
  /** true once the user chose the language themselves; then it wins over the channel locale. */
  languageExplicit?: boolean;
  /** The normalised email of the installer this channel account is linked to. */
  installerId?: string;
}

/**
 * Human support for this conversation. queue/agent: an agent owns it (the bot stays silent);
 * email: the installer was told support answers by email (or later here), the ticket is open and
 * the bot answers; answer: from email, the installer chose to answer support's message, and their
 * next message goes to the ticket (then email again).
 */
export interface Handoff {
  ticketId: string;
  number: number;
  mode: 'queue' | 'agent' | 'email' | 'answer';
  /** In email mode: who wrote support's last answer, which the installer may answer ("svar Kari"). */
  replyTo?: string;
  /** The registration moved to a corrected address meanwhile: the journey is routed again afterwards. */
  restart?: boolean;
}

/** Per conversation (ConversationState), besides the dialog stack. */
export interface ConversationData {
  welcomed?: boolean;
  /** The installer whose confirmed account this conversation has already celebrated. */
  confirmationAnnouncedFor?: string;
  /** When "delete my data" was asked for; "delete everything" must follow within DELETE_CONFIRM_MS. */
  deleteRequestedAt?: number;
  /** The "did you mean" buttons of the last reply: a tap on one acts on its guess. */
  offers?: Offer[];
  /** An open support ticket of this conversation. */
  handoff?: Handoff;
}

/** The one place that names the state properties. */
export const StateProperties = {
  userProfile: 'userProfile',
  conversationData: 'conversationData',
  dialogState: 'dialogState',
} as const;

export interface BotStates {
  conversationState: ConversationState;
  userState: UserState;
  userProfile: StatePropertyAccessor<UserProfile>;
  conversationData: StatePropertyAccessor<ConversationData>;
  dialogState: StatePropertyAccessor<DialogState>;
}

/**
 * BotState.saveChanges always writes eTag '*' (last writer wins). This wrapper puts back the
 * eTag that was read for the very same object, so a save from a turn that read stale state is
 * rejected with EtagConflictError (and the turn is retried) instead of overwriting newer state.
 */
export class ReadEtagStorage implements Storage {
  private readonly readEtags = new WeakMap<object, string>();

  constructor(private readonly inner: Storage) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items = await this.inner.read(keys);
    for (const item of Object.values(items)) {
      if (item && typeof item === 'object' && typeof item.eTag === 'string') this.readEtags.set(item, item.eTag);
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const prepared: StoreItems = {};
    for (const [key, item] of Object.entries(changes)) {
      const readEtag = item && typeof item === 'object' ? this.readEtags.get(item) : undefined;
      prepared[key] = { ...item, eTag: item?.eTag === '*' && readEtag ? readEtag : item?.eTag };
    }
    await this.inner.write(prepared);
    for (const [key, item] of Object.entries(changes)) {
      const written = prepared[key]?.eTag;
      if (item && typeof item === 'object' && typeof written === 'string') {
        this.readEtags.set(item, written);
        item.eTag = written;
      }
    }
  }

  delete(keys: string[]): Promise<void> {
    return this.inner.delete(keys);
  }
}

export function createBotStates(storage: Storage): BotStates {
  const tracked = new ReadEtagStorage(storage);
  const conversationState = new ConversationState(tracked);
  const userState = new UserState(tracked);
  return {
    conversationState,
    userState,
    userProfile: userState.createProperty<UserProfile>(StateProperties.userProfile),
    conversationData: conversationState.createProperty<ConversationData>(StateProperties.conversationData),
    dialogState: conversationState.createProperty<DialogState>(StateProperties.dialogState),
  };
}
