import type { Request, Response } from 'restify';
import type { Language } from '../../domain/language';
import { errorSummary, type Logger } from '../../logger';
import type { Translator } from '../../services/i18n/translator';
import { newNonce } from './layout';
import { renderMessagePage } from './messagePage';
import { otherLanguage, requestLanguage, sendPage } from './pageRequest';

/** Where a message page is shown again in the other language (the language switch of message pages). */
export const MESSAGE_PATH = '/account/message';

/** A page handler; it sets `page.language` once it knows it, so an error page can use it. */
export type PageHandler = (req: Request, res: Response, page: { language?: Language }) => Promise<void>;

/**
 * Runs a page handler so that any error becomes a localized error page (500) and one log line
 * (`<area> page failed`), never a stack trace; `cleanup` runs afterwards in every case.
 */
export function guardedPage(
  deps: { translator: Translator; logger: Logger; area: string },
  route: string,
  handler: PageHandler,
  cleanup?: (req: Request) => Promise<void>,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const page: { language?: Language } = {};
    try {
      await handler(req, res, page);
    } catch (error) {
      deps.logger.error({ route, err: errorSummary(error) }, `${deps.area} page failed`);
      if (res.headersSent) {
        res.end();
        return;
      }
      const language = page.language ?? requestLanguage(req);
      const ctx = { translator: deps.translator, language, nonce: newNonce(), switchHref: `${MESSAGE_PATH}/error?lang=${otherLanguage(language)}` };
      sendPage(res, 500, ctx.nonce, renderMessagePage(ctx, { kind: 'error' }));
    } finally {
      if (cleanup) await cleanup(req);
    }
  };
}
