import type { Attachment } from 'botbuilder';

/**
 * Files the in-process web chat's upload route saved have been counted against `uploads` there,
 * one count per file; the turn must not count them again. The route marks them on the activity it
 * hands to the bot, under a symbol, like the client address: a client's JSON (Teams, Azure Direct
 * Line, the web chat's own activity route) cannot name a symbol, so an attachment that merely
 * points at an upload URL is never taken for one, and the mark is never serialized.
 */
const COUNTED_ON_ARRIVAL = Symbol('uploadsCountedOnArrival');

type Marked = { [COUNTED_ON_ARRIVAL]?: true };

/** The same activity, each of its attachments marked as counted by the upload route. */
export function withUploadsCountedOnArrival<T extends { attachments?: Attachment[] }>(activity: T): T {
  for (const attachment of activity.attachments ?? []) (attachment as Attachment & Marked)[COUNTED_ON_ARRIVAL] = true;
  return activity;
}

/** Whether the upload route counted this attachment when it arrived (false for every other channel or path). */
export function uploadCountedOnArrival(attachment: object): boolean {
  return (attachment as Marked)[COUNTED_ON_ARRIVAL] === true;
}
