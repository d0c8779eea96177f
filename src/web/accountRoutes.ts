import type { Request, Response, Server } from 'restify';
import type { Language } from '../domain/language';
import type { Logger } from '../logger';
import type { AccountActions } from '../services/installers/accountActions';
import type { PasswordCheck } from '../services/passwords/passwordCheckPool';
import type { Translator } from '../services/i18n/translator';
import type { LinkTokenFailure } from '../services/tokens/hmacLinkTokens';
import type { LinkTokens, TokenPurpose } from '../services/tokens/linkTokens';
import { guardedPage, MESSAGE_PATH, type PageHandler } from './pages/guardedPage';
import { newNonce, type PageContext } from './pages/layout';
import { formField, languageField, otherLanguage, requestLanguage, sendPage } from './pages/pageRequest';
import { messageFromName, messageName, problemStatus, renderMessagePage, type PageMessage } from './pages/messagePage';
import { renderPasswordPage } from './pages/passwordPage';
import { CONFIRM_PATH, PASSWORD_PAGE_PATH, TEAMS_DIALOG_HOST } from '../domain/links';
import { TEAMS_JS_URL } from './staticAssets';

export interface AccountRouteDeps {
  tokens: LinkTokens;
  account: AccountActions;
  /** The password policy (in the app: PasswordCheckPool, off the main thread). */
  checkPassword: PasswordCheck;
  translator: Translator;
  logger: Logger;
}

export { CONFIRM_PATH, PASSWORD_PAGE_PATH, confirmUrl, passwordPageUrl } from '../domain/links';
export { MESSAGE_PATH } from './pages/guardedPage';


/**
 * The pages behind the links the assistant hands out:
 * GET/POST /account/password (choose the password), GET /confirm (the email confirmation link),
 * GET /account/message/<name> (a message page in the other language, for the language switch).
 */
export function registerAccountRoutes(server: Server, deps: AccountRouteDeps): void {
  const { tokens, account, checkPassword, translator, logger } = deps;


  function context(language: Language, switchHref: string): PageContext {
    return { translator, language, nonce: newNonce(), switchHref };
  }

  const send = (res: Response, status: number, ctx: PageContext, html: string): void => sendPage(res, status, ctx.nonce, html);

  function messageContext(message: PageMessage, language: Language): PageContext {
    const other = otherLanguage(language);
    return context(language, `${MESSAGE_PATH}/${messageName(message)}?lang=${other}`);
  }

  function sendProblem(req: Request, res: Response, purpose: TokenPurpose, reason: LinkTokenFailure): void {
    logger.info({ purpose, reason }, 'account link refused');
    const message: PageMessage = { kind: 'problem', purpose, reason };
    const ctx = messageContext(message, requestLanguage(req));
    send(res, problemStatus(reason), ctx, renderMessagePage(ctx, message));
  }

  /**
   * Any failure becomes the localized error page (in the page's language once the handler knows it)
   * and a log line without the request's secrets.
   */
  const guarded = (route: string, handler: PageHandler) => guardedPage({ translator, logger, area: 'account' }, route, handler);

  /** The installer a password token is for; undefined when the problem page has been sent instead. */
  async function passwordTokenInstaller(req: Request, res: Response, token: string): Promise<{ id: string; email: string; language: Language } | undefined> {
    const checked = await tokens.check(token, 'password');
    if (!checked.ok) {
      sendProblem(req, res, 'password', checked.reason);
      return undefined;
    }
    const installer = await account.describe(checked.installerId);
    if (!installer) sendProblem(req, res, 'password', 'invalid');
    return installer ? { ...installer, id: checked.installerId } : undefined;
  }

  function passwordFormContext(token: string, language: Language, inTeams: boolean): PageContext {
    const host = inTeams ? `&host=${TEAMS_DIALOG_HOST}` : '';
    return context(language, `${PASSWORD_PAGE_PATH}?token=${encodeURIComponent(token)}&lang=${otherLanguage(language)}${host}`);
  }

  server.get(
    PASSWORD_PAGE_PATH,
    guarded('GET /account/password', async (req, res, page) => {
      const token = formField(req.query, 'token');
      const installer = await passwordTokenInstaller(req, res, token);
      if (!installer) return;
      const language = languageField(req.query) ?? installer.language;
      page.language = language;
      const inTeams = formField(req.query, 'host') === TEAMS_DIALOG_HOST;
      const ctx = passwordFormContext(token, language, inTeams);
      send(res, 200, ctx, renderPasswordPage(ctx, { email: installer.email, token, problems: [], inTeams }));
    }),
  );

  server.post(
    PASSWORD_PAGE_PATH,
    guarded('POST /account/password', async (req, res, page) => {
      const token = formField(req.body, 'token');
      const password = formField(req.body, 'password');
      const confirmation = formField(req.body, 'confirmation');
      const inTeams = formField(req.body, 'host') === TEAMS_DIALOG_HOST;
      const installer = await passwordTokenInstaller(req, res, token);
      if (!installer) return;
      const language = languageField(req.body) ?? languageField(req.query) ?? installer.language;
      page.language = language;

      const problems = await checkPassword({ password, confirmation, email: installer.email });
      if (problems.length === 0 && (await account.wasTypedInChat(installer.id, password))) {
        problems.push({ field: 'password', code: 'in_chat' });
      }
      if (problems.length > 0) {
        logger.info({ problems: problems.map((p) => `${p.field}:${p.code}`) }, 'password refused by policy');
        const ctx = passwordFormContext(token, language, inTeams);
        return send(res, 422, ctx, renderPasswordPage(ctx, { email: installer.email, token, problems, inTeams }));
      }

      // the portal user gets the password now, in this request: the only moment it exists in clear
      const portal = await account.createPortalUser(installer.id, password);
      if (portal === 'unavailable' || portal === 'refused') {
        const ctx = passwordFormContext(token, language, inTeams);
        const problems = [{ field: 'password' as const, code: portal === 'unavailable' ? ('portal_unavailable' as const) : ('portal_refused' as const) }];
        return send(res, portal === 'unavailable' ? 503 : 422, ctx, renderPasswordPage(ctx, { email: installer.email, token, problems, inTeams }));
      }
      if (portal === 'existing') logger.info('the portal already had this address; its own password stays');

      const redeemed = await tokens.redeem(token, 'password');
      if (!redeemed.ok) return sendProblem(req, res, 'password', redeemed.reason);
      await account.setPassword(redeemed.installerId, password);
      logger.info('password set from the password page');

      const message: PageMessage = { kind: 'saved' };
      const ctx = messageContext(message, language);
      // only a page opened as a Teams dialog loads the Teams SDK and says the window closes by itself
      send(res, 200, ctx, renderMessagePage(ctx, message, inTeams ? { scriptSrc: TEAMS_JS_URL, result: { passwordSet: true } } : undefined));
    }),
  );

  /**
   * The confirmation link. Mail scanners (Safe Links, gateways) open links before the person does,
   * so a GET never uses the link up: it confirms once, and any later GET of a link that is still
   * current says the account is already confirmed. A link to an address that was corrected or
   * deleted since gets a clear page, never an error.
   */
  server.get(
    CONFIRM_PATH,
    guarded('GET /confirm', async (req, res, page) => {
      const token = formField(req.query, 'token');
      const checked = await tokens.check(token, 'confirm');
      if (!checked.ok) return sendProblem(req, res, 'confirm', checked.reason);
      const installer = await account.describe(checked.installerId);
      if (!installer) return sendProblem(req, res, 'confirm', 'replaced');
      const language = languageField(req.query) ?? installer.language;
      page.language = language;
      let message: PageMessage = { kind: 'alreadyConfirmed' };
      if (!installer.confirmed) {
        await account.confirmEmail(checked.installerId);
        logger.info('email confirmed from the confirmation link');
        message = { kind: 'confirmed' };
      }
      const ctx = messageContext(message, language);
      send(res, 200, ctx, renderMessagePage(ctx, message));
    }),
  );

  server.get(
    `${MESSAGE_PATH}/:name`,
    guarded('GET /account/message', async (req, res) => {
      const name: unknown = (req.params as Record<string, unknown> | undefined)?.name;
      const found = typeof name === 'string' ? messageFromName(name) : undefined;
      const message: PageMessage = found ?? { kind: 'error' };
      const ctx = messageContext(message, requestLanguage(req));
      send(res, found ? 200 : 404, ctx, renderMessagePage(ctx, message));
    }),
  );
}
