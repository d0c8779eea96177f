import type { Request, Response, Server } from 'restify';
import type { Config } from '../../config';
import { parseEmail } from '../../domain/email';
import { isLanguage, type Language } from '../../domain/language';
import type { Logger } from '../../logger';
import type { Translator } from '../../services/i18n/translator';
import type { ClientAddressOf } from '../../services/limits/clientAddress';
import type { Limits } from '../../services/limits/limits';
import { waitText } from '../../services/limits/waitText';
import type { AgentAccounts } from '../../services/support/agentAccounts';
import { AgentSessions, AGENT_SESSION_TTL_MS, randomToken, sameSecret, type AgentSession } from '../../services/support/agentSessions';
import type { AgentActionKind, SupportDesk, TicketChangeResult, TicketSummary } from '../../services/support/supportDesk';
import type { DocumentStore } from '../../services/store/documentStore';
import { newNonce } from '../pages/layout';
import { formField, requestLanguage } from '../pages/pageRequest';
import { AGENT_CONSOLE_SCRIPT } from './consoleScript';
import {
  CONSOLE_PATH,
  COMMON_HEADERS,
  cookie,
  CSRF_FIELD,
  CSRF_HEADER,
  readCookies,
  redirect,
  sendFragment,
  sendHtml,
  sendJson,
  SESSION_COOKIE,
  SIGN_IN_COOKIE,
  ticketIdParam,
} from './http';
import {
  CONSOLE_SCRIPT_URL,
  outcomeText,
  renderMessage,
  renderQueue,
  renderQueuePage,
  renderSignInPage,
  renderTicketLive,
  renderTicketPage,
  type ConsoleView,
  type ResultNotice,
} from './pages';

export interface AgentConsoleDeps {
  /** The support desk; until it exists every console route (after the session check) answers 503. */
  desk?: SupportDesk;
  accounts: AgentAccounts;
  /** Where sessions live (the app's store, so every instance knows them). */
  store: DocumentStore;
  config: Pick<Config, 'PUBLIC_URL'>;
  translator: Translator;
  logger: Logger;
  limits: { limits: Pick<Limits, 'take'>; clientAddress: ClientAddressOf };
}

export interface AgentConsole {
  /** Ends the open event streams (the server cannot close while they are open). */
  stop(): void;
}

const ACTION_KINDS: readonly AgentActionKind[] = ['resendConfirmation', 'newPasswordLink', 'correctEmail'];
const RESULT_CODES = ['accepted', 'taken', 'replied', 'closed', 'alreadyClosed', 'notYours', 'acceptFirst', 'missing', 'emptyReply', 'invalidEmail', 'invalidAction', 'action'] as const;
type ResultCode = (typeof RESULT_CODES)[number];
/** Outcomes of an action that did what the agent asked (any other is shown as a problem). */
const DONE_OUTCOMES = ['sent', 'corrected', 'unchanged'];
const KEEP_ALIVE_MS = 25_000;
const MAX_REPLY_LENGTH = 4000;

type Signed = { id: string; session: AgentSession };
type Outcome = { status: number; code: ResultCode; outcome?: string; kind?: AgentActionKind };

/** An ISO time as the console's pages write one (Date.toISOString). */
function isIsoTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value));
}

function changeOutcome(result: TicketChangeResult, ok: ResultCode): Outcome {
  switch (result.kind) {
    case 'ok':
      return { status: 200, code: ok };
    case 'closed':
      return { status: 409, code: 'alreadyClosed' };
    case 'not_yours':
      return { status: 409, code: 'notYours' };
    default:
      return { status: 404, code: 'missing' };
  }
}

/**
 * The agent console under /agent (pages, HTML fragments, server-sent events, a JSON API).
 * Every route but the sign-in form and its POST needs a session (401 without); every POST needs
 * the session's CSRF token (403 without), the sign-in POST the token of its form.
 */
export function registerAgentConsole(server: Server, deps: AgentConsoleDeps): AgentConsole {
  const { desk, accounts, translator, logger, limits } = deps;
  const sessions = new AgentSessions(deps.store);
  const secure = new URL(deps.config.PUBLIC_URL).protocol === 'https:';
  const sessionCookie = (value: string, maxAgeSeconds: number) => cookie(SESSION_COOKIE, value, { secure, maxAgeSeconds });
  const signInCookie = (value: string, maxAgeSeconds: number) => cookie(SIGN_IN_COOKIE, value, { secure, maxAgeSeconds });
  const streams = new Map<Response, string>();

  const view = (language: Language, signed?: Signed): ConsoleView => ({
    translator,
    language,
    nonce: newNonce(),
    signedIn: signed ? { agentId: signed.session.agent.id, firstName: signed.session.agent.firstName, csrfToken: signed.session.csrfToken } : undefined,
  });

  async function signedIn(req: Request): Promise<Signed | undefined> {
    const id = readCookies(req).get(SESSION_COOKIE);
    const session = await sessions.get(id);
    return id && session ? { id, session } : undefined;
  }

  /**
   * Where sign-in leads: the ticket the agent was opening (the link in the new-ticket email, or a
   * page whose session ran out), else the queue. Only a ticket page of this console, never a URL.
   */
  function afterSignIn(req: Request): string | undefined {
    const wanted = req.method === 'POST' && req.path() === `${CONSOLE_PATH}/sign-in` ? formField(req.body, 'next') : req.path();
    const ticket = new RegExp(`^${CONSOLE_PATH}/tickets/([A-Za-z0-9_-]{1,100})(?:/[a-z]+)?$`).exec(wanted);
    return ticket ? `${CONSOLE_PATH}/tickets/${ticket[1]}` : undefined;
  }

  /** The sign-in form, with a fresh form token in its cookie. */
  function sendSignIn(req: Request, res: Response, status: number, language: Language, problem?: string, extra: Record<string, string> = {}): void {
    // the browser's current form token, when it has one: sign-in forms open in two tabs both work
    const current = readCookies(req).get(SIGN_IN_COOKIE);
    const formToken = current && /^[A-Za-z0-9_-]{43}$/.test(current) ? current : randomToken();
    const email = status === 200 ? undefined : formField(req.body, 'email').slice(0, 254);
    const v = view(language);
    sendHtml(res, status, v.nonce, renderSignInPage(v, { formToken, email, problem, next: afterSignIn(req) }), { 'Set-Cookie': [signInCookie(formToken, 3600)], ...extra });
  }

  function unavailable(res: Response, asJson: boolean, language: Language): void {
    if (asJson) return sendJson(res, 503, { error: 'unavailable' }, { 'Retry-After': '30' });
    const v = view(language);
    sendHtml(res, 503, v.nonce, renderMessage(v, 'errors.unavailable'), { 'Retry-After': '30' });
  }

  type Handler = (req: Request, res: Response, signed: Signed, desk: SupportDesk) => Promise<void>;
  type SessionHandler = (req: Request, res: Response, signed: Signed) => Promise<void>;

  /**
   * A route that needs a session (401 without), a desk (503 without) and, for a POST, the
   * session's CSRF token (403 without). `json`: answers in JSON (API, fragments, events); else pages.
   */
  function guarded(route: string, kind: { json: boolean; post: boolean }, handler: Handler) {
    return sessionRoute(route, kind, async (req, res, signed) => {
      if (!desk) return unavailable(res, kind.json, signed.session.language);
      await handler(req, res, signed, desk);
    });
  }

  /** As `guarded`, for the routes that work without a desk (session, sign-out, language). */
  function sessionRoute(route: string, kind: { json: boolean; post: boolean }, handler: SessionHandler) {
    return async (req: Request, res: Response): Promise<void> => {
      try {
        const signed = await signedIn(req);
        if (!signed) {
          if (kind.json) return sendJson(res, 401, { error: 'unauthorized' });
          return sendSignIn(req, res, 401, requestLanguage(req), translator.t(requestLanguage(req), 'agent:signIn.required'));
        }
        if (kind.post) {
          const given = (req.header(CSRF_HEADER) as string | undefined) || formField(req.body, CSRF_FIELD);
          if (!sameSecret(given, signed.session.csrfToken)) {
            logger.info({ route }, 'agent console post without a valid CSRF token refused');
            if (kind.json) return sendJson(res, 403, { error: 'forbidden' });
            const v = view(signed.session.language, signed);
            return sendHtml(res, 403, v.nonce, renderMessage(v, 'errors.forbidden'));
          }
        }
        await handler(req, res, signed);
      } catch (error) {
        logger.error({ route, err: { name: error instanceof Error ? error.name : typeof error } }, 'agent console request failed');
        if (res.headersSent) {
          res.end();
          return;
        }
        if (kind.json) return sendJson(res, 500, { error: 'failed' });
        const v = view(requestLanguage(req));
        sendHtml(res, 500, v.nonce, renderMessage(v, 'errors.failed'));
      }
    };
  }

  // ---- sign-in, sign-out, language ----

  server.get(
    CONSOLE_PATH,
    guarded('GET /agent', { json: false, post: false }, async (_req, res, signed, d) => {
      const v = view(signed.session.language, signed);
      sendHtml(res, 200, v.nonce, renderQueuePage(v, await d.queue(), Date.now()));
    }),
  );

  server.post(`${CONSOLE_PATH}/sign-in`, async (req, res) => {
    const language = requestLanguage(req);
    try {
      const formToken = readCookies(req).get(SIGN_IN_COOKIE);
      if (!sameSecret(formField(req.body, CSRF_FIELD), formToken)) {
        logger.info('agent sign-in without the form token refused');
        return sendSignIn(req, res, 403, language, translator.t(language, 'agent:signIn.expired'));
      }
      const emailInput = formField(req.body, 'email').slice(0, 254);
      const password = formField(req.body, 'password').slice(0, 1024);
      const email = parseEmail(emailInput);
      const verdict = await limits.limits.take('agentSignIn', `ip:${limits.clientAddress(req)}`, `email:${email.ok ? email.id : emailInput.toLowerCase()}`);
      if (!verdict.allowed) {
        logger.warn({ firstRefusal: verdict.firstRefusal }, 'agent sign-in rate limited');
        const problem = translator.t(language, 'agent:signIn.limited', { wait: waitText(translator, language, verdict.retryAfterSeconds) });
        return sendSignIn(req, res, 429, language, problem, { 'Retry-After': String(verdict.retryAfterSeconds) });
      }
      const agent = await accounts.verify(emailInput, password);
      if (!agent) {
        logger.info('agent sign-in refused');
        return sendSignIn(req, res, 401, language, translator.t(language, 'agent:signIn.wrong'));
      }
      const created = await sessions.create(agent, language);
      logger.info({ agentId: agent.id }, 'agent signed in');
      redirect(res, afterSignIn(req) ?? CONSOLE_PATH, { 'Set-Cookie': [sessionCookie(created.id, AGENT_SESSION_TTL_MS / 1000), signInCookie('', 0)] });
    } catch (error) {
      logger.error({ err: { name: error instanceof Error ? error.name : typeof error } }, 'agent sign-in failed');
      const v = view(language);
      sendHtml(res, 500, v.nonce, renderMessage(v, 'errors.failed'));
    }
  });

  server.post(
    `${CONSOLE_PATH}/sign-out`,
    sessionRoute('POST /agent/sign-out', { json: false, post: true }, async (_req, res, signed) => {
      await sessions.delete(signed.id);
      for (const [stream, sessionId] of streams) if (sessionId === signed.id) stream.end();
      logger.info({ agentId: signed.session.agent.id }, 'agent signed out');
      redirect(res, `${CONSOLE_PATH}?lang=${signed.session.language}`, { 'Set-Cookie': sessionCookie('', 0) });
    }),
  );

  server.post(
    `${CONSOLE_PATH}/language`,
    sessionRoute('POST /agent/language', { json: false, post: true }, async (req, res, signed) => {
      const language = formField(req.body, 'lang');
      if (isLanguage(language)) await sessions.setLanguage(signed.id, language);
      redirect(res, CONSOLE_PATH); // pages send no Referer (no-referrer): back to the queue
    }),
  );

  // ---- pages ----

  server.get(
    `${CONSOLE_PATH}/tickets/:id`,
    guarded('GET /agent/tickets/:id', { json: false, post: false }, async (req, res, signed, d) => {
      const v = view(signed.session.language, signed);
      const id = ticketIdParam(req);
      const ticket = id ? await d.ticket(id) : undefined;
      if (!ticket) return sendHtml(res, 404, v.nonce, renderMessage(v, 'results.missing'));
      sendHtml(res, 200, v.nonce, renderTicketPage({ ...v, signedIn: v.signedIn! }, ticket, Date.now(), noticeFrom(v, req.query, ticket)));
    }),
  );

  server.get(
    `${CONSOLE_PATH}/tickets/:id/partial`,
    guarded('GET /agent/tickets/:id/partial', { json: true, post: false }, async (req, res, signed, d) => {
      const id = ticketIdParam(req);
      const ticket = id ? await d.ticket(id) : undefined;
      if (!ticket) return sendJson(res, 404, { error: 'missing' });
      sendFragment(res, renderTicketLive(view(signed.session.language, signed), ticket, Date.now()));
    }),
  );

  server.get(
    `${CONSOLE_PATH}/partials/queue`,
    guarded('GET /agent/partials/queue', { json: true, post: false }, async (req, res, signed, d) => {
      // since: when the page was opened (its own data-since), for how many of the waiting are new
      const since = formField(req.query, 'since');
      sendFragment(res, renderQueue(view(signed.session.language, signed), await d.queue(), Date.now(), isIsoTime(since) ? since : undefined));
    }),
  );

  // ---- actions (forms: post, redirect back with the result; API: JSON) ----

  async function perform(req: Request, d: SupportDesk, signed: Signed, what: 'accept' | 'reply' | 'close' | 'actions'): Promise<Outcome> {
    const id = ticketIdParam(req);
    if (!id) return { status: 404, code: 'missing' };
    const agent = signed.session.agent;
    if (what === 'accept') {
      const result = await d.accept(id, agent);
      if (result.kind === 'accepted') return { status: 200, code: 'accepted' };
      if (result.kind === 'taken') return { status: 409, code: 'taken' };
      return result.kind === 'closed' ? { status: 409, code: 'alreadyClosed' } : { status: 404, code: 'missing' };
    }
    const done = await change(req, d, id, agent, what);
    // "not yours" of a ticket nobody has accepted yet: the agent has to accept it first
    if (done.code === 'notYours' && (await d.ticket(id))?.status === 'waiting') return { ...done, code: 'acceptFirst' };
    return done;
  }

  async function change(req: Request, d: SupportDesk, id: string, agent: AgentSession['agent'], what: 'reply' | 'close' | 'actions'): Promise<Outcome> {
    if (what === 'reply') {
      const text = formField(req.body, 'text').trim();
      if (text === '') return { status: 422, code: 'emptyReply' };
      return changeOutcome(await d.reply(id, agent, text.slice(0, MAX_REPLY_LENGTH)), 'replied');
    }
    if (what === 'close') return changeOutcome(await d.close(id, agent), 'closed');
    const kind = ACTION_KINDS.find((k) => k === formField(req.body, 'kind'));
    if (!kind) return { status: 422, code: 'invalidAction' };
    let value: string | undefined;
    if (kind === 'correctEmail') {
      const email = parseEmail(formField(req.body, 'value'));
      if (!email.ok) return { status: 422, code: 'invalidEmail' };
      value = email.email;
    }
    const result = await d.act(id, agent, kind, value);
    const outcome = changeOutcome(result, 'action');
    return result.kind === 'ok' ? { ...outcome, kind, outcome: result.outcome ?? 'sent' } : outcome;
  }

  for (const what of ['accept', 'reply', 'close', 'actions'] as const) {
    server.post(
      `${CONSOLE_PATH}/tickets/:id/${what}`,
      guarded(`POST /agent/tickets/:id/${what}`, { json: false, post: true }, async (req, res, signed, d) => {
        const done = await perform(req, d, signed, what);
        logger.info({ agentId: signed.session.agent.id, action: what, result: done.code }, 'agent console action');
        const query = new URLSearchParams({ result: done.code, ...(done.kind ? { kind: done.kind } : {}), ...(done.outcome ? { outcome: done.outcome } : {}) });
        const id = ticketIdParam(req);
        // a reply sent: back at the reply box, under the conversation it joined (not at the top of a long page)
        const at = done.code === 'replied' ? '#reply-text' : '';
        redirect(res, id ? `${CONSOLE_PATH}/tickets/${encodeURIComponent(id)}?${query.toString()}${at}` : CONSOLE_PATH);
      }),
    );
    server.post(
      `${CONSOLE_PATH}/api/tickets/:id/${what}`,
      guarded(`POST /agent/api/tickets/:id/${what}`, { json: true, post: true }, async (req, res, signed, d) => {
        const done = await perform(req, d, signed, what);
        logger.info({ agentId: signed.session.agent.id, action: what, result: done.code }, 'agent console action');
        sendJson(res, done.status, { result: done.code, ...(done.kind ? { kind: done.kind } : {}), ...(done.outcome ? { outcome: done.outcome } : {}) });
      }),
    );
  }

  // ---- JSON API ----

  server.get(
    `${CONSOLE_PATH}/api/session`,
    sessionRoute('GET /agent/api/session', { json: true, post: false }, async (_req, res, signed) => {
      sendJson(res, 200, { agent: { firstName: signed.session.agent.firstName }, language: signed.session.language, csrfToken: signed.session.csrfToken });
    }),
  );

  server.get(
    `${CONSOLE_PATH}/api/queue`,
    guarded('GET /agent/api/queue', { json: true, post: false }, async (_req, res, _signed, d) => {
      sendJson(res, 200, { tickets: await d.queue() });
    }),
  );

  server.get(
    `${CONSOLE_PATH}/api/tickets/:id`,
    guarded('GET /agent/api/tickets/:id', { json: true, post: false }, async (req, res, _signed, d) => {
      const id = ticketIdParam(req);
      const ticket = id ? await d.ticket(id) : undefined;
      if (!ticket) return sendJson(res, 404, { error: 'missing' });
      sendJson(res, 200, { ticket });
    }),
  );

  // ---- server-sent events ----

  server.get(
    `${CONSOLE_PATH}/events`,
    guarded('GET /agent/events', { json: true, post: false }, async (req, res, signed, d) => {
      res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.write('retry: 3000\n\n');
      streams.set(res, signed.id);
      const unsubscribe = d.subscribe((change) => {
        res.write(`event: change\ndata: ${JSON.stringify({ ticketId: change.ticketId, kind: change.kind })}\n\n`);
      });
      const keepAlive = setInterval(() => {
        sessions
          .get(signed.id)
          .then((session) => (session ? res.write(': keep-alive\n\n') : res.end()))
          .catch(() => undefined); // the store is away for a moment: the stream stays
      }, KEEP_ALIVE_MS);
      const done = () => {
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(res);
      };
      req.once('close', done);
      res.once('close', done);
    }),
  );

  const script = Buffer.from(AGENT_CONSOLE_SCRIPT, 'utf8');
  server.get(CONSOLE_SCRIPT_URL, async (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'application/javascript; charset=utf-8',
      'Content-Length': String(script.length),
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(script);
  });

  return {
    stop() {
      for (const stream of streams.keys()) stream.end();
      streams.clear();
    },
  };

  function noticeFrom(v: ConsoleView, query: unknown, ticket: TicketSummary): ResultNotice | undefined {
    const code = RESULT_CODES.find((c) => c === formField(query, 'result'));
    if (!code) return undefined;
    const problem = !['accepted', 'replied', 'closed', 'action'].includes(code);
    // accepted, a ticket answered by email (or later in the chat): the installer is not told, the chat not taken over
    if (code === 'accepted' && ticket.byEmail) return { text: translator.t(v.language, 'agent:results.acceptedLater'), problem };
    if (code !== 'action') return { text: translator.t(v.language, `agent:results.${code}`), problem };
    const kind = ACTION_KINDS.find((k) => k === formField(query, 'kind'));
    const outcome = formField(query, 'outcome');
    if (!kind || !/^[a-z_]{1,40}$/.test(outcome)) return undefined;
    return { text: actionResultText(v.language, kind, outcome), problem: !DONE_OUTCOMES.includes(outcome) };
  }

  /** What came of an action, as a sentence: "The confirmation email has been sent again." or why it was not. */
  function actionResultText(language: Language, kind: AgentActionKind, outcome: string): string {
    const own = `agent:actionResults.${kind}.${outcome}`;
    if (translator.has(language, own)) return translator.t(language, own);
    if (outcome === 'missing' || outcome === 'no_registration') return translator.t(language, 'agent:actionResults.noRegistration');
    return translator.t(language, 'agent:results.action', { action: translator.t(language, `agent:actionKinds.${kind}`), outcome: outcomeText({ translator, language }, outcome) });
  }
}
