import type { Request, Response, Server } from 'restify';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { Config } from '../config';
import { isLoopbackUrl } from '../loopback';
import { isLanguage, languageFromAcceptLanguage, localeOf, type Language } from '../domain/language';
import type { Translator } from '../services/i18n/translator';
import { escapeHtml, linkifyText } from '../services/mail/html';
import { devToolDoor } from './devToolDoor';
import { listMailboxFiles, readMailboxFile } from '../services/mail/mailbox';

export interface DevMailboxDeps {
  config: Config;
  translator: Translator;
}

/** The newest messages listed on the page; older files stay on disk. */
const LIST_LIMIT = 200;

type SimpleParser = (source: Buffer) => Promise<ParsedMail>;

/**
 * mailparser is a development dependency (production images prune it), so it is loaded when a
 * page is asked for, not when the app starts; without it the pages show the raw message.
 */
function loadSimpleParser(): SimpleParser | undefined {
  try {
    const { simpleParser } = require('mailparser') as typeof import('mailparser');
    return (source) => simpleParser(source);
  } catch {
    return undefined;
  }
}

function pageLanguage(req: Request): Language {
  const asked = new URL(req.url ?? '/', 'http://localhost').searchParams.get('lang');
  if (isLanguage(asked)) return asked;
  return languageFromAcceptLanguage(req.header('accept-language')) ?? 'nb';
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

function page(language: Language, title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,Arial,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1f2933}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e4e7eb;vertical-align:top}
pre{white-space:pre-wrap;word-break:break-word;background:#f5f7fa;padding:1rem;border-radius:6px}
dt{font-weight:bold}dd{margin:0 0 .5rem}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function send(res: Response, status: number, html: string): void {
  res.sendRaw(status, html, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'cache-control': 'no-store',
  });
}

/**
 * Whether /dev/mail is served: only without SMTP_URL (otherwise there is no local mailbox), and
 * only on a development machine (PUBLIC_URL on loopback) or when DEV_MAILBOX=true says so —
 * the pages show every recipient and their confirmation links to whoever opens them. Without
 * DEV_MAILBOX=true they also answer only requests opened on this machine (devToolDoor).
 */
export function devMailboxEnabled(config: Pick<Config, 'SMTP_URL' | 'PUBLIC_URL' | 'DEV_MAILBOX'>): boolean {
  return !config.SMTP_URL && (config.DEV_MAILBOX === true || isLoopbackUrl(config.PUBLIC_URL));
}

/**
 * The local mailbox for development (no SMTP_URL): GET /dev/mail lists the .eml files written by
 * the mailer, newest first; GET /dev/mail/:file shows one message's text part.
 */
export function registerDevMailbox(server: Server, deps: DevMailboxDeps): void {
  const { config, translator } = deps;
  if (!devMailboxEnabled(config)) return;
  const t = (language: Language, key: string) => translator.t(language, `email:devMailbox.${key}`);
  const door = (handler: (req: Request, res: Response) => Promise<void>) => devToolDoor(config.DEV_MAILBOX === true, handler);

  server.get(
    '/dev/mail',
    door(async (req, res) => {
      const language = pageLanguage(req);
      const parse = loadSimpleParser();
      const rows: string[] = [];
      for (const file of (await listMailboxFiles(config.DATA_DIR)).slice(0, LIST_LIMIT)) {
        const raw = await readMailboxFile(config.DATA_DIR, file);
        const mail = raw && parse ? await parse(raw).catch(() => undefined) : undefined;
        const subject = mail?.subject || t(language, 'noSubject');
        const date = mail?.date ? mail.date.toLocaleString(localeOf(language)) : '';
        const href = `/dev/mail/${encodeURIComponent(file)}?lang=${language}`;
        rows.push(
          `<tr><td>${escapeHtml(date)}</td><td>${escapeHtml(addresses(mail?.to))}</td>` +
            `<td><a href="${escapeHtml(href)}">${escapeHtml(subject)}</a></td></tr>`,
        );
      }
      const table =
        rows.length === 0
          ? `<p>${escapeHtml(t(language, 'empty'))}</p>`
          : `<table><thead><tr><th>${escapeHtml(t(language, 'date'))}</th><th>${escapeHtml(t(language, 'to'))}</th>` +
            `<th>${escapeHtml(t(language, 'subject'))}</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
      const title = t(language, 'title');
      send(res, 200, page(language, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(t(language, 'intro'))}</p>\n${table}`));
    }),
  );

  server.get(
    '/dev/mail/:file',
    door(async (req, res) => {
      const language = pageLanguage(req);
      const back = `<p><a href="/dev/mail?lang=${language}">${escapeHtml(t(language, 'back'))}</a></p>`;
      const file = String(req.params.file ?? '');
      const raw = await readMailboxFile(config.DATA_DIR, file);
      if (!raw) {
        const notFound = t(language, 'notFound');
        send(res, 404, page(language, notFound, `<h1>${escapeHtml(notFound)}</h1>\n${back}`));
        return;
      }
      const parse = loadSimpleParser();
      const mail = parse ? await parse(raw).catch(() => undefined) : undefined;
      if (!mail) {
        const body = `<p>${escapeHtml(t(language, 'unreadable'))}</p>\n<pre>${linkifyText(raw.toString('utf8'))}</pre>\n${back}`;
        send(res, 200, page(language, file, `<h1>${escapeHtml(file)}</h1>\n${body}`));
        return;
      }
      const subject = mail.subject || t(language, 'noSubject');
      const field = (key: string, value: string) => `<dt>${escapeHtml(t(language, key))}</dt><dd>${escapeHtml(value)}</dd>`;
      const headers = [
        field('from', addresses(mail.from)),
        field('to', addresses(mail.to)),
        field('date', mail.date ? mail.date.toLocaleString(localeOf(language)) : ''),
      ].join('');
      const text = mail.text ? `<pre>${linkifyText(mail.text)}</pre>` : `<p>${escapeHtml(t(language, 'noText'))}</p>`;
      send(res, 200, page(language, subject, `${back}\n<h1>${escapeHtml(subject)}</h1>\n<dl>${headers}</dl>\n${text}`));
    }),
  );
}
