import fs from 'node:fs';
import path from 'node:path';
import { LANGUAGES, type Language } from '../../src/domain/language';
import { REGION_LINKS } from '../../src/domain/journey';
import { createTranslator, localesDir, type Translator } from '../../src/services/i18n/translator';
import type { MailTemplate } from '../../src/services/mail/mailer';
import { MAIL_TEMPLATES, MailTemplateError, renderMail } from '../../src/services/mail/templates';

const VARS: Record<MailTemplate, Record<string, string>> = {
  confirmation: { confirmUrl: 'https://assistant.example.no/confirm?token=tok-123' },
  linkCode: { code: '048213', channel: 'Teams', minutes: '10' },
  accountConfirmed: { chatUrl: 'https://assistant.example.no/chat' },
  dataExport: {},
  invitation: { invitationUrl: 'https://assistant.example.no/account/invitation?token=tok-456', days: '14' },
  passwordSetNotice: { chatUrl: 'https://assistant.example.no/' },
  stationLocalizedNotice: { chatUrl: 'https://assistant.example.no/' },
  coursesReadyNotice: { chatUrl: 'https://assistant.example.no/' },
  courseCompletedNotice: { chatUrl: 'https://assistant.example.no/' },
  certifiedNotice: { chatUrl: 'https://assistant.example.no/' },
  accountActivatedNotice: { chatUrl: 'https://assistant.example.no/' },
  agentJoinedNotice: { chatUrl: 'https://assistant.example.no/', agentName: 'Ingrid' },
  agentMessageNotice: { chatUrl: 'https://assistant.example.no/', agentName: 'Ingrid', text: 'Prøv å starte laderen på nytt.' },
  handoffClosedNotice: { chatUrl: 'https://assistant.example.no/' },
  emailCorrectedNotice: { chatUrl: 'https://assistant.example.no/' },
  passwordLink: { passwordUrl: 'https://assistant.example.no/account/password?token=tok-123' },
  supportTicket: { number: '1042', ticketUrl: 'https://assistant.example.no/agent/tickets/abc', maskedEmail: 'o***n@firma.no', region: 'global', stage: 'registered', language: 'nb' },
  supportByEmail: { number: '1042' },
  supportReply: { number: '1042', agentName: 'Kari', message: 'Try the new link.' },
};
/** The button's link; the code mail has no button (its code is typed into the chat). */
const ACTION_URL_VAR: Record<MailTemplate, string | undefined> = {
  confirmation: 'confirmUrl',
  linkCode: undefined,
  accountConfirmed: 'chatUrl',
  dataExport: undefined,
  invitation: 'invitationUrl',
  passwordSetNotice: 'chatUrl',
  stationLocalizedNotice: 'chatUrl',
  coursesReadyNotice: 'chatUrl',
  courseCompletedNotice: 'chatUrl',
  certifiedNotice: 'chatUrl',
  accountActivatedNotice: 'chatUrl',
  agentJoinedNotice: 'chatUrl',
  agentMessageNotice: 'chatUrl',
  handoffClosedNotice: 'chatUrl',
  emailCorrectedNotice: 'chatUrl',
  passwordLink: 'passwordUrl',
  supportTicket: 'ticketUrl',
  supportByEmail: undefined,
  supportReply: undefined,
};
/** Without a region, a mail's footer names ChargePoint's European support page in the mail's language. */
const SUPPORT_URL: Record<Language, string> = { nb: 'https://www.chargepoint.com/no-no/support', en: 'https://www.chargepoint.com/en-gb/support' };

type Json = string | { [key: string]: Json };

function flatten(value: Json, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else for (const [key, child] of Object.entries(value)) for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  return out;
}

const variablesOf = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

let translator: Translator;
beforeAll(async () => {
  translator = await createTranslator();
});

describe('locales/*/email.json', () => {
  const read = (language: Language) =>
    flatten(JSON.parse(fs.readFileSync(path.join(localesDir(), language, 'email.json'), 'utf8')) as Json);

  it('has the same keys and the same {{variables}} in nb and en', () => {
    const nb = read('nb');
    const en = read('en');
    expect([...nb.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of nb) {
      expect({ key, vars: variablesOf(text) }).toEqual({ key, vars: variablesOf(en.get(key) ?? '') });
      expect({ key, empty: text.trim() === '' }).toEqual({ key, empty: false });
    }
  });
});

describe('renderMail', () => {
  const cases = MAIL_TEMPLATES.flatMap((template) => LANGUAGES.map((language) => ({ template, language })));

  it.each(cases)('renders $template in $language completely', ({ template, language }) => {
    const vars = { ...VARS[template], faqUrl: REGION_LINKS.global.faq };
    const mail = renderMail(translator, { template, language, vars });
    for (const part of [mail.subject, mail.text, mail.html]) {
      expect(part).not.toMatch(/\{\{|\}\}|email:|undefined/);
      expect(part.trim().length).toBeGreaterThan(0);
    }
    const urlVar = ACTION_URL_VAR[template];
    if (urlVar) {
      const url = vars[urlVar as keyof typeof vars];
      expect(mail.text).toContain(url);
      expect(mail.html).toContain(`href="${url}"`);
    }
    expect(mail.html).toContain(`<html lang="${language}">`);
    expect(mail.text).toContain(SUPPORT_URL[language]);
    expect(mail.html).toContain(`href="${SUPPORT_URL[language]}"`);
    expect(mail.text).not.toContain('guest-help-na-station-issues');
    expect(mail.text).toContain(REGION_LINKS.global.faq);
    expect(mail.html).toContain(`href="${REGION_LINKS.global.faq}"`);
    expect(mail.subject).not.toContain('\n');
  });

  it('leaves the FAQ line out when no faqUrl is given', () => {
    const withFaq = renderMail(translator, { template: 'confirmation', language: 'en', vars: { ...VARS.confirmation, faqUrl: REGION_LINKS.na.faq } });
    const without = renderMail(translator, { template: 'confirmation', language: 'en', vars: VARS.confirmation });
    expect(withFaq.text).toContain(REGION_LINKS.na.faq);
    expect(without.text).not.toContain(REGION_LINKS.na.faq);
    expect(without.text.split('\n').length).toBe(withFaq.text.split('\n').length - 1);
  });

  it('tells how long the confirmation link is valid and mentions the spam folder', () => {
    const nb = renderMail(translator, { template: 'confirmation', language: 'nb', vars: VARS.confirmation });
    const en = renderMail(translator, { template: 'confirmation', language: 'en', vars: VARS.confirmation });
    expect(nb.text).toContain('48 timer');
    expect(nb.text).toMatch(/søppelpost/);
    expect(en.text).toContain('48 hours');
    expect(en.text).toMatch(/spam/);
  });

  it('the code mail gives the code, where it was asked for, how long it works, and what to do if it was not you', () => {
    const nb = renderMail(translator, { template: 'linkCode', language: 'nb', vars: VARS.linkCode });
    const en = renderMail(translator, { template: 'linkCode', language: 'en', vars: VARS.linkCode });
    for (const mail of [nb, en]) {
      expect(mail.subject).toContain('048213');
      expect(mail.text).toContain('048213');
      expect(mail.text).toContain('Teams');
      expect(mail.html).not.toContain('<a href="undefined"');
    }
    expect(nb.text).toContain('10 minutter');
    expect(nb.text).toContain('Var det ikke du?');
    expect(en.text).toContain('10 minutes');
    expect(en.text).toContain("Wasn't you?");
  });

  it('the invitation says how long its link works, that it works once, and what to type when it has expired', () => {
    const nb = renderMail(translator, { template: 'invitation', language: 'nb', vars: VARS.invitation });
    const en = renderMail(translator, { template: 'invitation', language: 'en', vars: VARS.invitation });
    expect(nb.text).toContain('14 dager, og bare én gang');
    expect(nb.text).toContain('«send på nytt»');
    expect(en.text).toContain('14 days, and only once');
    expect(en.text).toContain('"resend"');
    expect(nb.html).toContain('>Sett opp montørkontoen</a>');
    expect(en.html).toContain('>Set up installer account</a>');
  });

  it.each(MAIL_TEMPLATES)('%s differs between nb and en', (template) => {
    const nb = renderMail(translator, { template, language: 'nb', vars: VARS[template] });
    const en = renderMail(translator, { template, language: 'en', vars: VARS[template] });
    expect(nb.subject).not.toBe(en.subject);
    expect(nb.text).not.toBe(en.text);
    expect(nb.html).not.toBe(en.html);
  });

  it('escapes variable values in the HTML part', () => {
    const hostileUrl = 'https://evil.example/?q="><script>alert(1)</script>';
    const mail = renderMail(translator, {
      template: 'confirmation',
      language: 'nb',
      vars: { confirmUrl: hostileUrl, hours: '<script>alert(2)</script>' },
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('q="');
    expect(mail.html).toContain('href="https://evil.example/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(mail.html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(mail.text).toContain('<script>alert(2)</script>');
  });

  it('rejects a missing link and a link that is not http(s)', () => {
    expect(() => renderMail(translator, { template: 'confirmation', language: 'nb', vars: {} })).toThrow(MailTemplateError);
    expect(() =>
      renderMail(translator, { template: 'accountConfirmed', language: 'en', vars: { chatUrl: 'javascript:alert(1)' } }),
    ).toThrow(MailTemplateError);
  });
});
