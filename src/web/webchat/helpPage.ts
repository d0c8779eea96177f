import type { Language } from '../../domain/language';
import { localeOf } from '../../domain/language';
import { REGION_LINKS, STATION_SITE_URL } from '../../domain/journey';
import type { TranslationVars, Translator } from '../../services/i18n/translator';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface HelpPageOptions {
  translator: Translator;
  language: Language;
  nonce: string;
  tokenUrl: string;
  scripts: { webChat: string; page: string };
}

const LINK = '\u2063link\u2063';

/** Text from locales/<lang>/help.json, HTML-escaped; `{{link}}` in it becomes the given link. */
function texts(translator: Translator, language: Language) {
  const raw = (key: string, vars?: TranslationVars) => translator.t(language, `help:${key}`, vars);
  const t = (key: string) => escapeHtml(raw(key));
  const withLink = (key: string, href: string, label: string) =>
    escapeHtml(raw(key, { link: LINK })).replace(LINK, anchor(href, label));
  return { raw, t, withLink };
}

/**
 * "Many conversations …, try again in {wait}" and the forms of the wait ("{n} seconds" …): the
 * page's script fills in the Retry-After of a refused token request (plural: one for 1, other above).
 */
function busyAttributes(translator: Translator, language: Language): string {
  const form = (key: string) => escapeHtml(translator.t(language, `limits:wait.${key}`, { count: '{n}' }));
  return [
    `data-busy="${escapeHtml(translator.t(language, 'help:chat.busy', { wait: '{wait}' }))}"`,
    `data-wait-seconds-one="${form('seconds_one')}"`,
    `data-wait-seconds-other="${form('seconds_other')}"`,
    `data-wait-minutes-one="${form('minutes_one')}"`,
    `data-wait-minutes-other="${form('minutes_other')}"`,
  ].join(' ');
}

function anchor(href: string, label: string): string {
  return `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`;
}

const PAGE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:1.0625rem;line-height:1.5;color:#111;background:#eef1f5}
a{color:#0a3a8c;text-decoration-thickness:2px;text-underline-offset:3px}
a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:4px solid #ffbf47;outline-offset:0}
.skip{position:absolute;left:-9999px;top:0}
.skip:focus{left:.5rem;top:.5rem;z-index:10;background:#fff;padding:.75rem 1rem}
.top{display:flex;align-items:center;justify-content:space-between;gap:.5rem;height:3.5rem;padding:0 .75rem 0 1rem;background:#0a3a8c;color:#fff}
.top h1{margin:0;font-size:1.0625rem;line-height:1.2;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.lang ul{display:flex;gap:.25rem;margin:0;padding:0;list-style:none}
.lang a{display:inline-flex;align-items:center;min-height:44px;min-width:44px;padding:0 .5rem;border-radius:4px;color:#fff;font-weight:600}
.lang a[aria-current]{background:#fff;color:#0a3a8c;text-decoration:none}
.chat{display:flex;flex-direction:column;height:calc(100vh - 3.5rem);height:calc(100dvh - 3.5rem);min-height:22rem;background:#fff}
.chat-head{display:flex;align-items:center;justify-content:space-between;gap:.5rem;padding:.4rem .5rem .4rem 1rem;border-bottom:1px solid #d5d9e0}
.start-over{flex:none;min-height:44px;padding:0 .75rem;font:inherit;font-size:.875rem;font-weight:600;color:#0a3a8c;background:#fff;border:2px solid #0a3a8c;border-radius:4px;cursor:pointer}
[hidden]{display:none!important}
.chat-head h2{margin:0;font-size:1rem}
.chat-head p{margin:0;font-size:.875rem;color:#3b3f46}
.webchat{flex:1;min-height:0}
.status{margin:1rem;padding:.75rem 1rem;background:#f6f7f9;border-left:4px solid #0a3a8c}
.guide{max-width:44rem;padding:1rem 1rem 3rem;background:#fff}
.guide>p:first-child{font-size:1.125rem;margin-top:0}
.guide h2{font-size:1.25rem;line-height:1.3;margin:1.75rem 0 .5rem}
.guide ol,.guide ul{padding-left:1.5rem}
.guide li{margin:.25rem 0}
.note{color:#3b3f46}
@media (min-width:900px){
  main{display:grid;grid-template-columns:minmax(0,1fr) 27rem;align-items:start;gap:1.5rem;max-width:76rem;margin:0 auto;padding:1.5rem}
  .chat{order:2;position:sticky;top:1.5rem;height:calc(100vh - 6.5rem);border:1px solid #c9ced6;border-radius:8px;overflow:hidden}
  .guide{order:1;padding:1.5rem 2rem 2rem;border-radius:8px}
}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important;transition:none!important}}
`;

/** The help page: the guide's steps in the visitor's language, region links, support, and Web Chat. */
export function renderHelpPage(options: HelpPageOptions): string {
  const { translator, language, nonce } = options;
  const { t, withLink } = texts(translator, language);
  const n = escapeHtml(nonce);
  const langLink = (code: Language, label: string) =>
    `<li><a href="/?lang=${code}" lang="${code}" hreflang="${code}"${code === language ? ' aria-current="true"' : ''}>${escapeHtml(label)}</a></li>`;
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#0a3a8c">
<link rel="icon" href="data:,">
<title>${t('title')}</title>
<link rel="alternate" hreflang="nb" href="/?lang=nb">
<link rel="alternate" hreflang="en" href="/?lang=en">
<style>${PAGE_CSS}</style>
</head>
<body>
<a class="skip" href="#guide">${t('skipToGuide')}</a>
<header class="top">
<h1>${t('heading')}</h1>
<nav class="lang" aria-label="${t('languageNav')}"><ul>${langLink('nb', 'Norsk')}${langLink('en', 'English')}</ul></nav>
</header>
<main>
<section class="chat" id="chat" aria-labelledby="chat-heading">
<div class="chat-head"><div><h2 id="chat-heading">${t('chat.heading')}</h2><p>${t('chat.intro')}</p></div><button type="button" class="start-over" id="webchat-start-over" hidden>${t('chat.startOver')}</button></div>
<p class="status" id="webchat-status" role="status">${t('chat.loading')}</p>
<div class="webchat" id="webchat" data-locale="${localeOf(language)}" data-token-url="${escapeHtml(options.tokenUrl)}" data-error="${t('chat.error')}" ${busyAttributes(translator, language)}></div>
</section>
<div class="guide" id="guide">
<p>${t('introOnePath')}</p>
<section aria-labelledby="overview-heading">
<h2 id="overview-heading">${t('overview.heading')}</h2>
<ul><li>${t('overview.step1')}</li><li>${t('overview.step2')}</li><li>${t('overview.step3')}</li><li>${t('overview.step4')}</li></ul>
</section>
<section aria-labelledby="register-heading">
<h2 id="register-heading">${t('register.heading')}</h2>
<ol><li>${t('register.inChat1')}</li><li>${t('register.inChat2')}</li><li>${t('register.inChat3')}</li></ol>
<p class="note">${t('register.inChatNote')}</p>
<p><a href="#chat">${t('skipToChat')}</a></p>
</section>
<section aria-labelledby="confirm-heading">
<h2 id="confirm-heading">${t('confirm.heading')}</h2>
<p>${t('confirm.text')}</p>
</section>
<section aria-labelledby="profile-heading">
<h2 id="profile-heading">${t('profile.heading')}</h2>
<ol><li>${t('profile.step1')}</li><li>${t('profile.step2')}</li><li>${t('profile.step3')}</li></ol>
</section>
<section aria-labelledby="next-heading">
<h2 id="next-heading">${t('next.heading')}</h2>
<p>${t('next.certify')}</p>
<p>${t('next.account')}</p>
<p>${withLink('next.site', STATION_SITE_URL, 'm.chargepoint.com')}</p>
</section>
<section aria-labelledby="faq-heading">
<h2 id="faq-heading">${t('faq.heading')}</h2>
<p>${t('faq.text')}</p>
<ul><li>${anchor(REGION_LINKS.na.faq, translator.t(language, 'help:faq.na'))}</li><li>${anchor(REGION_LINKS.global.faq, translator.t(language, 'help:faq.eu'))}</li></ul>
</section>
<section aria-labelledby="support-heading">
<h2 id="support-heading">${t('support.heading')}</h2>
<p>${t('support.text')}</p>
<ul><li>${anchor(REGION_LINKS.na.support[language], translator.t(language, 'help:support.na'))}</li><li>${anchor(REGION_LINKS.global.support[language], translator.t(language, 'help:support.global'))}</li></ul>
</section>
</div>
</main>
<script src="${escapeHtml(options.scripts.webChat)}" nonce="${n}"></script>
<script src="${escapeHtml(options.scripts.page)}" nonce="${n}"></script>
</body>
</html>
`;
}
