/** HTML helpers shared by the email templates and the dev mailbox pages. */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for use in HTML element content and in double- or single-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** True for an absolute http(s) URL — the only kind of link an email or page may carry. */
export function isWebUrl(value: string): boolean {
  try {
    const protocol = new URL(value).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** An escaped anchor for a URL (the URL is also its text). Non-web URLs are rendered as plain text. */
export function linkHtml(url: string, style = ''): string {
  if (!isWebUrl(url)) return escapeHtml(url);
  const styleAttribute = style ? ` style="${escapeHtml(style)}"` : '';
  return `<a href="${escapeHtml(url)}"${styleAttribute}>${escapeHtml(url)}</a>`;
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"'()]+[^\s<>"'().,;:!?]/g;

/** Escapes plain text and turns the http(s) URLs in it into links. */
export function linkifyText(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const start = match.index ?? 0;
    html += escapeHtml(text.slice(last, start)) + linkHtml(match[0]);
    last = start + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}
