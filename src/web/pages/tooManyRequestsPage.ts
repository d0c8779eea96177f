import type { Response } from 'restify';
import { limitText } from '../../services/limits/waitText';
import { escapeHtml, pageHeaders, renderPage, type PageContext } from './layout';

/** 429: the page says (in the page's language) when to try again; Retry-After says it to machines. */
export function sendTooManyRequestsPage(res: Response, ctx: PageContext, retryAfterSeconds: number): void {
  const { translator, language } = ctx;
  const heading = translator.t(language, 'limits:page.heading');
  const body = `<div role="alert">
<h1>${escapeHtml(heading)}</h1>
<p>${escapeHtml(limitText(translator, language, 'limits:page.body', retryAfterSeconds))}</p>
</div>`;
  const html = renderPage(ctx, { title: translator.t(language, 'limits:page.title'), body, bodyClass: 'message--problem' });
  res.writeHead(429, {
    ...pageHeaders(ctx.nonce),
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    'Content-Length': String(Buffer.byteLength(html, 'utf8')),
  });
  res.end(html);
}
