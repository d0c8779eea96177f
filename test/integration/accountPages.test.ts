import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import vm from 'node:vm';
import restify, { type Server } from 'restify';
import type { Language } from '../../src/domain/language';
import { createLogger } from '../../src/logger';
import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import type { AccountActions } from '../../src/services/installers/accountActions';
import { PasswordCheckPool } from '../../src/services/passwords/passwordCheckPool';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { createLinkTokens } from '../../src/services/tokens/hmacLinkTokens';
import { CONFIRM_LINK_TTL_MS, PASSWORD_LINK_TTL_MS, type LinkTokens } from '../../src/services/tokens/linkTokens';
import { confirmUrl, passwordPageUrl, registerAccountRoutes } from '../../src/web/accountRoutes';
import { localeText } from '../helpers/localeText';
import { escapeHtml } from '../../src/web/pages/layout';
import { registerStaticAssets } from '../../src/web/staticAssets';
import { LogCapture } from '../helpers/logCapture';


type Call = { method: 'setPassword'; installerId: string; password: string } | { method: 'confirmEmail'; installerId: string };

/** AccountActions that records what the pages ask for. */
class RecordingAccount implements AccountActions {
  readonly installers = new Map<string, { email: string; language: Language; confirmed?: boolean }>();
  readonly calls: Call[] = [];
  /** `installerId password` of passwords typed into the chat. */
  readonly typedInChat = new Set<string>();
  failWith: Error | undefined;
  /** What the university portal answers when the page creates the user with the password. */
  portal: 'created' | 'existing' | 'unavailable' | 'refused' = 'created';
  readonly portalUsers: Array<{ installerId: string; password: string }> = [];

  async createPortalUser(installerId: string, password: string) {
    this.portalUsers.push({ installerId, password });
    return this.portal;
  }

  async wasTypedInChat(installerId: string, password: string) {
    return this.typedInChat.has(`${installerId} ${password}`);
  }

  async describe(installerId: string) {
    return this.installers.get(installerId);
  }
  async setPassword(installerId: string, password: string) {
    if (this.failWith) throw this.failWith;
    this.calls.push({ method: 'setPassword', installerId, password });
  }
  async confirmEmail(installerId: string) {
    if (this.failWith) throw this.failWith;
    this.calls.push({ method: 'confirmEmail', installerId });
    const installer = this.installers.get(installerId);
    if (installer) installer.confirmed = true;
  }
}

const NB_INSTALLER = 'ola@elektro.no';
const EN_INSTALLER = 'sam@sparks.co.uk';
const STRONG = 'Ladestasjon-Bergen-2026!';

describe('account pages (password page, confirmation link)', () => {
  let dir: string;
  let store: DocumentStore;
  let server: Server;
  let base: string;
  let translator: Translator;
  let tokens: LinkTokens;
  let clock: number;
  const passwords = new PasswordCheckPool();
  const account = new RecordingAccount();
  const logs = new LogCapture();
  const issuedTokens: string[] = [];
  const typedPasswords: string[] = [];

  const t = (language: Language, key: string, vars?: Record<string, number>) => escapeHtml(translator.t(language, `pages:${key}`, vars));

  async function issue(purpose: 'password' | 'confirm', installerId: string): Promise<string> {
    const token = await tokens.issue(purpose, installerId, purpose === 'password' ? PASSWORD_LINK_TTL_MS : CONFIRM_LINK_TTL_MS);
    issuedTokens.push(token);
    return token;
  }

  function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(base + pathAndQuery, { headers, redirect: 'manual' });
  }

  function postPassword(fields: Record<string, string>): Promise<Response> {
    if (fields.password) typedPasswords.push(fields.password);
    if (fields.confirmation) typedPasswords.push(fields.confirmation);
    return fetch(`${base}/account/password`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
  }

  const langOf = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];

  /** The <div class="field…"> block of one form field. */
  function fieldBlock(html: string, field: string): string {
    const match = new RegExp(`<div class="field[^"]*">\\s*<label for="${field}">[\\s\\S]*?</div>`).exec(html);
    if (!match) throw new Error(`no field ${field} in page`);
    return match[0];
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-pages-'));
    store = await openDocumentStore('sqlite://' + path.join(dir, 'store.sqlite'));
    translator = await createTranslator();
    clock = Date.now();
    tokens = createLinkTokens(store, randomBytes(48), () => clock);
    account.installers.set(NB_INSTALLER, { email: NB_INSTALLER, language: 'nb' });
    account.installers.set(EN_INSTALLER, { email: EN_INSTALLER, language: 'en' });

    server = restify.createServer({ handleUncaughtExceptions: false });
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    registerStaticAssets(server);
    registerAccountRoutes(server, { tokens, account, checkPassword: passwords.check, translator, logger: createLogger({ level: 'debug', destination: logs }) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await store.close();
    await passwords.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    account.calls.length = 0;
    account.failWith = undefined;
  });

  describe('GET /account/password', () => {
    it('shows the form in the installer’s language (nb) with the account’s email', async () => {
      const token = await issue('password', NB_INSTALLER);
      const res = await get(`/account/password?token=${encodeURIComponent(token)}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
      const html = await res.text();
      expect(langOf(html)).toBe('nb');
      expect(html).toContain(`<label for="password">${t('nb', 'password.passwordLabel')}</label>`);
      expect(html).toContain(`<label for="confirmation">${t('nb', 'password.confirmationLabel')}</label>`);
      expect(html).toContain(t('nb', 'password.submit'));
      expect(html).toContain(escapeHtml(NB_INSTALLER));
      expect(html).toContain(`<input type="hidden" name="token" value="${escapeHtml(token)}">`);
      expect(fieldBlock(html, 'password')).toContain('autocomplete="new-password"');
      expect(fieldBlock(html, 'confirmation')).toContain('autocomplete="new-password"');
      expect(html).toContain('name="viewport"');
      expect(html).not.toContain('role="alert"');
      expect(html).not.toContain('aria-invalid');
      // teams-js only where it is needed
      expect(html).not.toContain('teams-js');
      // the language switch points at the same page in English
      const switchLink = /<a href="([^"]+)" lang="en" hreflang="en">([^<]+)<\/a>/.exec(html);
      expect(switchLink?.[2]).toBe(t('nb', 'common.switchLanguage'));
      expect(switchLink?.[1]).toBe(escapeHtml(`/account/password?token=${encodeURIComponent(token)}&lang=en`));
      // a check does not use the token up
      expect((await get(`/account/password?token=${encodeURIComponent(token)}`)).status).toBe(200);
    });

    it('shows the form in English for an English installer, and ?lang overrides it', async () => {
      const token = await issue('password', EN_INSTALLER);
      const en = await (await get(`/account/password?token=${encodeURIComponent(token)}`)).text();
      expect(langOf(en)).toBe('en');
      expect(en).toContain(`<label for="password">${t('en', 'password.passwordLabel')}</label>`);
      expect(en).toContain(t('en', 'password.heading'));
      expect(t('en', 'password.heading')).not.toEqual(t('nb', 'password.heading'));

      const nb = await (await get(`/account/password?token=${encodeURIComponent(token)}&lang=nb`)).text();
      expect(langOf(nb)).toBe('nb');
      expect(nb).toContain(t('nb', 'password.heading'));
      expect(nb).toContain('<input type="hidden" name="lang" value="nb">');
    });

    it('sends the security headers and allows framing by Teams only', async () => {
      const token = await issue('password', NB_INSTALLER);
      const res = await get(`/account/password?token=${encodeURIComponent(token)}`);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBeNull();
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.skype.com https://*.cloud.microsoft");
      expect(csp).toContain("form-action 'self'");
      // the inline style is allowed by this response's nonce
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(await res.text()).toContain(`<style nonce="${nonce}">`);
    });

    it('explains an expired link (410) and says how to get a new one', async () => {
      const token = await issue('password', NB_INSTALLER);
      clock += PASSWORD_LINK_TTL_MS + 1;
      try {
        const res = await get(`/account/password?token=${encodeURIComponent(token)}&lang=nb`);
        expect(res.status).toBe(410);
        const html = await res.text();
        expect(html).toContain(t('nb', 'problem.password.expired.heading'));
        expect(html).toContain(t('nb', 'problem.password.expired.body', { minutes: 30 }));
        expect(html).toContain(t('nb', 'problem.hint.password'));
        expect(html).not.toContain('<form');
      } finally {
        clock -= PASSWORD_LINK_TTL_MS + 1;
      }
    });

    it('says a tampered link does not work (400), in the browser’s language', async () => {
      const token = await issue('password', NB_INSTALLER);
      const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
      const res = await get(`/account/password?token=${encodeURIComponent(tampered)}`, { 'accept-language': 'de-DE, en-GB;q=0.8, nb;q=0.5' });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(langOf(html)).toBe('en');
      expect(html).toContain(t('en', 'problem.password.invalid.heading'));
      expect(html).toContain(t('en', 'problem.hint.password'));
      expect(res.headers.get('cache-control')).toBe('no-store');

      const missing = await get('/account/password', { 'accept-language': 'nb-NO' });
      expect(missing.status).toBe(400);
      expect(langOf(await missing.text())).toBe('nb');
    });

    it('refuses a confirmation token on the password page (wrong_purpose) without using it up', async () => {
      const confirm = await issue('confirm', NB_INSTALLER);
      const res = await get(`/account/password?token=${encodeURIComponent(confirm)}&lang=nb`);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(t('nb', 'problem.password.wrong_purpose.heading'));
      expect(html).toContain(t('nb', 'problem.hint.password'));
      expect((await get(`/confirm?token=${encodeURIComponent(confirm)}`)).status).toBe(200);
    });

    it('says an older link was replaced once a newer one has been sent', async () => {
      const older = await issue('password', NB_INSTALLER);
      await issue('password', NB_INSTALLER);
      const res = await get(`/account/password?token=${encodeURIComponent(older)}`);
      expect(res.status).toBe(410);
      const html = await res.text();
      expect(html).toContain(escapeHtml(localeText('nb', 'pages:problem.password.replaced.heading')));
      expect(html).toContain(escapeHtml(localeText('nb', 'pages:problem.password.replaced.body')));
    });
  });

  describe('POST /account/password', () => {
    it('re-shows the form (422) with the mismatch next to the confirmation field, never echoing the password', async () => {
      const token = await issue('password', NB_INSTALLER);
      const res = await postPassword({ token, password: STRONG, confirmation: 'Ladestasjon-Bergen-2025!' });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(langOf(html)).toBe('nb');
      expect(html).not.toContain(STRONG);
      expect(html).not.toContain('Ladestasjon-Bergen-2025!');
      expect(html).not.toMatch(/<input[^>]*type="password"[^>]*value=/);

      const confirmation = fieldBlock(html, 'confirmation');
      expect(confirmation).toContain(`<p class="field-error" id="confirmation-error">${t('nb', 'password.errors.confirmation.mismatch')}</p>`);
      expect(confirmation).toContain('aria-describedby="confirmation-error"');
      expect(confirmation).toContain('aria-invalid="true"');
      const password = fieldBlock(html, 'password');
      expect(password).not.toContain('aria-invalid');
      expect(password).not.toContain('field-error');

      expect(html).toMatch(/<div class="error-summary" role="alert"/);
      expect(html).toContain(`<a href="#confirmation">${t('nb', 'password.errors.confirmation.mismatch')}</a>`);
      expect(html).toMatch(/<title>Feil: /);
      expect(account.calls).toEqual([]);
      // the token is not used up by a refused attempt
      expect((await get(`/account/password?token=${encodeURIComponent(token)}`)).status).toBe(200);
    });

    it('shows policy problems next to the password field in the form’s language', async () => {
      const token = await issue('password', NB_INSTALLER);
      const res = await postPassword({ token, lang: 'en', password: 'abc123', confirmation: 'abc123' });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(langOf(html)).toBe('en');
      const password = fieldBlock(html, 'password');
      expect(password).toContain(t('en', 'password.errors.password.too_short'));
      expect(password).toContain(t('en', 'password.errors.password.common'));
      expect(password).toContain('aria-describedby="password-hint password-error"');
      expect(password).toContain('aria-invalid="true"');
      expect(fieldBlock(html, 'confirmation')).not.toContain('aria-invalid');

      const emailAsPassword = await postPassword({ token, password: NB_INSTALLER, confirmation: NB_INSTALLER });
      expect(emailAsPassword.status).toBe(422);
      expect(fieldBlock(await emailAsPassword.text(), 'password')).toContain(t('nb', 'password.errors.password.is_email'));
      expect(account.calls).toEqual([]);
    });

    it('refuses a password the installer typed into the chat, saying why, and saves nothing', async () => {
      const typed = 'Fjellvann-Trondheim-88';
      account.typedInChat.add(`${NB_INSTALLER} ${typed}`);
      const token = await issue('password', NB_INSTALLER);
      const before = account.calls.length;
      const res = await postPassword({ token, password: typed, confirmation: typed });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain(escapeHtml(localeText('nb', 'pages:password.errors.password.in_chat')));
      expect(html).not.toContain(typed);
      expect(account.calls.length).toBe(before);
      account.typedInChat.clear();
    });

    it.each([
      ['unavailable', 503, 'pages:password.errors.password.portal_unavailable'],
      ['refused', 422, 'pages:password.errors.password.portal_refused'],
    ] as const)('the university portal %s: the form again with the reason, nothing saved, the link still works', async (answer, status, key) => {
      const token = await issue('password', NB_INSTALLER);
      const before = account.calls.length;
      account.portal = answer;
      const res = await postPassword({ token, password: STRONG, confirmation: STRONG });
      account.portal = 'created';
      expect(res.status).toBe(status);
      const html = await res.text();
      expect(html).toContain(escapeHtml(localeText('nb', key)));
      expect(html).not.toContain(STRONG);
      expect(account.calls.length).toBe(before);
      // the portal got the password in this request (the only moment it exists in clear)
      expect(account.portalUsers.at(-1)).toEqual({ installerId: NB_INSTALLER, password: STRONG });
      // tried again a minute later: saved
      const again = await postPassword({ token, password: STRONG, confirmation: STRONG });
      expect(again.status).toBe(200);
      expect(account.calls.at(-1)).toEqual({ method: 'setPassword', installerId: NB_INSTALLER, password: STRONG });
    });

    it('opened in a browser tab: the success page neither loads the Teams SDK nor says the window closes', async () => {
      const token = await issue('password', EN_INSTALLER);
      const form = await (await get(`/account/password?token=${encodeURIComponent(token)}`)).text();
      expect(form).not.toContain('name="host"');
      const res = await postPassword({ token, password: STRONG, confirmation: STRONG, lang: 'en' });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(t('en', 'saved.heading'));
      expect(html).not.toContain('teams-js');
      expect(html).not.toContain(escapeHtml(localeText('en', 'pages:saved.teams')));
    });

    it('saves a good password once, shows the success page that closes the Teams dialog, then the link is used', async () => {
      const token = await issue('password', NB_INSTALLER);
      // opened from Teams (task/fetch adds host=teams); the form carries it to the POST
      const form = await (await get(`/account/password?token=${encodeURIComponent(token)}&host=teams`)).text();
      expect(form).toContain('<input type="hidden" name="host" value="teams">');
      const res = await postPassword({ token, password: STRONG, confirmation: STRONG, host: 'teams' });
      expect(res.status).toBe(200);
      expect(account.calls).toEqual([{ method: 'setPassword', installerId: NB_INSTALLER, password: STRONG }]);
      const html = await res.text();
      expect(langOf(html)).toBe('nb');
      expect(html).toContain(t('nb', 'saved.heading'));
      expect(html).toContain(t('nb', 'saved.body'));
      expect(html).toContain(t('nb', 'saved.next'));
      expect(html).not.toContain(STRONG);
      expect(html).toMatch(/<script src="\/static\/teams-js\.js\?v=[^"]+" nonce="[^"]+"><\/script>/);
      expect(html).toContain('teams.app.initialize()');
      expect(html).toContain('teams.dialog.url.submit({"passwordSet":true})');
      expect(html).toContain(escapeHtml(localeText('nb', 'pages:saved.teams')));
      expect(html).toMatch(/try \{/);
      expect(res.headers.get('cache-control')).toBe('no-store');

      const again = await postPassword({ token, password: STRONG, confirmation: STRONG });
      expect(again.status).toBe(410);
      const againHtml = await again.text();
      expect(againHtml).toContain(t('nb', 'problem.password.used.heading'));
      expect(againHtml).toContain(t('nb', 'problem.hint.password'));
      const reopened = await get(`/account/password?token=${encodeURIComponent(token)}`);
      expect(reopened.status).toBe(410);
      expect(account.calls).toHaveLength(1);
    });

    it('the success page script submits { passwordSet: true } inside Teams and does nothing elsewhere', async () => {
      const token = await issue('password', NB_INSTALLER);
      const html = await (await postPassword({ token, password: STRONG, confirmation: STRONG, host: 'teams' })).text();
      const inline = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(html)?.[1];
      expect(inline).toBeDefined();
      const flush = () => new Promise((resolve) => setTimeout(resolve, 20));
      /** Runs the page's inline script against a fake window; timers fire on the next turn. */
      const run = (microsoftTeams: unknown) => {
        const window = { microsoftTeams };
        vm.runInNewContext(inline ?? '', { window, Promise, setTimeout: (fn: () => void) => setImmediate(fn) });
      };

      const submitted: unknown[] = [];
      const initialized: string[] = [];
      run({
        app: { initialize: async () => void initialized.push('init') },
        dialog: { url: { submit: (result: unknown) => void submitted.push(result) } },
      });
      await flush();
      expect(initialized).toEqual(['init']);
      expect(submitted).toEqual([{ passwordSet: true }]);

      // A browser tab: teams-js missing, or initialize failing, or submit throwing: nothing escapes.
      expect(() => run(undefined)).not.toThrow();
      const notSubmitted: unknown[] = [];
      run({ app: { initialize: () => Promise.reject(new Error('no host')) }, dialog: { url: { submit: (r: unknown) => void notSubmitted.push(r) } } });
      run({ app: { initialize: async () => undefined }, dialog: { url: { submit: () => { throw new Error('not in a dialog'); } } } });
      await flush();
      expect(notSubmitted).toEqual([]);
    });

    it('two submissions of one form at once: the password is set exactly once', async () => {
      const token = await issue('password', EN_INSTALLER);
      const results = await Promise.all([
        postPassword({ token, password: STRONG, confirmation: STRONG }),
        postPassword({ token, password: STRONG, confirmation: STRONG }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
      expect(account.calls).toEqual([{ method: 'setPassword', installerId: EN_INSTALLER, password: STRONG }]);
    });

    it('a POST without a token or with a confirmation token is refused', async () => {
      const missing = await postPassword({ password: STRONG, confirmation: STRONG, lang: 'en' });
      expect(missing.status).toBe(400);
      expect(await missing.text()).toContain(t('en', 'problem.password.invalid.heading'));
      const confirm = await issue('confirm', NB_INSTALLER);
      const wrong = await postPassword({ token: confirm, password: STRONG, confirmation: STRONG });
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain(t('nb', 'problem.password.wrong_purpose.heading'));
      expect(account.calls).toEqual([]);
    });

    it('a failure behind the page gives the localized error page (500) without a stack trace, and logs no token', async () => {
      const token = await issue('password', EN_INSTALLER);
      account.failWith = new Error(`storage unavailable while handling ${token}`);
      const res = await postPassword({ token, password: STRONG, confirmation: STRONG });
      expect(res.status).toBe(500);
      const html = await res.text();
      expect(langOf(html)).toBe('en');
      expect(html).toContain(t('en', 'error.heading'));
      expect(html).toContain(t('en', 'error.body'));
      expect(html).not.toContain('storage unavailable');
      expect(html).not.toMatch(/\n\s+at /);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(logs.text).toContain('account page failed');
    });
  });

  describe('GET /confirm', () => {
    it('confirms the email once; a mail scanner\'s GET before the person\'s click uses nothing up, and a second click says there is nothing to do', async () => {
      const token = await issue('confirm', EN_INSTALLER);
      // a link scanner (Safe Links, a mail gateway) opens it first
      const scanner = await get(`/confirm?token=${encodeURIComponent(token)}`);
      expect(scanner.status).toBe(200);
      expect(account.calls).toEqual([{ method: 'confirmEmail', installerId: EN_INSTALLER }]);
      const html = await scanner.text();
      expect(langOf(html)).toBe('en');
      expect(html).toContain(t('en', 'confirmed.heading'));
      expect(html).toContain(t('en', 'confirmed.next'));
      expect(html).not.toContain('teams-js');
      expect(scanner.headers.get('referrer-policy')).toBe('no-referrer');

      // then the person clicks: not "already used", but "already confirmed, nothing to do"
      const again = await get(`/confirm?token=${encodeURIComponent(token)}&lang=nb`);
      expect(again.status).toBe(200);
      const againHtml = await again.text();
      expect(langOf(againHtml)).toBe('nb');
      expect(againHtml).toContain(escapeHtml(localeText('nb', 'pages:alreadyConfirmed.heading')));
      expect(againHtml).not.toContain(t('nb', 'problem.confirm.used.heading'));
      expect(account.calls).toHaveLength(1);
    });

    it('a link replaced by a newer one says so; a link to an address corrected or deleted since gets a clear page, not an error', async () => {
      account.installers.set('moved@elektro.no', { email: 'moved@elektro.no', language: 'nb' });
      const older = await issue('confirm', 'moved@elektro.no');
      await issue('confirm', 'moved@elektro.no');
      const replaced = await get(`/confirm?token=${encodeURIComponent(older)}&lang=en`);
      expect(replaced.status).toBe(410);
      expect(await replaced.text()).toContain(escapeHtml(localeText('en', 'pages:problem.confirm.replaced.heading')));

      const stale = await issue('confirm', 'gone@elektro.no');
      const res = await get(`/confirm?token=${encodeURIComponent(stale)}&lang=nb`);
      expect(res.status).toBe(410);
      expect(await res.text()).toContain(escapeHtml(localeText('nb', 'pages:problem.confirm.replaced.body')));
      expect(account.calls.filter((c) => c.installerId === 'gone@elektro.no')).toEqual([]);
    });

    it('explains expired, tampered and wrong-purpose confirmation links', async () => {
      const expired = await issue('confirm', NB_INSTALLER);
      clock += CONFIRM_LINK_TTL_MS;
      try {
        const res = await get(`/confirm?token=${encodeURIComponent(expired)}&lang=en`);
        expect(res.status).toBe(410);
        const html = await res.text();
        expect(html).toContain(t('en', 'problem.confirm.expired.heading'));
        expect(html).toContain(t('en', 'problem.confirm.expired.body', { hours: 48 }));
        expect(html).toContain(t('en', 'problem.hint.confirm'));
      } finally {
        clock -= CONFIRM_LINK_TTL_MS;
      }

      const tampered = await get(`/confirm?token=${encodeURIComponent('x' + (await issue('confirm', NB_INSTALLER)))}&lang=nb`);
      expect(tampered.status).toBe(400);
      expect(await tampered.text()).toContain(t('nb', 'problem.confirm.invalid.heading'));

      const password = await issue('password', NB_INSTALLER);
      const wrong = await get(`/confirm?token=${encodeURIComponent(password)}&lang=nb`);
      expect(wrong.status).toBe(400);
      expect(await wrong.text()).toContain(t('nb', 'problem.confirm.wrong_purpose.heading'));
      expect(account.calls).toEqual([]);
    });
  });

  describe('language switch on message pages and static assets', () => {
    it('the switch link of a problem page leads to the same message in the other language', async () => {
      const res = await get('/account/password?token=nonsense&lang=nb');
      const html = await res.text();
      const href = /<a href="([^"]+)" lang="en" hreflang="en">/.exec(html)?.[1];
      expect(href).toBe('/account/message/password-invalid?lang=en');
      const switched = await get(href ?? '');
      expect(switched.status).toBe(200);
      const switchedHtml = await switched.text();
      expect(langOf(switchedHtml)).toBe('en');
      expect(switchedHtml).toContain(t('en', 'problem.password.invalid.heading'));
      expect((await get('/account/message/nothing-here')).status).toBe(404);
    });

    it('serves teams-js with a cache header', async () => {
      const res = await get('/static/teams-js.js');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      const body = await res.text();
      expect(body.length).toBeGreaterThan(100_000);
      expect(body).toContain('microsoftTeams');
      const css = await get('/static/site.css');
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    });
  });

  it('builds link URLs the pages accept', () => {
    expect(passwordPageUrl('https://bot.example.no/', 'abc.def', 'en')).toBe('https://bot.example.no/account/password?token=abc.def&lang=en');
    expect(confirmUrl('https://bot.example.no', 'abc.def')).toBe('https://bot.example.no/confirm?token=abc.def');
  });

  it('never logs a token or a password', () => {
    expect(issuedTokens.length).toBeGreaterThan(10);
    expect(typedPasswords.length).toBeGreaterThan(5);
    expect(logs.lines.length).toBeGreaterThan(5);
    for (const token of issuedTokens) {
      expect(logs.text).not.toContain(token);
      expect(logs.text).not.toContain(token.split('.')[1]);
    }
    for (const password of typedPasswords) expect(logs.text).not.toContain(password);
  });
});
