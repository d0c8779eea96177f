import type { Language } from '../../domain/language';
import { REGION_LINKS } from '../../domain/journey';
import type { Translator, TranslationVars } from '../i18n/translator';
import { escapeHtml, isWebUrl, linkHtml } from './html';
import type { MailTemplate, OutgoingMail } from './mailer';

export interface RenderedMail {
  /** The sender's display name, in the mail's language. */
  senderName: string;
  subject: string;
  text: string;
  html: string;
}

/** How long a confirmation link is valid, as the email tells it (vars.hours overrides). */
export const CONFIRM_LINK_VALID_HOURS = 48;
/** The support page named in an email's footer when the mail does not name one (vars.supportUrl): Europe's, in the mail's language. */
export const defaultSupportUrl = (language: Language): string => REGION_LINKS.global.support[language];

/**
 * One email: paragraphs (keys under email:<template>, or under email:notice when they start with
 * "notice.") around one call-to-action button.
 */
interface TemplateSpec {
  required: readonly string[];
  before: readonly string[];
  /** The call-to-action button; a mail without one (a code to type) has none. */
  action?: { key: string; urlVar: string };
  after: readonly string[];
  defaults: Record<string, string>;
}

/** A notify event's fallback: "I couldn't reach you in the chat", the news, a button back to the chat. */
function notice(body: readonly string[], required: readonly string[] = [], after: readonly string[] = ['notice.later']): TemplateSpec {
  return {
    required: ['chatUrl', ...required],
    before: ['notice.unreachable', ...body],
    action: { key: 'notice.action', urlVar: 'chatUrl' },
    after,
    defaults: {},
  };
}

const TEMPLATES: Record<MailTemplate, TemplateSpec> = {
  confirmation: {
    required: ['confirmUrl'],
    before: ['intro'],
    action: { key: 'action', urlVar: 'confirmUrl' },
    after: ['validity', 'spam', 'ignore'],
    defaults: { hours: String(CONFIRM_LINK_VALID_HOURS) },
  },
  linkCode: {
    required: ['code', 'channel', 'minutes'],
    before: ['intro', 'code', 'validity'],
    after: ['notYou'],
    defaults: {},
  },
  dataExport: {
    required: [],
    before: ['intro', 'contents'],
    after: ['notYou'],
    defaults: {},
  },
  passwordLink: {
    required: ['passwordUrl'],
    before: ['intro'],
    action: { key: 'action', urlVar: 'passwordUrl' },
    after: ['validity', 'ignore'],
    defaults: { minutes: '30' },
  },
  supportTicket: {
    required: ['number', 'ticketUrl', 'maskedEmail', 'region', 'stage', 'language'],
    before: ['intro', 'details'],
    action: { key: 'action', urlVar: 'ticketUrl' },
    after: [],
    defaults: {},
  },
  supportByEmail: {
    required: ['number'],
    before: ['intro', 'reply'],
    after: ['chat'],
    defaults: {},
  },
  supportReply: {
    required: ['number', 'agentName', 'message'],
    before: ['intro', 'message'],
    after: ['chat'],
    defaults: {},
  },
  accountConfirmed: {
    required: ['chatUrl'],
    before: ['intro', 'next'],
    action: { key: 'action', urlVar: 'chatUrl' },
    after: ['later'],
    defaults: {},
  },
  invitation: {
    required: ['invitationUrl', 'days'],
    before: ['intro', 'next'],
    action: { key: 'action', urlVar: 'invitationUrl' },
    after: ['validity', 'onSite', 'notYou'],
    defaults: {},
  },
  passwordSetNotice: notice(['body']),
  stationLocalizedNotice: notice(['body']),
  coursesReadyNotice: notice(['body']),
  courseCompletedNotice: notice(['body']),
  certifiedNotice: notice(['body']),
  accountActivatedNotice: notice(['body']),
  agentJoinedNotice: notice(['body'], ['agentName']),
  agentMessageNotice: notice(['body', 'message'], ['agentName', 'text'], ['reply']),
  handoffClosedNotice: notice(['body']),
  emailCorrectedNotice: notice(['body']),
};

export const MAIL_TEMPLATES = Object.keys(TEMPLATES) as MailTemplate[];

/** A mail that cannot be rendered; the message names keys and variables, never their values. */
export class MailTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailTemplateError';
  }
}

/** Throws a MailTemplateError when a required variable is missing or a *Url variable is not an http(s) URL. */
export function validateMail(mail: Pick<OutgoingMail, 'template' | 'vars'>): void {
  const spec = TEMPLATES[mail.template];
  if (!spec) throw new MailTemplateError(`unknown mail template "${String(mail.template)}"`);
  for (const name of spec.required) {
    if (!mail.vars[name]) throw new MailTemplateError(`${mail.template}: missing variable "${name}"`);
  }
  for (const [name, value] of Object.entries(mail.vars)) {
    if (name.endsWith('Url') && !isWebUrl(value)) throw new MailTemplateError(`${mail.template}: "${name}" is not an http(s) URL`);
  }
}

/** Marks a variable's place in a translated string, so the HTML renderer can escape the text around it. */
const slot = (name: string) => `\u0001${name}\u0002`;
const SLOT = /\u0001(\w+)\u0002/g;

class Renderer {
  constructor(
    private readonly translator: Translator,
    private readonly language: Language,
    private readonly vars: Record<string, string>,
  ) {}

  text(key: string): string {
    return this.checked(key, this.translate(key, this.vars));
  }

  /** The translated string, HTML-escaped, with URL variables as links and line breaks as <br>. */
  html(key: string): string {
    const slots: TranslationVars = {};
    for (const name of Object.keys(this.vars)) slots[name] = slot(name);
    const translated = this.checked(key, this.translate(key, slots));
    return escapeHtml(translated)
      .replace(SLOT, (_match, name: string) => {
        const value = this.vars[name] ?? '';
        return name.endsWith('Url') ? linkHtml(value, 'color:#0b6e4f;') : escapeHtml(value);
      })
      .replace(/\n/g, '<br>');
  }

  private translate(key: string, vars: TranslationVars): string {
    const fullKey = `email:${key}`;
    if (!this.translator.has(this.language, fullKey)) throw new MailTemplateError(`missing text email:${key} (${this.language})`);
    return this.translator.t(this.language, fullKey, vars);
  }

  private checked(key: string, rendered: string): string {
    if (rendered.includes('{{')) throw new MailTemplateError(`email:${key} (${this.language}) has a variable without a value`);
    return rendered;
  }
}

const STYLE = {
  page: 'margin:0;padding:0;background:#f3f4f6;',
  card: 'max-width:560px;background:#ffffff;border-radius:8px;font-family:Arial,Helvetica,sans-serif;color:#1f2933;font-size:16px;line-height:1.5;',
  heading: 'font-size:22px;line-height:1.3;margin:0 0 16px;color:#1f2933;',
  paragraph: 'margin:0 0 16px;',
  button:
    'display:inline-block;background:#0b6e4f;color:#ffffff;text-decoration:none;font-weight:bold;padding:12px 24px;border-radius:6px;',
  fallback: 'margin:0 0 16px;font-size:14px;color:#52606d;',
  /** Only the address may break anywhere (it has no words); the text around it wraps between words. */
  fallbackLink: 'color:#0b6e4f;word-break:break-all;',
  footer: 'padding:16px 32px 24px;border-top:1px solid #e4e7eb;font-size:13px;line-height:1.5;color:#616e7c;',
};

function htmlDocument(language: Language, subject: string, body: string[], footer: string[]): string {
  const paragraphs = body.join('\n');
  const footnotes = footer.map((line) => `<p style="margin:0 0 8px;">${line}</p>`).join('\n');
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="${STYLE.page}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="${STYLE.page}"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="${STYLE.card}">
<tr><td style="padding:28px 32px 8px;">
${paragraphs}
</td></tr>
<tr><td style="${STYLE.footer}">
${footnotes}
</td></tr>
</table>
</td></tr></table>
</body>
</html>
`;
}

/** Renders one email (subject, plain text and HTML) in the mail's language from locales/<lang>/email.json. */
export function renderMail(translator: Translator, mail: Pick<OutgoingMail, 'template' | 'language' | 'vars'>): RenderedMail {
  validateMail(mail);
  const spec = TEMPLATES[mail.template];
  const vars: Record<string, string> = { supportUrl: defaultSupportUrl(mail.language), ...spec.defaults, ...mail.vars };
  const r = new Renderer(translator, mail.language, vars);
  const own = (key: string) => (key.startsWith('notice.') ? key : `${mail.template}.${key}`);
  const url = spec.action ? (vars[spec.action.urlVar] ?? '') : '';
  const footerKeys = ['layout.help', ...(vars.faqUrl ? ['layout.faq'] : []), 'layout.automated'];

  const subject = r.text(own('subject'));
  const text = [
    r.text(own('heading')),
    r.text('layout.greeting'),
    ...spec.before.map((key) => r.text(own(key))),
    ...(spec.action ? [`${r.text(own(spec.action.key))}:\n${url}`] : []),
    ...spec.after.map((key) => r.text(own(key))),
    r.text('layout.signature'),
    ['--', ...footerKeys.map((key) => r.text(key))].join('\n'),
  ].join('\n\n');

  const p = (content: string) => `<p style="${STYLE.paragraph}">${content}</p>`;
  const body = [
    `<h1 style="${STYLE.heading}">${r.html(own('heading'))}</h1>`,
    p(r.html('layout.greeting')),
    ...spec.before.map((key) => p(r.html(own(key)))),
    ...(spec.action
      ? [
          `<p style="margin:24px 0;"><a href="${escapeHtml(url)}" style="${STYLE.button}">${r.html(own(spec.action.key))}</a></p>`,
          `<p style="${STYLE.fallback}">${r.html('layout.buttonFallback')}<br>${linkHtml(url, STYLE.fallbackLink)}</p>`,
        ]
      : []),
    ...spec.after.map((key) => p(r.html(own(key)))),
    p(r.html('layout.signature')),
  ];
  const html = htmlDocument(mail.language, subject, body, footerKeys.map((key) => r.html(key)));
  return { senderName: r.text('layout.senderName'), subject, text: text + '\n', html };
}
