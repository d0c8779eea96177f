import { randomBytes } from 'node:crypto';
import type { Language } from '../../domain/language';
import type { TranslationVars, Translator } from '../../services/i18n/translator';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** What every page needs to render: the language, its texts, and the per-response CSP nonce. */
export interface PageContext {
  translator: Translator;
  language: Language;
  /** Allows the page's own inline <style> and <script> under the Content-Security-Policy. */
  nonce: string;
  /** Where the small language switch points (the same page in the other language). */
  switchHref: string;
}

/** A translated text from locales/<lang>/pages.json, HTML-escaped. */
export function text(ctx: PageContext, key: string, vars?: TranslationVars): string {
  return escapeHtml(ctx.translator.t(ctx.language, `pages:${key}`, vars));
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/** Where Teams may embed the pages (dialogs are iframes); everything else may not. */
export const FRAME_ANCESTORS = "'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.skype.com https://*.cloud.microsoft";

/** Where a page may connect and who may frame it: the account pages' defaults are Teams's (teams-js fetches the list of Teams host domains it trusts from the Office CDN). */
export interface PagePolicy {
  connectSrc: string;
  frameAncestors: string;
}

const ACCOUNT_PAGE_POLICY: PagePolicy = { connectSrc: "'self' https://res.cdn.office.net", frameAncestors: FRAME_ANCESTORS };

/**
 * Headers for every server-rendered page (the account pages, and with its own policy the agent
 * console): never cached (tokens and personal data), never leaking the token-bearing URL as a
 * referrer, no MIME sniffing, and a CSP that allows only the page's own nonce'd inline
 * style/script, scripts from this origin, and framing by whom the policy names.
 */
export function pageHeaders(nonce: string, policy: PagePolicy = ACCOUNT_PAGE_POLICY): Record<string, string> {
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'self' 'nonce-${nonce}'`,
      `style-src 'self' 'nonce-${nonce}'`,
      "img-src 'self' data:",
      `connect-src ${policy.connectSrc}`,
      "form-action 'self'",
      "base-uri 'none'",
      `frame-ancestors ${policy.frameAncestors}`,
    ].join('; '),
  };
}

/**
 * The shared look: large type and touch targets (a phone on a building site, gloves, sunlight),
 * dark text on white, a thick visible focus ring, errors marked by more than colour.
 */
export const SITE_CSS = `
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.125rem;line-height:1.5;color:#111;background:#fff}
.top{display:flex;justify-content:space-between;align-items:center;gap:1rem;padding:.75rem 1rem;border-bottom:2px solid #111}
.brand{font-weight:700;margin:0;font-size:1rem}
.lang a{display:inline-block;min-height:48px;min-width:48px;padding:.65rem .75rem;color:#0a3a8c;font-weight:600}
main{max-width:36rem;margin:0 auto;padding:1rem 1rem 3rem}
h1{font-size:1.75rem;line-height:1.25;margin:1rem 0}
p{margin:0 0 1rem}
a{color:#0a3a8c;text-decoration-thickness:2px;text-underline-offset:3px}
a:focus-visible,input:focus-visible,button:focus-visible,[tabindex]:focus-visible{outline:4px solid #ffbf47;outline-offset:0;box-shadow:0 0 0 7px #111}
.field{margin:0 0 1.5rem}
label{display:block;font-weight:700;margin-bottom:.25rem}
.hint{color:#333;margin:0 0 .5rem}
input[type=password],input[type=email],input[type=text]{display:block;width:100%;min-height:52px;padding:.6rem .75rem;font-size:1.25rem;color:#111;background:#fff;border:2px solid #111;border-radius:4px}
.field--error{border-left:6px solid #b3001b;padding-left:.9rem}
.field--error input{border-color:#b3001b;border-width:3px}
.field-error{color:#b3001b;font-weight:700;margin:0 0 .5rem}
button{display:block;width:100%;min-height:56px;padding:.75rem 1rem;font-size:1.25rem;font-weight:700;color:#fff;background:#0a3a8c;border:2px solid #0a3a8c;border-radius:4px;cursor:pointer}
button:hover{background:#072b69}
.error-summary{border:4px solid #b3001b;padding:1rem;margin:1rem 0 1.5rem}
.error-summary h2{font-size:1.25rem;margin:0 0 .5rem}
.error-summary ul{margin:0;padding-left:1.25rem}
.error-summary a{color:#b3001b;font-weight:700}
.account{font-weight:700;overflow-wrap:anywhere}
.note{color:#333}
.terms{border:2px solid #111;border-radius:4px;padding:.75rem 1rem;margin:0 0 1rem}
.terms h2{font-size:1.25rem;margin:0 0 .5rem}
.terms ul{margin:0;padding-left:1.25rem}
.check label{display:flex;gap:.75rem;align-items:flex-start;font-weight:700;min-height:48px}
.check input{flex:none;width:28px;height:28px;margin:.1rem 0 0}
.message--ok h1::before{content:"\\2713\\00a0";color:#006b2d}
.message--problem h1::before{content:"!\\00a0";color:#b3001b}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}
`;

export interface PageShell {
  title: string;
  /** Already-escaped HTML of the <main> content. */
  body: string;
  /** Marks the title as an error (screen readers read the title first). */
  hasErrors?: boolean;
  /** Already-escaped HTML placed at the end of <body> (scripts). */
  scripts?: string;
  bodyClass?: string;
}

/**
 * The start of a server-rendered page, to the end of its head: language, viewport, no referrer,
 * not indexed, the title (HTML already escaped), the nonce'd style and what else goes in the head.
 */
export function pageHead(page: { language: Language; titleHtml: string; nonce: string; css: string; headExtra?: string }): string {
  return `<!DOCTYPE html>
<html lang="${page.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${page.titleHtml}</title>
<style nonce="${escapeHtml(page.nonce)}">${page.css}</style>
${page.headExtra ?? ''}</head>`;
}

/** The page around the content: language, viewport, header with the language switch. */
export function renderPage(ctx: PageContext, shell: PageShell): string {
  const title = shell.hasErrors ? `${text(ctx, 'common.errorTitlePrefix')}: ${escapeHtml(shell.title)}` : escapeHtml(shell.title);
  const other: Language = ctx.language === 'nb' ? 'en' : 'nb';
  return `${pageHead({ language: ctx.language, titleHtml: `${title} – ${text(ctx, 'common.brand')}`, nonce: ctx.nonce, css: SITE_CSS })}
<body${shell.bodyClass ? ` class="${escapeHtml(shell.bodyClass)}"` : ''}>
<header class="top">
<p class="brand">${text(ctx, 'common.brand')}</p>
<nav class="lang" aria-label="${text(ctx, 'common.languageNav')}"><a href="${escapeHtml(ctx.switchHref)}" lang="${other}" hreflang="${other}">${text(ctx, 'common.switchLanguage')}</a></nav>
</header>
<main id="main">
${shell.body}
</main>
${shell.scripts ?? ''}
</body>
</html>
`;
}
