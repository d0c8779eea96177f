import type { AddressInfo } from 'node:net';
import restify, { type Server } from 'restify';
import { addAgent } from '../../scripts/agent-add';
import { createLogger } from '../../src/logger';
import { createTranslator } from '../../src/services/i18n/translator';
import { DEFAULT_LIMITS, Limits } from '../../src/services/limits/limits';
import { AgentAccounts } from '../../src/services/support/agentAccounts';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { registerAgentConsole } from '../../src/web/agent';
import { startApp, tempDir, type Harness } from '../helpers/appHarness';
import { cookiePair, formBody, setCookie, signIn, signInForm, signedInClient } from '../helpers/agentConsoleClient';
import { FakeSupportDesk } from '../helpers/fakeSupportDesk';
import { localeText } from '../helpers/localeText';
import { LogCapture } from '../helpers/logCapture';
import { wellInsideRateWindow } from '../helpers/rateWindows';

const KARI = { email: 'kari.support@ladefirma.no', firstName: 'Kari', password: 'Kø-for-montører-2026' };

let ipCounter = 10;
/** Each test signs in from its own address (the app trusts the loopback proxy), so the sign-in limit of one does not touch another. */
const fromNewAddress = (): Record<string, string> => ({ 'x-forwarded-for': `198.51.100.${ipCounter++}` });

/** Every console route that needs a session (method, path). */
const SESSION_ROUTES: Array<[string, string]> = [
  ['GET', '/agent/tickets/t1001'],
  ['GET', '/agent/tickets/t1001/partial'],
  ['GET', '/agent/partials/queue'],
  ['GET', '/agent/events'],
  ['GET', '/agent/api/session'],
  ['GET', '/agent/api/queue'],
  ['GET', '/agent/api/tickets/t1001'],
  ['POST', '/agent/sign-out'],
  ['POST', '/agent/language'],
  ['POST', '/agent/tickets/t1001/accept'],
  ['POST', '/agent/tickets/t1001/reply'],
  ['POST', '/agent/tickets/t1001/close'],
  ['POST', '/agent/tickets/t1001/actions'],
  ['POST', '/agent/api/tickets/t1001/accept'],
  ['POST', '/agent/api/tickets/t1001/reply'],
  ['POST', '/agent/api/tickets/t1001/close'],
  ['POST', '/agent/api/tickets/t1001/actions'],
];
const POST_ROUTES = SESSION_ROUTES.filter(([method]) => method === 'POST').map(([, path]) => path);

describe('agent console over HTTP (the real app, a fake desk)', () => {
  let harness: Harness;
  let desk: FakeSupportDesk;

  beforeAll(async () => {
    desk = new FakeSupportDesk();
    harness = await startApp({ TRUSTED_PROXIES: '127.0.0.1' }, tempDir(), { supportDesk: desk });
    await addAgent(harness.app.store, KARI);
  }, 60_000);

  afterAll(async () => {
    await harness?.stop();
  });

  let agents = 0;
  /** A fresh agent account (agent:add) signed in: each test has its own, as the sign-in limit counts per email too. */
  async function agentClient(firstName: string, headers: Record<string, string> = fromNewAddress()) {
    agents += 1;
    const account = { email: `${firstName.toLowerCase()}.${agents}@ladefirma.no`, firstName, password: `Support-${firstName}-${agents}-passord` };
    await addAgent(harness.app.store, account);
    return signedInClient(harness.url, account.email, account.password, headers);
  }

  beforeEach(() => {
    desk.tickets.clear();
    desk.calls.length = 0;
  });

  it.each(SESSION_ROUTES)('%s %s without a session → 401', async (method, path) => {
    desk.open({ language: 'nb' });
    for (const cookie of [undefined, 'agent_session=not-a-session-at-all-but-long-enough']) {
      const response = await fetch(`${harness.url}${path}`, { method, redirect: 'manual', headers: { ...fromNewAddress(), ...(cookie ? { cookie } : {}), 'content-type': 'application/x-www-form-urlencoded' }, body: method === 'POST' ? 'csrf=x' : undefined });
      expect(response.status).toBe(401);
      await response.body?.cancel();
    }
    expect(desk.calls).toEqual([]);
  });

  it.each([
    ['nb', 'nb-NO,nb;q=0.9'],
    ['en', 'en-GB,en;q=0.9'],
  ] as const)('GET /agent without a session: 401 with the sign-in form in the browser language (%s)', async (language, acceptLanguage) => {
    const form = await signInForm(harness.url, { 'accept-language': acceptLanguage });
    expect(form.response.status).toBe(401);
    expect(form.html).toContain(`<html lang="${language}">`);
    expect(form.html).toContain(localeText(language, 'agent:signIn.title'));
    expect(form.html).toContain(localeText(language, 'agent:signIn.required'));
    expect(form.formToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(form.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(form.response.headers.get('cache-control')).toBe('no-store');
  });

  it('agent:add makes an account that signs in; the session cookie is HttpOnly, SameSite=Strict, under /agent, not Secure on http', async () => {
    const { response } = await signIn(harness.url, KARI.email, KARI.password, fromNewAddress());
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/agent');
    const header = setCookie(response, 'agent_session')!;
    expect(header).toMatch(/^agent_session=[A-Za-z0-9_-]{40,}; /);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
    expect(header).toContain('Path=/agent');
    expect(header).not.toContain('Secure');
    // the session is stored on the server: the cookie holds only an id
    const queue = await fetch(`${harness.url}/agent`, { headers: { cookie: cookiePair(header) } });
    expect(queue.status).toBe(200);
    expect(await queue.text()).toContain(localeText('nb', 'agent:signedInAs', { name: 'Kari' }));
  });

  it('a wrong password and an unknown email get the same answer, which does not say which part was wrong', async () => {
    const headers = { ...fromNewAddress(), 'accept-language': 'en' };
    const wrongPassword = await signIn(harness.url, KARI.email, 'Not-the-password-2026', headers);
    const unknownEmail = await signIn(harness.url, 'nobody.here@ladefirma.no', KARI.password, headers);
    const pages: string[] = [];
    for (const attempt of [wrongPassword, unknownEmail]) {
      expect(attempt.response.status).toBe(401);
      expect(attempt.sessionCookie).toBeUndefined();
      const html = await attempt.response.text();
      expect(html).toContain(localeText('en', 'agent:signIn.wrong'));
      // the same page but for the fields' values (the form's new token, the email typed) and the nonce
      pages.push(html.replace(/(value|nonce)="[^"]*"/g, '$1=""'));
    }
    expect(pages[0]).toBe(pages[1]);
    expect(harness.logs.text).not.toContain(KARI.password);
    expect(harness.logs.text).not.toContain('Not-the-password-2026');
    expect(harness.logs.text).not.toContain(KARI.email);
  });

  it('the ticket link an agent opened (the new-ticket email\'s) is where signing in leads; nothing but a ticket page of the console is followed', async () => {
    const ticket = desk.open({ language: 'nb' });
    // its own account: the sign-in limit counts per email
    const account = { email: 'linn.fra.lenken@ladefirma.no', firstName: 'Linn', password: 'Lenken-i-e-posten-2026' };
    await addAgent(harness.app.store, account);
    const headers = fromNewAddress();
    const opened = await fetch(`${harness.url}/agent/tickets/${ticket.id}`, { headers });
    expect(opened.status).toBe(401);
    const html = await opened.text();
    expect(html).toContain(`<input type="hidden" name="next" value="/agent/tickets/${ticket.id}">`);
    const formToken = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const cookie = cookiePair(setCookie(opened, 'agent_signin')!);
    const signInWith = (next: string, password = account.password) =>
      fetch(`${harness.url}/agent/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: formBody({ csrf: formToken, email: account.email, password, next }),
      });
    // a wrong password keeps where the agent was going
    const wrong = await signInWith(`/agent/tickets/${ticket.id}`, 'Not-the-password-2026');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain(`<input type="hidden" name="next" value="/agent/tickets/${ticket.id}">`);
    const signedIn = await signInWith(`/agent/tickets/${ticket.id}`);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(`/agent/tickets/${ticket.id}`);
    for (const next of ['https://evil.example/agent/tickets/t1', '//evil.example/agent/tickets/t1', '/agent/tickets/t1/../../../evil', '/agent/tickets/t1?x=1', '/dev/mail', '']) {
      const elsewhere = await signInWith(next);
      expect([next, elsewhere.status, elsewhere.headers.get('location')]).toEqual([next, 303, '/agent']);
    }
  });

  it('sign-in without the form token → 403', async () => {
    const response = await fetch(`${harness.url}/agent/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...fromNewAddress(), 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ email: KARI.email, password: KARI.password }),
    });
    expect(response.status).toBe(403);
    expect(setCookie(response, 'agent_session')).toBeUndefined();
  });

  it('sign-in is rate limited per client address: the 11th attempt in 15 minutes → 429, even with the right password', async () => {
    await wellInsideRateWindow();
    const headers = { ...fromNewAddress(), 'accept-language': 'nb' };
    for (let i = 0; i < DEFAULT_LIMITS.agentSignIn.limit; i++) {
      const attempt = await signIn(harness.url, `guess${i}@ladefirma.no`, 'Guessing-password-1', headers);
      expect(attempt.response.status).toBe(401);
    }
    const limited = await signIn(harness.url, KARI.email, KARI.password, headers);
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.sessionCookie).toBeUndefined();
    const seconds = Number(limited.response.headers.get('retry-after'));
    const [unit, count] = seconds < 120 ? ['seconds', seconds] : ['minutes', Math.ceil(seconds / 60)];
    const wait = localeText('nb', `limits:wait.${unit}_${count === 1 ? 'one' : 'other'}`, { count });
    expect(await limited.response.text()).toContain(localeText('nb', 'agent:signIn.limited', { wait }));
  });

  it('sign-in is rate limited per email tried, whatever the address', async () => {
    await wellInsideRateWindow();
    const target = 'target.of.guessing@ladefirma.no';
    for (let i = 0; i < DEFAULT_LIMITS.agentSignIn.limit; i++) {
      expect((await signIn(harness.url, target, `Guess-number-${i}-xyz`, fromNewAddress())).response.status).toBe(401);
    }
    expect((await signIn(harness.url, target, 'Guess-number-99-xyz', fromNewAddress())).response.status).toBe(429);
  });

  it.each(POST_ROUTES)('POST %s with a session but without the CSRF token → 403 (nothing done)', async (path) => {
    desk.open({ language: 'en' });
    const client = await agentClient('Kari');
    const without = await client.post(path, { text: 'hello', kind: 'resendConfirmation' }, false);
    expect(without.status).toBe(403);
    // a wrong token, or the token in the URL, does not count either
    const inUrl = await fetch(`${harness.url}${path}?csrf=${encodeURIComponent(client.csrf)}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: client.cookie, 'x-csrf-token': 'wrong', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(inUrl.status).toBe(403);
    expect(desk.calls).toEqual([]);
    // still signed in (sign-out refused too)
    expect((await client.get('/agent/api/queue')).status).toBe(200);
  });

  it('the JSON API: queue, ticket, accept (one agent wins), reply, actions, close', async () => {
    const ticket = desk.open({ language: 'nb', region: 'global', maskedEmail: 'o***a@elektro.no', waitingMinutes: 7, firstMessage: 'Jeg får ikke e-posten' });
    const kari = await agentClient('Kari');
    const sam = await agentClient('Sam');

    const queue = (await (await kari.get('/agent/api/queue')).json()) as { tickets: Array<{ id: string; language: string; region: string; waitingSince: string }> };
    expect(queue.tickets).toEqual([expect.objectContaining({ id: ticket.id, language: 'nb', region: 'global', waitingSince: ticket.waitingSince })]);
    const detail = (await (await kari.get(`/agent/api/tickets/${ticket.id}`)).json()) as { ticket: { transcript: Array<{ text: string }> } };
    expect(detail.ticket.transcript.map((e) => e.text)).toEqual(['Jeg får ikke e-posten']);
    expect((await kari.get('/agent/api/tickets/nope')).status).toBe(404);

    expect(await (await kari.post(`/agent/api/tickets/${ticket.id}/accept`)).json()).toEqual({ result: 'accepted' });
    const second = await sam.post(`/agent/api/tickets/${ticket.id}/accept`);
    expect(second.status).toBe(409);
    expect(await second.json()).toEqual({ result: 'taken' });
    expect((await sam.post(`/agent/api/tickets/${ticket.id}/reply`, { text: 'Hei' })).status).toBe(409);

    expect((await kari.post(`/agent/api/tickets/${ticket.id}/reply`, { text: '   ' })).status).toBe(422);
    expect(await (await kari.post(`/agent/api/tickets/${ticket.id}/reply`, { text: 'Hei! Jeg sender e-posten på nytt.' })).json()).toEqual({ result: 'replied' });
    expect(await (await kari.post(`/agent/api/tickets/${ticket.id}/actions`, { kind: 'resendConfirmation' })).json()).toEqual({ result: 'action', kind: 'resendConfirmation', outcome: 'sent' });
    expect((await kari.post(`/agent/api/tickets/${ticket.id}/actions`, { kind: 'correctEmail', value: 'not an address' })).status).toBe(422);
    expect(await (await kari.post(`/agent/api/tickets/${ticket.id}/actions`, { kind: 'correctEmail', value: 'Ola@Elektro.no' })).json()).toEqual({ result: 'action', kind: 'correctEmail', outcome: 'corrected' });
    const unknown = await kari.post(`/agent/api/tickets/${ticket.id}/actions`, { kind: 'deleteEverything' });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toEqual({ result: 'invalidAction' });
    expect(await (await kari.post(`/agent/api/tickets/${ticket.id}/close`)).json()).toEqual({ result: 'closed' });
    expect((await kari.post(`/agent/api/tickets/${ticket.id}/close`)).status).toBe(409);

    expect(desk.calls.map((c) => `${c.method}${c.kind ? ':' + c.kind : ''} ${c.agent}`)).toEqual([
      'accept Kari',
      'accept Sam',
      'reply Sam',
      'reply Kari',
      'act:resendConfirmation Kari',
      'act:correctEmail Kari',
      'close Kari',
      'close Kari',
    ]);
    expect(desk.calls.find((c) => c.kind === 'correctEmail')?.value).toBe('Ola@elektro.no');
    expect((await (await kari.get('/agent/api/queue')).json()) as unknown).toEqual({ tickets: [] });
  });

  it('the forms: each POST goes back to the ticket page, which shows the result in the agent language', async () => {
    const ticket = desk.open({ language: 'en', region: 'na', waitingMinutes: 75 });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': 'en-GB' });
    const post = (what: string, fields: Record<string, string> = {}) =>
      fetch(`${harness.url}/agent/tickets/${ticket.id}/${what}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: kari.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody({ csrf: kari.csrf, ...fields }),
      });
    const page = async (response: Response) => {
      expect(response.status).toBe(303);
      const location = response.headers.get('location')!;
      expect(location).toMatch(new RegExp(`^/agent/tickets/${ticket.id}\\?result=`));
      expect(location).not.toContain(kari.csrf);
      return (await kari.get(location)).text();
    };
    const queuePage = await (await kari.get('/agent')).text();
    expect(queuePage).toContain('<td class="waiting">1 h 15 min</td>');
    expect(queuePage).toContain(localeText('en', 'agent:regions.na'));
    expect(queuePage).toContain(localeText('en', 'agent:languages.en'));

    expect(await page(await post('accept'))).toContain(localeText('en', 'agent:results.accepted'));
    expect(await page(await post('reply', { text: 'Hello, I can see your account.' }))).toContain('Hello, I can see your account.');
    const resent = await page(await post('actions', { kind: 'resendConfirmation' }));
    expect(resent).toContain(localeText('en', 'agent:actionResults.resendConfirmation.sent'));
    expect(await page(await post('close'))).toContain(localeText('en', 'agent:results.closed'));
  });

  /** A console form POSTed as the browser does; the ticket page it redirects to, and its result notice. */
  async function submit(client: { cookie: string; csrf: string; get(path: string): Promise<Response> }, ticketId: string, what: string, fields: Record<string, string> = {}) {
    const response = await fetch(`${harness.url}/agent/tickets/${ticketId}/${what}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: client.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ csrf: client.csrf, ...fields }),
    });
    expect(response.status).toBe(303);
    const html = await (await client.get(response.headers.get('location')!)).text();
    const notice = /<p class="notice( notice--problem)?" role="status" id="result">([^<]*)<\/p>/.exec(html);
    return { html, notice: notice?.[2], problem: notice?.[1] !== undefined };
  }
  const unescape = (html: string) => html.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code)));

  it.each(['nb', 'en'] as const)('(%s) a waiting ticket offers only "accept", and says so; a reply sent anyway is told to accept first, not that someone else has it', async (language) => {
    const ticket = desk.open({ language, waitingMinutes: 3, firstMessage: 'Hjelp' });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const text = (key: string, vars?: Record<string, string>) => localeText(language, `agent:${key}`, vars);

    const waiting = await (await kari.get(`/agent/tickets/${ticket.id}`)).text();
    expect(waiting).toContain(`/agent/tickets/${ticket.id}/accept`);
    expect(waiting).not.toContain(`/agent/tickets/${ticket.id}/reply`);
    expect(waiting).not.toContain(`/agent/tickets/${ticket.id}/actions`);
    expect(waiting).not.toContain(`/agent/tickets/${ticket.id}/close`);
    expect(unescape(waiting)).toContain(text('ticket.acceptFirst'));

    // a page left open from before (or the API): the reply is refused with the reason that applies
    const early = await submit(kari, ticket.id, 'reply', { text: 'Hei!' });
    expect(early.notice && unescape(early.notice)).toBe(text('results.acceptFirst'));
    expect(early.problem).toBe(true);
    const api = await kari.post(`/agent/api/tickets/${ticket.id}/actions`, { kind: 'resendConfirmation' });
    expect(api.status).toBe(409);
    expect(await api.json()).toEqual({ result: 'acceptFirst' });

    // accepted: reply, actions and close are there
    const accepted = await submit(kari, ticket.id, 'accept');
    for (const route of ['reply', 'actions', 'close']) expect(accepted.html).toContain(`/agent/tickets/${ticket.id}/${route}`);
    expect(unescape(accepted.html)).toContain(text('ticket.closeHint'));

    // another agent sees who has it, and no forms
    const sam = await agentClient('Sam', { ...fromNewAddress(), 'accept-language': language });
    const theirs = await (await sam.get(`/agent/tickets/${ticket.id}`)).text();
    expect(unescape(theirs)).toContain(text('ticket.someoneElses', { name: 'Kari' }));
    for (const route of ['accept', 'reply', 'actions', 'close']) expect(theirs).not.toContain(`/agent/tickets/${ticket.id}/${route}`);
    expect(unescape((await submit(sam, ticket.id, 'reply', { text: 'Hei' })).notice ?? '')).toBe(text('results.notYours'));
  });

  it.each(['nb', 'en'] as const)('(%s) the ticket page says at once where the installer is stuck and how long they have waited', async (language) => {
    const ticket = desk.open({ language, stage: 'registered', waitingMinutes: 12 });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const text = (key: string, vars?: Record<string, string | number>) => localeText(language, `agent:${key}`, vars);
    for (const path of [`/agent/tickets/${ticket.id}`, `/agent/tickets/${ticket.id}/partial`]) {
      const html = unescape(await (await kari.get(path)).text());
      const status = /<p class="status"[^>]*>([\s\S]*?)<\/p>\s*<p class="stuck">([^<]*)<\/p>/.exec(html);
      expect(status).not.toBeNull();
      expect(status![1]).toContain(text('ticket.waited', { wait: '12 min' }));
      expect(status![2]).toBe(text('ticket.stage', { stage: text('stages.registered') }));
    }
  });

  it.each(['nb', 'en'] as const)('(%s) an installer who asked before registering is shown as not registered, in the queue and on the ticket', async (language) => {
    const ticket = desk.open({ language, stage: 'new' });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const noEmail = localeText(language, 'agent:queue.noEmail');
    const queue = unescape(await (await kari.get('/agent')).text());
    const row = new RegExp(`<tr data-ticket="${ticket.id}"[\\s\\S]*?</tr>`).exec(queue)?.[0] ?? '';
    expect(row.replace(/<[^>]+>/g, '').trim().split('\n').pop()).toBe(noEmail);
    const page = unescape(await (await kari.get(`/agent/tickets/${ticket.id}`)).text());
    const status = /<p class="status"[^>]*>([\s\S]*?)<\/p>/.exec(page)![1]!.replace(/<[^>]+>/g, '');
    expect(status.endsWith(`· ${noEmail}`)).toBe(true);
  });

  it.each(['nb', 'en'] as const)('(%s) who the installer is (name, company) heads the ticket; a ticket with an agent shows no waiting time in the queue', async (language) => {
    const ticket = desk.open({ language, stage: 'profile_complete', maskedEmail: 'k***e@lys-og-varme.no', waitingMinutes: 95, profile: { firstName: 'Kåre', lastName: 'Lie', company: 'Lys & Varme AS', phone: '+47 912 34 567' } });
    const waiting = desk.open({ language, waitingMinutes: 14 });
    await desk.accept(ticket.id, { id: 'agent-per', firstName: 'Per' });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const page = await (await kari.get(`/agent/tickets/${ticket.id}`)).text();
    expect(page).toMatch(/<div id="live"[^>]*>\s*<p class="installer"><strong>Kåre Lie<\/strong>, Lys &#38; Varme AS<\/p>/);
    const queue = unescape(await (await kari.get('/agent')).text());
    const cell = (id: string) => new RegExp(`<tr data-ticket="${id}"[\\s\\S]*?<td class="waiting">([^<]*)</td>`).exec(queue)?.[1];
    expect(cell(ticket.id)).toBe('');
    expect(cell(waiting.id)).toBe('14 min');
  });

  it.each(['nb', 'en'] as const)('(%s) the queue shows what each waiting installer wrote last, on one line and cut short, in the live fragment too', async (language) => {
    const long = language === 'nb'
      ? 'Står på en byggeplass i Drammen med tre ladere som ikke vil starte, kunden venter og jeg har prøvd alt som står i veiledningen'
      : 'I am on a building site in Leeds with three chargers that will not start, the customer is waiting and I have tried everything in the guide';
    const urgent = desk.open({ language, waitingMinutes: 20, firstMessage: 'Hei' });
    desk.installerSays(urgent.id, long);
    const short = desk.open({ language, waitingMinutes: 3, firstMessage: 'Linjen ett\nlinje <to>' });
    const silent = desk.open({ language, waitingMinutes: 2 });
    const taken = desk.open({ language, waitingMinutes: 9, firstMessage: 'Allerede hos en veileder' });
    await desk.accept(taken.id, { id: 'agent-per', firstName: 'Per' });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    for (const path of ['/agent', '/agent/partials/queue']) {
      const html = await (await kari.get(path)).text();
      expect(unescape(html)).toContain(`<th scope="col">${localeText(language, 'agent:queue.lastMessage')}</th>`);
      const said = (id: string) => new RegExp(`<tr data-ticket="${id}"[\\s\\S]*?<td class="said"(?: lang="(\\w+)")?>([^<]*)</td>`).exec(html);
      const cut = said(urgent.id)!;
      expect(cut[1]).toBe(language);
      expect(cut[2]!.endsWith('…')).toBe(true);
      expect(cut[2]!.length).toBeLessThanOrEqual(101);
      expect(long.startsWith(cut[2]!.slice(0, -1))).toBe(true);
      expect(long.charAt(cut[2]!.length - 1)).toBe(' ');
      expect(said(short.id)![2]).toBe('Linjen ett linje &#60;to&#62;');
      expect(said(silent.id)![2]).toBe('');
      expect(said(taken.id)![2]).toBe('');
    }
  });

  const DURATIONS: Array<[minutes: number, nb: string, en: string]> = [
    [0, 'under 1 min', 'under 1 min'],
    [3, '3 min', '3 min'],
    [60, '1 t', '1 h'],
    [65, '1 t 5 min', '1 h 5 min'],
    [600, '10 t', '10 h'],
    [27 * 60 + 40, '1 d 3 t', '1 d 3 h'],
    [2 * 24 * 60 + 5, '2 d', '2 d'],
  ];

  it.each(['nb', 'en'] as const)('(%s) waiting times read naturally, in the queue and on the ticket: "10 t", not "10 t 0 min"', async (language) => {
    const tickets = DURATIONS.map(([minutes]) => desk.open({ language, waitingMinutes: minutes }));
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const queue = unescape(await (await kari.get('/agent')).text());
    const cell = (id: string) => new RegExp(`<tr data-ticket="${id}"[\\s\\S]*?<td class="waiting">([^<]*)</td>`).exec(queue)?.[1];
    const expected = DURATIONS.map(([, nb, en]) => (language === 'nb' ? nb : en));
    expect(tickets.map((ticket) => cell(ticket.id))).toEqual(expected);
    const page = unescape(await (await kari.get(`/agent/tickets/${tickets[4]!.id}`)).text());
    expect(page).toContain(`<span class="waited">${language === 'nb' ? 'har ventet 10 t' : 'waiting for 10 h'}</span>`);
  });

  const LIVE_STATUS = {
    nb: { empty: 'Ingen venter.', three: '3 venter', fourOneNew: '4 venter, 1 ny', fiveTwoNew: '5 venter, 2 nye', installerWrote: 'Montør skrev: Hjelp, laderen blinker rødt' },
    en: { empty: 'Nobody is waiting.', three: '3 waiting', fourOneNew: '4 waiting, 1 new', fiveTwoNew: '5 waiting, 2 new', installerWrote: 'Installer wrote: Hjelp, laderen blinker rødt' },
  };

  it.each(['nb', 'en'] as const)('(%s) only a short status line is live ("3 waiting, 1 new"): the queue and the ticket themselves are not live regions', async (language) => {
    const said = LIVE_STATUS[language];
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const liveRegions = (html: string) => [...html.matchAll(/<[^>]*(?:aria-live|role="(?:status|alert|log)")[^>]*>/g)].map((m) => m[0]);
    const statusLine = (html: string) => /<p id="live-status" class="live-status" role="status">([^<]*)<\/p>/.exec(html)?.[1];
    const source = (html: string) => /data-live-status="([^"]*)"/.exec(html)?.[1];

    const empty = unescape(await (await kari.get('/agent')).text());
    expect(statusLine(empty)).toBe(said.empty);
    for (let i = 0; i < 3; i++) desk.open({ language, waitingMinutes: 5 + i, firstMessage: 'Hjelp' });
    const page = unescape(await (await kari.get('/agent')).text());
    expect(liveRegions(page)).toEqual(['<p id="live-status" class="live-status" role="status">']);
    expect(statusLine(page)).toBe(said.three);
    const since = /<div id="live" data-fragment="\/agent\/partials\/queue" data-since="([^"]+)">/.exec(page)![1]!;
    const fragment = async () => unescape(await (await kari.get(`/agent/partials/queue?since=${encodeURIComponent(since)}`)).text());
    expect(source(await fragment())).toBe(said.three);
    // (a ticket of the very millisecond the page was made is not new: the next one is)
    while (Date.now() <= Date.parse(since)) await new Promise((resolve) => setTimeout(resolve, 2));
    const first = desk.open({ language, firstMessage: 'Hjelp, laderen blinker rødt' });
    expect(source(await fragment())).toBe(said.fourOneNew);
    desk.open({ language });
    expect(source(await fragment())).toBe(said.fiveTwoNew);
    expect(liveRegions(await fragment())).toEqual([]);
    // a since that is not the page's own is not read
    expect(source(unescape(await (await kari.get('/agent/partials/queue?since=x<y')).text()))).toBe(said.fiveTwoNew.split(',')[0]);

    const ticketPage = unescape(await (await kari.get(`/agent/tickets/${first.id}`)).text());
    expect(liveRegions(ticketPage)).toEqual(['<p id="live-status" class="live-status" role="status">']);
    expect(statusLine(ticketPage)).toBe(said.installerWrote);
    desk.installerSays(first.id, 'Nå blinker den grønt');
    const ticketFragment = unescape(await (await kari.get(`/agent/tickets/${first.id}/partial`)).text());
    expect(liveRegions(ticketFragment)).toEqual([]);
    expect(source(ticketFragment)).toBe(said.installerWrote.replace('Hjelp, laderen blinker rødt', 'Nå blinker den grønt'));
  });

  it.each([
    ['nb', 'Supportkø – Supportkonsoll for montører', '(2) Supportkø – Supportkonsoll for montører', '(3) Supportkø – Supportkonsoll for montører'],
    ['en', 'Support queue – Installer support console', '(2) Support queue – Installer support console', '(3) Support queue – Installer support console'],
  ] as const)('(%s) the tab title says how many wait ("(3) Support queue"), in the page and in each fragment the page swaps in', async (language, none, two, three) => {
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const title = async () => unescape(/<title>([^<]*)<\/title>/.exec(await (await kari.get('/agent')).text())![1]!);
    const fragmentTitle = async () => unescape(/data-title="([^"]*)"/.exec(await (await kari.get('/agent/partials/queue')).text())![1]!);
    expect(await title()).toBe(none);
    expect(await fragmentTitle()).toBe(none);
    const first = desk.open({ language });
    desk.open({ language });
    const taken = desk.open({ language });
    await desk.accept(taken.id, { id: 'agent-per', firstName: 'Per' });
    // an accepted ticket no longer waits
    expect(await title()).toBe(two);
    expect(await fragmentTitle()).toBe(two);
    desk.open({ language });
    expect(await fragmentTitle()).toBe(three);
    desk.installerLeaves(first.id);
    expect(await fragmentTitle()).toBe(two);
  });

  it.each(['nb', 'en'] as const)('(%s) a ticket answered by email: the console says the chat is not taken over, and accepting it says the installer is not told', async (language) => {
    const emailed = desk.open({ language, byEmail: 'outOfHours', maskedEmail: 'o***a@elektro.no', firstMessage: 'Hjelp' });
    const noAddress = desk.open({ language, byEmail: 'outOfHours', stage: 'new', firstMessage: 'Hjelp' });
    const live = desk.open({ language, firstMessage: 'Hjelp' });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const text = (key: string) => localeText(language, `agent:${key}`);
    const queue = unescape(await (await kari.get('/agent')).text());
    const label = (id: string) => /<span class="by-email">([^<]*)<\/span>/.exec(new RegExp(`<tr data-ticket="${id}"[\\s\\S]*?</tr>`).exec(queue)![0])?.[1];
    expect([label(emailed.id), label(noAddress.id), label(live.id)]).toEqual([text('queue.byEmail'), text('queue.byChatLater'), undefined]);

    const accepted = await submit(kari, emailed.id, 'accept');
    expect([unescape(accepted.notice ?? ''), accepted.problem]).toEqual([text('results.acceptedLater'), false]);
    expect(unescape(accepted.html)).toContain(`<p class="notice by-email">${text('ticket.byEmail')}</p>`);
    const acceptedNoAddress = await submit(kari, noAddress.id, 'accept');
    expect(unescape(acceptedNoAddress.notice ?? '')).toBe(text('results.acceptedLater'));
    expect(unescape(acceptedNoAddress.html)).toContain(`<p class="notice by-email">${text('ticket.byChatLater')}</p>`);
    expect(unescape((await submit(kari, live.id, 'accept')).notice ?? '')).toBe(text('results.accepted'));
  });

  it.each(['nb', 'en'] as const)('(%s) what came of an action is said in a sentence, never as a code, and an action that did nothing is marked as a problem', async (language) => {
    const ticket = desk.open({ language });
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': language });
    const text = (key: string) => localeText(language, `agent:${key}`);
    await submit(kari, ticket.id, 'accept');
    const cases: Array<[string, Record<string, string>, string, boolean]> = [
      ['sent', { kind: 'resendConfirmation' }, 'actionResults.resendConfirmation.sent', false],
      ['not_needed', { kind: 'resendConfirmation' }, 'actionResults.resendConfirmation.not_needed', true],
      ['limited', { kind: 'resendConfirmation' }, 'actionResults.resendConfirmation.limited', true],
      ['sent', { kind: 'newPasswordLink' }, 'actionResults.newPasswordLink.sent', false],
      ['no_registration', { kind: 'newPasswordLink' }, 'actionResults.noRegistration', true],
      ['taken', { kind: 'correctEmail', value: 'ola@elektro.no' }, 'actionResults.correctEmail.taken', true],
      ['unchanged', { kind: 'correctEmail', value: 'ola@elektro.no' }, 'actionResults.correctEmail.unchanged', false],
      ['missing', { kind: 'correctEmail', value: 'ola@elektro.no' }, 'actionResults.noRegistration', true],
    ];
    for (const [outcome, fields, key, problem] of cases) {
      desk.nextOutcomes.push(outcome);
      const result = await submit(kari, ticket.id, 'actions', fields);
      expect([outcome, unescape(result.notice ?? ''), result.problem]).toEqual([outcome, text(key), problem]);
    }
    // the list of what agents did names every outcome in words
    const page = unescape(await (await kari.get(`/agent/tickets/${ticket.id}`)).text());
    for (const outcome of ['not_needed', 'limited', 'no_registration', 'taken', 'unchanged', 'missing']) {
      expect(page).toContain(`(${text(`outcomes.${outcome}`)})`);
      expect(page).not.toContain(`(${outcome})`);
    }
  });

  it('what installers type is shown as text, never as markup (page and live fragment)', async () => {
    const ticket = desk.open({ language: 'en', firstMessage: '<img src=x onerror="alert(1)"><script>alert(2)</script>' });
    const kari = await agentClient('Kari');
    for (const path of [`/agent/tickets/${ticket.id}`, `/agent/tickets/${ticket.id}/partial`]) {
      const response = await kari.get(path);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<script>alert');
      expect(html).toContain('&#60;img src=x onerror=&#34;alert(1)&#34;&#62;');
    }
    const page = await kari.get(`/agent/tickets/${ticket.id}`);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self' 'nonce-[^']+'; /);
    await page.body?.cancel();
  });

  it('the language the agent picks stays with the session', async () => {
    const kari = await agentClient('Kari', { ...fromNewAddress(), 'accept-language': 'en' });
    expect(await (await kari.get('/agent')).text()).toContain(localeText('en', 'agent:queue.title'));
    const switched = await fetch(`${harness.url}/agent/language`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: kari.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody({ csrf: kari.csrf, lang: 'nb' }),
    });
    expect(switched.status).toBe(303);
    expect(await (await kari.get('/agent')).text()).toContain(localeText('nb', 'agent:queue.title'));
  });

  it('server-sent events: a change on the desk reaches an open stream; signing out ends it and the session', async () => {
    const ticket = desk.open({ language: 'nb' });
    const kari = await agentClient('Kari');
    const stream = await kari.get('/agent/events');
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const readUntil = async (wanted: string) => {
      while (!received.includes(wanted)) {
        const { value, done } = await reader.read();
        if (done) return false;
        received += decoder.decode(value);
      }
      return true;
    };
    await readUntil('retry:');
    desk.installerSays(ticket.id, 'Hallo?');
    expect(await readUntil(`data: {"ticketId":"${ticket.id}","kind":"message"}`)).toBe(true);

    const signOut = await kari.post('/agent/sign-out', { csrf: kari.csrf });
    expect(signOut.status).toBe(303);
    expect(setCookie(signOut, 'agent_session')).toMatch(/^agent_session=; .*Max-Age=0/);
    expect(await readUntil('never comes')).toBe(false); // the stream ended
    expect((await kari.get('/agent/api/queue')).status).toBe(401);
  });

  // last: it stops the app
  it('an open event stream does not hold up stopping the app', async () => {
    const kari = await agentClient('Kari');
    const stream = await kari.get('/agent/events');
    expect(stream.status).toBe(200);
    expect(desk.subscriberCount()).toBe(1);
    const started = Date.now();
    await harness.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(desk.subscriberCount()).toBe(0);
  });
});

describe('agent console on its own server', () => {
  let store: DocumentStore;
  let server: Server;
  let base: string;
  let stopConsole: () => void;

  async function serve(publicUrl: string, withDesk: boolean): Promise<void> {
    server = restify.createServer();
    server.use(restify.plugins.queryParser({ mapParams: false }));
    server.use(restify.plugins.bodyParser({ mapParams: false }));
    stopConsole = registerAgentConsole(server, {
      desk: withDesk ? new FakeSupportDesk() : undefined,
      accounts: new AgentAccounts(store),
      store,
      config: { PUBLIC_URL: publicUrl },
      translator: await createTranslator(),
      logger: createLogger({ level: 'debug', destination: new LogCapture() }),
      limits: { limits: new Limits(store, DEFAULT_LIMITS), clientAddress: () => '192.0.2.1' },
    }).stop;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    store = await openDocumentStore(`sqlite://${tempDir()}/store.sqlite`);
    await addAgent(store, KARI);
  });
  afterEach(async () => {
    stopConsole();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await store.close();
  });

  it('with an https PUBLIC_URL the session and form cookies are Secure', async () => {
    await serve('https://support.example.com', true);
    const form = await signInForm(base);
    expect(setCookie(form.response, 'agent_signin')).toContain('Secure');
    const { response } = await signIn(base, KARI.email, KARI.password);
    expect(response.status).toBe(303);
    const header = setCookie(response, 'agent_session')!;
    expect(header).toContain('Secure');
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Strict');
  });

  it('without a desk: sign-in works, the console answers 503', async () => {
    await serve('http://127.0.0.1', false);
    const kari = await signedInClient(base, KARI.email, KARI.password);
    expect((await kari.get('/agent')).status).toBe(503);
    expect((await kari.get('/agent/api/queue')).status).toBe(503);
    expect((await kari.post('/agent/api/tickets/t1/accept')).status).toBe(503);
    expect((await fetch(`${base}/agent/api/queue`)).status).toBe(401);
  });
});
