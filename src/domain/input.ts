/**
 * The longest chat message the assistant reads, in characters. Every answer it expects is far
 * shorter (an email address is at most 254, a pasted map link a few hundred); a longer message is
 * answered "too long" unread, so no parser ever sees more (Direct Line alone lets 20,000 through).
 */
export const MAX_MESSAGE_LENGTH = 2000;

/** Whether a message is longer than the assistant reads. */
export function isTooLong(text: string | undefined): boolean {
  return text !== undefined && text.length > MAX_MESSAGE_LENGTH;
}
