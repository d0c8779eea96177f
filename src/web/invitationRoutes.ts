import type { Request, Response, Server } from 'restify';
import { parseAccountSetup } from '../domain/accountSetup';
import { INVITATION_PAGE_PATH } from '../domain/links';
import type { Language } from '../domain/language';
import type { Logger } from '../logger';
import type { InvitationActions, InvitationView } from '../services/account/invitationActions';
import type { Translator } from '../services/i18n/translator';
import type { LinkTokenFailure } from '../services/tokens/hmacLinkTokens';
import type { LinkTokens } from '../services/tokens/linkTokens';
import { guardedPage, MESSAGE_PATH } from './pages/guardedPage';
import { renderInvitationPage, type InvitationFormView } from './pages/invitationPage';
import { newNonce, type PageContext } from './pages/layout';
import { messageName, problemStatus, renderMessagePage, type PageMessage } from './pages/messagePage';
import { formField, languageField, otherLanguage, requestLanguage, sendPage } from './pages/pageRequest';

export interface InvitationRouteDeps {
  tokens: LinkTokens;
  invitations: InvitationActions;
  translator: Translator;
  logger: Logger;
}

/**
 * GET/POST /account/invitation: the page behind the invitation email's link. GET shows the form
 * (name and company from the profile, the terms); POST checks it, uses the link up and sets up the
 * installer account. Like the password page, the form carries the link token in a hidden field
 * (a cross-site form cannot know it), `form-action 'self'` applies, and nothing needs JavaScript.
 * A link used, expired or replaced by a newer invitation answers 410 with a page saying so.
 */
export function registerInvitationRoutes(server: Server, deps: InvitationRouteDeps): void {
  const { tokens, invitations, translator, logger } = deps;

  const context = (language: Language, switchHref: string): PageContext => ({ translator, language, nonce: newNonce(), switchHref });
  const send = (res: Response, status: number, ctx: PageContext, html: string): void => sendPage(res, status, ctx.nonce, html);
  const messageContext = (message: PageMessage, language: Language) => context(language, `${MESSAGE_PATH}/${messageName(message)}?lang=${otherLanguage(language)}`);
  const guarded = (route: string, handler: Parameters<typeof guardedPage>[2]) => guardedPage({ translator, logger, area: 'invitation' }, route, handler);

  function sendProblem(req: Request, res: Response, reason: LinkTokenFailure, language = requestLanguage(req)): void {
    logger.info({ purpose: 'invitation', reason }, 'account link refused');
    const message: PageMessage = { kind: 'problem', purpose: 'invitation', reason };
    const ctx = messageContext(message, language);
    send(res, problemStatus(reason), ctx, renderMessagePage(ctx, message));
  }

  /** The installer an invitation token is for, while it may still set up the account; undefined when the problem page was sent. */
  async function invitedInstaller(req: Request, res: Response, token: string): Promise<(InvitationView & { id: string }) | undefined> {
    const checked = await tokens.check(token, 'invitation');
    if (!checked.ok) {
      sendProblem(req, res, checked.reason);
      return undefined;
    }
    const installer = await invitations.describe(checked.installerId);
    if (!installer) {
      sendProblem(req, res, 'invalid');
      return undefined;
    }
    if (installer.stage !== 'certified') {
      // set up already (through this link in another tab, say): the link has done its work
      sendProblem(req, res, installer.stage === 'active' ? 'used' : 'invalid', languageField(req.query) ?? installer.language);
      return undefined;
    }
    return { ...installer, id: checked.installerId };
  }

  const formContext = (token: string, language: Language) =>
    context(language, `${INVITATION_PAGE_PATH}?token=${encodeURIComponent(token)}&lang=${otherLanguage(language)}`);

  server.get(
    INVITATION_PAGE_PATH,
    guarded('GET /account/invitation', async (req, res, page) => {
      const token = formField(req.query, 'token');
      const installer = await invitedInstaller(req, res, token);
      if (!installer) return;
      const language = languageField(req.query) ?? installer.language;
      page.language = language;
      const ctx = formContext(token, language);
      const view: InvitationFormView = { token, firstName: installer.firstName, lastName: installer.lastName, company: installer.company, termsAccepted: false, problems: [] };
      send(res, 200, ctx, renderInvitationPage(ctx, view));
    }),
  );

  server.post(
    INVITATION_PAGE_PATH,
    guarded('POST /account/invitation', async (req, res, page) => {
      const token = formField(req.body, 'token');
      const installer = await invitedInstaller(req, res, token);
      if (!installer) return;
      const language = languageField(req.body) ?? languageField(req.query) ?? installer.language;
      page.language = language;
      const typed = {
        firstName: formField(req.body, 'firstName'),
        lastName: formField(req.body, 'lastName'),
        company: formField(req.body, 'company'),
        termsAccepted: formField(req.body, 'terms') === 'accepted',
      };
      const parsed = parseAccountSetup(typed);
      if (!parsed.ok) {
        logger.info({ problems: parsed.problems.map((p) => `${p.field}:${p.code}`) }, 'installer account form refused');
        const ctx = formContext(token, language);
        return send(res, 422, ctx, renderInvitationPage(ctx, { token, ...typed, problems: parsed.problems }));
      }
      const redeemed = await tokens.redeem(token, 'invitation');
      if (!redeemed.ok) return sendProblem(req, res, redeemed.reason, language);
      const result = await invitations.setUpAccount(redeemed.installerId, parsed.account);
      if (result === 'missing' || result === 'refused') return sendProblem(req, res, 'invalid', language);
      const message: PageMessage = { kind: 'accountReady' };
      const ctx = messageContext(message, language);
      send(res, 200, ctx, renderMessagePage(ctx, message));
    }),
  );
}
