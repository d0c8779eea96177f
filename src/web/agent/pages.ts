import type { Language } from '../../domain/language';
import { PROFILE_FIELDS } from '../../domain/profileFields';
import type { TranslationVars, Translator } from '../../services/i18n/translator';
import type { AgentActionKind, TicketDetail, TicketSummary, TranscriptEntry } from '../../services/support/supportDesk';
import { escapeHtml, pageHead, SITE_CSS } from '../pages/layout';
import { CONSOLE_PATH, CSRF_FIELD } from './http';

/** Served by registerAgentConsole (outside /agent: a script holds no secret and needs no session). */
export const CONSOLE_SCRIPT_URL = '/static/agent-console.js';

export interface SignedInAgent {
  agentId: string;
  firstName: string;
  csrfToken: string;
}

export interface ConsoleView {
  translator: Translator;
  language: Language;
  nonce: string;
  /** Present once signed in: the header shows the name, the language and sign-out forms carry the token; a ticket page offers its forms to the agent who has it. */
  signedIn?: SignedInAgent;
}

/** A translated, HTML-escaped text from locales/<lang>/agent.json. */
export function t(view: Pick<ConsoleView, 'translator' | 'language'>, key: string, vars?: TranslationVars): string {
  return escapeHtml(view.translator.t(view.language, `agent:${key}`, vars));
}

const CONSOLE_CSS = `
main.console{max-width:72rem}
.console button,.top button{display:inline-block;width:auto;min-height:48px;font-size:1.05rem;margin:.25rem .5rem .25rem 0}
.top form{display:inline}
.top .who{margin:0 .5rem;font-weight:600}
.top .link-button{background:none;border:none;color:#0a3a8c;text-decoration:underline;padding:.5rem}
table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}
th,td{text-align:left;border-bottom:1px solid #999;padding:.5rem .4rem;vertical-align:top}
td.said{min-width:14rem}
.live-status{font-weight:600;font-size:1.1rem;margin:.5rem 0 1rem}
.notice{border-left:6px solid #0a3a8c;padding:.5rem 1rem;margin:1rem 0;background:#eef3fb}
.notice--problem{border-color:#b3001b;background:#fdf0f2}
.transcript{list-style:none;padding:0;margin:0 0 1.5rem}
.transcript li{padding:.5rem 0;border-bottom:1px solid #ddd}
.transcript .who{font-weight:700;margin-right:.5rem}
.transcript .text{white-space:pre-line}
.stuck{font-weight:700}
.console button.secondary{color:#0a3a8c;background:#fff}
.console button.secondary:hover{background:#eef3fb}
.transcript time{color:#333;font-size:.9rem;margin-right:.5rem}
textarea{display:block;width:100%;min-height:6rem;font-size:1.1rem;padding:.5rem;border:2px solid #111;border-radius:4px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1.5rem}
.actions form{margin:0 0 1rem}
`;

function hiddenCsrf(token: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(token)}">`;
}

function header(view: ConsoleView): string {
  const other: Language = view.language === 'nb' ? 'en' : 'nb';
  const switchLabel = `<span lang="${other}">${t(view, 'switchLanguage')}</span>`;
  if (!view.signedIn) {
    return `<nav class="lang" aria-label="${t(view, 'languageNav')}"><a href="${CONSOLE_PATH}?lang=${other}" hreflang="${other}">${switchLabel}</a></nav>`;
  }
  const csrf = hiddenCsrf(view.signedIn.csrfToken);
  return `<nav aria-label="${t(view, 'languageNav')}">
<a href="${CONSOLE_PATH}">${t(view, 'queueLink')}</a>
<span class="who">${t(view, 'signedInAs', { name: view.signedIn.firstName })}</span>
<form method="post" action="${CONSOLE_PATH}/language">${csrf}<input type="hidden" name="lang" value="${other}"><button type="submit" class="link-button">${switchLabel}</button></form>
<form method="post" action="${CONSOLE_PATH}/sign-out">${csrf}<button type="submit" class="link-button">${t(view, 'signOut')}</button></form>
</nav>`;
}

/** A console page's title as the browser's tab shows it: "Supportkø – Supportkonsoll for montører" (plain text). */
function documentTitle(view: Pick<ConsoleView, 'translator' | 'language'>, title: string): string {
  return `${title} – ${view.translator.t(view.language, 'agent:brand')}`;
}

/** The console page around its content. */
export function renderConsolePage(view: ConsoleView, title: string, body: string): string {
  const nonce = escapeHtml(view.nonce);
  const script = view.signedIn ? `<script src="${CONSOLE_SCRIPT_URL}" nonce="${nonce}" defer></script>` : '';
  return `${pageHead({ language: view.language, titleHtml: escapeHtml(documentTitle(view, title)), nonce: view.nonce, css: `${SITE_CSS}${CONSOLE_CSS}`, headExtra: script ? `${script}
` : '' })}
<body>
<header class="top">
<p class="brand">${t(view, 'brand')}</p>
${header(view)}
</header>
<main id="main" class="console">
${body}
</main>
</body>
</html>
`;
}

export interface SignInForm {
  formToken: string;
  email?: string;
  /** A locale key under agent: (signIn.required, signIn.wrong …), already filled in when it has a wait. */
  problem?: string;
  /** The console page signing in leads to (a ticket's), when not the queue. */
  next?: string;
}

export function renderSignInPage(view: ConsoleView, form: SignInForm): string {
  const problem = form.problem ? `<p class="notice notice--problem" role="alert">${escapeHtml(form.problem)}</p>` : '';
  const body = `<h1>${t(view, 'signIn.title')}</h1>
${problem}
<form method="post" action="${CONSOLE_PATH}/sign-in" class="sign-in">
<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(form.formToken)}">
<input type="hidden" name="lang" value="${view.language}">
${form.next ? `<input type="hidden" name="next" value="${escapeHtml(form.next)}">` : ''}
<div class="field"><label for="email">${t(view, 'signIn.email')}</label><input type="email" id="email" name="email" autocomplete="username" required value="${escapeHtml(form.email ?? '')}"></div>
<div class="field"><label for="password">${t(view, 'signIn.password')}</label><input type="password" id="password" name="password" autocomplete="current-password" required></div>
<button type="submit">${t(view, 'signIn.submit')}</button>
</form>`;
  return renderConsolePage(view, view.translator.t(view.language, 'agent:signIn.title'), body);
}

/**
 * A duration as the console writes every one: "under 1 min", "3 min", "1 t 5 min", "10 t",
 * "2 d 3 t" ("h" in English); whole minutes, rounded down; a part that is 0 is left out, and
 * from a day on the minutes are.
 */
export function durationText(view: Pick<ConsoleView, 'translator' | 'language'>, totalMinutes: number): string {
  const minutes = Number.isFinite(totalMinutes) ? Math.max(0, Math.floor(totalMinutes)) : 0;
  if (minutes < 1) return t(view, 'duration.underMinute');
  if (minutes < 60) return t(view, 'duration.minutes', { minutes });
  const hours = Math.floor(minutes / 60) % 24;
  const days = Math.floor(minutes / (24 * 60));
  if (days > 0) return hours > 0 ? t(view, 'duration.daysHours', { days, hours }) : t(view, 'duration.days', { days });
  return minutes % 60 > 0 ? t(view, 'duration.hoursMinutes', { hours, minutes: minutes % 60 }) : t(view, 'duration.hours', { hours });
}

/** How long someone has waited since `since` (an ISO time). */
export function waitingText(view: Pick<ConsoleView, 'translator' | 'language'>, since: string, now: number): string {
  return durationText(view, (now - Date.parse(since)) / 60_000);
}

/** The installer's masked address, or that there is none (asked before registering, or their data was deleted). */
function who(view: ConsoleView, ticket: TicketSummary): string {
  return ticket.maskedEmail ? escapeHtml(ticket.maskedEmail) : `<span class="unknown">${t(view, 'queue.noEmail')}</span>`;
}

function regionText(view: ConsoleView, ticket: TicketSummary): string {
  return t(view, `regions.${ticket.region ?? 'unknown'}`);
}

/** How much of the installer's last message a queue row shows. */
export const QUEUE_MESSAGE_CHARS = 100;

/** A message on one line, cut before a word to at most `max` characters (and "…" when cut). */
export function shortText(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:!?-]+$/, '')}…`;
}

/** What a waiting installer wrote last, cut short, in the installer's language. */
function lastMessageCell(ticket: TicketSummary): string {
  if (ticket.status !== 'waiting' || !ticket.lastMessage) return '<td class="said"></td>';
  return `<td class="said" lang="${ticket.language}">${escapeHtml(shortText(ticket.lastMessage.text, QUEUE_MESSAGE_CHARS))}</td>`;
}

/**
 * The live part's status line, for screen readers the one part that is read out on a change
 * (role=status): the page's script copies it from each fragment it swaps in, and only when it
 * changed. The rest of the live part is not a live region (a refresh would read it all again).
 */
function liveStatusSource(text: string, documentTitle?: string): string {
  return `<span hidden data-live-status="${escapeHtml(text)}"${documentTitle ? ` data-title="${escapeHtml(documentTitle)}"` : ''}></span>`;
}

function liveStatusLine(text: string): string {
  return `<p id="live-status" class="live-status" role="status">${escapeHtml(text)}</p>`;
}

/**
 * "3 venter, 1 ny": how many wait, and how many of them came after `since` (when the page was
 * opened); "Ingen venter." when nobody does.
 */
export function queueStatusText(view: Pick<ConsoleView, 'translator' | 'language'>, queue: TicketSummary[], since?: string): string {
  const waiting = queue.filter((ticket) => ticket.status === 'waiting');
  if (waiting.length === 0) return view.translator.t(view.language, 'agent:queue.empty');
  const fresh = since ? waiting.filter((ticket) => ticket.waitingSince > since).length : 0;
  const count = view.translator.t(view.language, 'agent:queue.waitingCount', { count: waiting.length });
  return fresh > 0 ? `${count}, ${view.translator.t(view.language, 'agent:queue.newCount', { count: fresh })}` : count;
}

/**
 * The queue page's title, with how many wait ("(3) Supportkø"): an agent working in another tab
 * sees new installers on the console's tab.
 */
function queueTitle(view: Pick<ConsoleView, 'translator' | 'language'>, queue: TicketSummary[]): string {
  const waiting = queue.filter((ticket) => ticket.status === 'waiting').length;
  return view.translator.t(view.language, waiting > 0 ? 'agent:queue.titleWithCount' : 'agent:queue.title', { count: waiting });
}

/** The queue table (also served alone as a fragment, swapped in when the queue changes); `since`: see queueStatusText. */
export function renderQueue(view: ConsoleView, queue: TicketSummary[], now: number, since?: string): string {
  const status = liveStatusSource(queueStatusText(view, queue, since), documentTitle(view, queueTitle(view, queue)));
  // nobody at all: the status line above says so ("Ingen venter.")
  if (queue.length === 0) return status;
  const rows = queue
    .map(
      (ticket) => `<tr data-ticket="${escapeHtml(ticket.id)}" data-status="${ticket.status}">
<td><a href="${CONSOLE_PATH}/tickets/${encodeURIComponent(ticket.id)}" aria-label="${t(view, 'queue.open', { number: `#${ticket.number}` })}">#${ticket.number}</a></td>
<td>${t(view, `statuses.${ticket.status}`)}${ticket.agent ? ` (${escapeHtml(ticket.agent.firstName)})` : ''}${ticket.byEmail ? ` – <span class="by-email">${t(view, ticket.maskedEmail ? 'queue.byEmail' : 'queue.byChatLater')}</span>` : ''}</td>
<td class="waiting">${ticket.status === 'waiting' ? waitingText(view, ticket.waitingSince, now) : ''}</td>
${lastMessageCell(ticket)}
<td>${t(view, `languages.${ticket.language}`)}</td>
<td>${regionText(view, ticket)}</td>
<td>${t(view, `stages.${ticket.stage}`)}</td>
<td>${who(view, ticket)}</td>
</tr>`,
    )
    .join('\n');
  return `<table>
<thead><tr><th scope="col">${t(view, 'queue.number')}</th><th scope="col">${t(view, 'queue.status')}</th><th scope="col">${t(view, 'queue.waiting')}</th><th scope="col">${t(view, 'queue.lastMessage')}</th><th scope="col">${t(view, 'queue.language')}</th><th scope="col">${t(view, 'queue.region')}</th><th scope="col">${t(view, 'queue.stage')}</th><th scope="col">${t(view, 'queue.email')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>${status}`;
}

export function renderQueuePage(view: ConsoleView, queue: TicketSummary[], now: number): string {
  const since = new Date(now).toISOString();
  const body = `<h1>${t(view, 'queue.title')}</h1>
<p class="note">${t(view, 'queue.live')}</p>
${liveStatusLine(queueStatusText(view, queue))}
<div id="live" data-fragment="${CONSOLE_PATH}/partials/queue" data-since="${since}">
${renderQueue(view, queue, now, since)}
</div>`;
  return renderConsolePage(view, queueTitle(view, queue), body);
}

function time(at: string): string {
  return `<time datetime="${escapeHtml(at)}">${escapeHtml(at.slice(11, 16))}</time>`;
}

/** A time with its date (a journey's steps lie days apart); the console's script shows it in the agent's time zone. */
function dateTime(at: string): string {
  return `<time datetime="${escapeHtml(at)}" data-date="yes">${escapeHtml(`${at.slice(0, 10)} ${at.slice(11, 16)}`)}</time>`;
}

/** Who wrote a transcript entry, in the agent's language ("Veileder (Kari)"); plain text. */
function entryWho(view: ConsoleView, entry: TranscriptEntry): string {
  const from = view.translator.t(view.language, `agent:from.${entry.from}`);
  return entry.from === 'agent' && entry.agentName ? `${from} (${entry.agentName})` : from;
}

/** A transcript entry's text (a system note is a locale key, SYSTEM_NOTES, shown in the agent's language); plain text. */
function entryText(view: ConsoleView, entry: TranscriptEntry): string {
  return entry.from === 'system' && view.translator.has(view.language, entry.text) ? view.translator.t(view.language, entry.text, { name: entry.agentName ?? '' }) : entry.text;
}

function transcriptItem(view: ConsoleView, entry: TranscriptEntry): string {
  return `<li data-from="${entry.from}">${time(entry.at)}<span class="who">${escapeHtml(entryWho(view, entry))}:</span><span class="text">${escapeHtml(entryText(view, entry))}</span></li>`;
}

/** A ticket page's status line: the newest message, cut short ("Montør skrev: …"); the status when there is none. */
export function ticketStatusText(view: ConsoleView, ticket: TicketDetail): string {
  const last = ticket.transcript.at(-1);
  if (!last) return view.translator.t(view.language, `agent:statuses.${ticket.status}`);
  return view.translator.t(view.language, 'agent:ticket.newest', { who: entryWho(view, last), text: shortText(entryText(view, last), QUEUE_MESSAGE_CHARS) });
}

/** A profile field by its label in the agent's language (the profile form's own); an unknown field by its name. */
function profileLabel(view: ConsoleView, field: string): string {
  const known = PROFILE_FIELDS.find((candidate) => candidate.id === field);
  return escapeHtml(known ? view.translator.t(view.language, known.keys.label) : field);
}

function stationItems(view: ConsoleView, ticket: TicketDetail): string {
  const stations = ticket.context.stationList ?? [];
  if (stations.length === 0) return '';
  const items = stations.map((s) => `<li>${dateTime(s.localizedAt)} ${t(view, 'ticket.station', { mac: s.mac, latitude: s.latitude.toFixed(5), longitude: s.longitude.toFixed(5) })}</li>`);
  return `<h3>${t(view, 'ticket.stationList')}</h3><ol class="stations">${items.join('')}</ol>`;
}

/** Who the installer is, by the profile's name and company, when they have saved them ("Kåre Lie, Lys og Varme AS"). */
function installerLine(ticket: TicketDetail): string {
  const profile = ticket.context.profile ?? {};
  const name = [profile.firstName, profile.lastName].filter((part) => part && part.trim() !== '').join(' ');
  const parts = [name, profile.company ?? ''].filter((part) => part.trim() !== '');
  return parts.length > 0 ? `<p class="installer">${parts.map((part, i) => (i === 0 ? `<strong>${escapeHtml(part)}</strong>` : escapeHtml(part))).join(', ')}</p>\n` : '';
}

/** Status, context, transcript and what agents did (also served alone as a fragment, swapped in on a change). */
export function renderTicketLive(view: ConsoleView, ticket: TicketDetail, now: number): string {
  const history = ticket.context.stageHistory.map((entry) => `<li>${dateTime(entry.at)} ${t(view, `stages.${entry.stage}`)}</li>`).join('');
  const profile = ticket.context.profile && Object.keys(ticket.context.profile).length > 0
    ? `<dl>${Object.entries(ticket.context.profile).map(([name, value]) => `<dt>${profileLabel(view, name)}</dt><dd>${escapeHtml(value)}</dd>`).join('')}</dl>`
    : `<p>${t(view, 'ticket.noProfile')}</p>`;
  const transcript = ticket.transcript.length > 0
    ? `<ol class="transcript">${ticket.transcript.map((entry) => transcriptItem(view, entry)).join('\n')}</ol>`
    : `<p>${t(view, 'ticket.emptyTranscript')}</p>`;
  const actions = ticket.actions.length > 0
    ? `<h2>${t(view, 'ticket.actionsDone')}</h2><ul class="done">${ticket.actions
        .map((action) => {
          const outcome = action.outcome === '' || action.outcome === 'ok' ? '' : ` (${escapeHtml(outcomeText(view, action.outcome))})`;
          return `<li>${time(action.at)} ${t(view, `actionKinds.${action.kind}`)} – ${escapeHtml(action.agent.firstName)}${outcome}</li>`;
        })
        .join('')}</ul>`
    : '';
  const waited = ticket.status === 'waiting' ? ` · <span class="waited">${t(view, 'ticket.waited', { wait: waitingText(view, ticket.waitingSince, now) })}</span>` : '';
  return `${installerLine(ticket)}<p class="status" data-status="${ticket.status}"><strong>${t(view, `statuses.${ticket.status}`)}</strong>${ticket.agent ? ` – ${t(view, 'ticket.acceptedBy', { name: ticket.agent.firstName })}` : ''}${waited}
· ${t(view, `languages.${ticket.language}`)} · ${regionText(view, ticket)} · ${who(view, ticket)}</p>
<p class="stuck">${t(view, 'ticket.stage', { stage: view.translator.t(view.language, `agent:stages.${ticket.stage}`) })}</p>${ticket.byEmail && ticket.status !== 'closed' ? `\n<p class="notice by-email">${t(view, ticket.maskedEmail ? 'ticket.byEmail' : 'ticket.byChatLater')}</p>` : ''}
<div class="grid">
<section><h2>${t(view, 'ticket.transcript')}</h2>${transcript}</section>
<section><h2>${t(view, 'ticket.context')}</h2>
<h3>${t(view, 'ticket.stageHistory')}</h3><ol>${history}</ol>
<h3>${t(view, 'ticket.profile')}</h3>${profile}
<p>${t(view, 'ticket.stations', { count: ticket.context.stations })}</p>
${stationItems(view, ticket)}
${actions}</section>
</div>${liveStatusSource(ticketStatusText(view, ticket))}`;
}

/** An outcome code of the desk ("sent", "limited" …) in the agent's language; an unknown code as it is. */
export function outcomeText(view: Pick<ConsoleView, 'translator' | 'language'>, outcome: string): string {
  return view.translator.has(view.language, `agent:outcomes.${outcome}`) ? view.translator.t(view.language, `agent:outcomes.${outcome}`) : outcome;
}

export interface ResultNotice {
  text: string;
  problem: boolean;
}

export function renderTicketPage(view: ConsoleView & { signedIn: SignedInAgent }, ticket: TicketDetail, now: number, notice?: ResultNotice): string {
  const csrf = hiddenCsrf(view.signedIn.csrfToken);
  const base = `${CONSOLE_PATH}/tickets/${encodeURIComponent(ticket.id)}`;
  const action = (kind: AgentActionKind, field = '') =>
    `<form method="post" action="${base}/actions">${csrf}<input type="hidden" name="kind" value="${kind}">${field}<button type="submit" name="do" value="${kind}">${t(view, `ticket.${kind}`)}</button></form>`;
  const accept = ticket.status === 'waiting' ? `<form method="post" action="${base}/accept" class="actions">${csrf}<button type="submit">${t(view, 'ticket.accept')}</button></form>` : '';
  // replying, closing and the actions are for the agent who has the ticket: anyone else gets a word why not
  const mine = ticket.status === 'active' && ticket.agent?.id === view.signedIn.agentId;
  let forms = '';
  if (mine) {
    forms = `<section class="actions">
<form method="post" action="${base}/reply">${csrf}<label for="reply-text">${t(view, 'ticket.replyLabel')}</label><textarea id="reply-text" name="text" maxlength="4000"></textarea><button type="submit">${t(view, 'ticket.reply')}</button></form>
<h2>${t(view, 'ticket.unblock')}</h2>
${action('resendConfirmation')}
${action('newPasswordLink')}
${action('correctEmail', `<label for="new-email">${t(view, 'ticket.newEmailLabel')}</label><input type="email" id="new-email" name="value" autocomplete="off">`)}
<h2>${t(view, 'ticket.finish')}</h2>
<form method="post" action="${base}/close">${csrf}<p class="hint">${t(view, 'ticket.closeHint')}</p><button type="submit" class="secondary">${t(view, 'ticket.close')}</button></form>
</section>`;
  } else if (ticket.status === 'waiting') {
    forms = `<p class="note" id="accept-first">${t(view, 'ticket.acceptFirst')}</p>`;
  } else if (ticket.status === 'active' && ticket.agent) {
    forms = `<p class="note" id="accept-first">${t(view, 'ticket.someoneElses', { name: ticket.agent.firstName })}</p>`;
  }
  const noticeHtml = notice ? `<p class="notice${notice.problem ? ' notice--problem' : ''}" role="status" id="result">${escapeHtml(notice.text)}</p>` : '';
  const title = view.translator.t(view.language, 'agent:ticket.title', { number: `#${ticket.number}` });
  const body = `<p><a href="${CONSOLE_PATH}">${t(view, 'ticket.back')}</a></p>
<h1>${escapeHtml(title)}</h1>
${noticeHtml}
${accept}
${liveStatusLine(ticketStatusText(view, ticket))}
<div id="live" data-fragment="${base}/partial" data-ticket="${escapeHtml(ticket.id)}">
${renderTicketLive(view, ticket, now)}
</div>
${forms}`;
  return renderConsolePage(view, title, body);
}

/** A page with one message (401, 403, 404, 503). */
export function renderMessage(view: ConsoleView, key: string): string {
  const message = view.translator.t(view.language, `agent:${key}`);
  return renderConsolePage(view, message, `<h1>${escapeHtml(message)}</h1><p><a href="${CONSOLE_PATH}">${t(view, 'queueLink')}</a></p>`);
}
