/** The code an installer types into a chat to show they read the mailbox (a new chat links to a registration only so). */
export const LINK_CODE_DIGITS = 6;
export const LINK_CODE_TTL_MS = 10 * 60 * 1000;
export const LINK_CODE_TRIES = 5;
/** Codes emailed to one address in an hour, whichever chats asked (protects the owner's inbox). */
export const LINK_CODES_PER_ADDRESS_PER_HOUR = 5;

/** Longer messages are not a code typed by hand; they are not scanned at all. */
const MAX_CODE_MESSAGE = 200;

/**
 * The code in a message, however it was typed: "123456", "123 456", "123-456", "koden er 123456".
 * Undefined unless the message holds exactly LINK_CODE_DIGITS digits.
 */
export function parseLinkCode(text: string | undefined): string | undefined {
  if (!text || text.length > MAX_CODE_MESSAGE) return undefined;
  let digits = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') digits += ch;
    else if (ch >= '\u0660' && ch <= '\u0669') digits += String(ch.charCodeAt(0) - 0x0660);
  }
  return digits.length === LINK_CODE_DIGITS ? digits : undefined;
}
