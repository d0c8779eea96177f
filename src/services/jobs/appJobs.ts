import type { NotifyJob } from '../notify/notifier';

/**
 * Every job type the app runs, and its payload (JSON: what the store can hold). Add a line here
 * for a new type (or augment it from your own module: `declare module '../jobs/appJobs' { interface AppJobs { … } }`).
 */
export interface AppJobs {
  /** A notify event for an installer: the proactive turn in every linked chat, else the fallback email. */
  notify: NotifyJob;
  /** Forgets the chats linked to a key once the notices queued before it are delivered (a closed support ticket's chat). */
  notifyForgetChats: { installerId: string };
}
