import type { Activity, Attachment } from 'botbuilder';

/** The photos a message carries (its image attachments). */
export function photosOf(activity: Partial<Activity>): Attachment[] {
  return (activity.attachments ?? []).filter((a) => a.contentType?.startsWith('image/'));
}
