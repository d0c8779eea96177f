import type { TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { isLoopbackUrl, isRequestFromThisMachine, type RequestOrigin } from '../loopback';
import type { OnboardingAdapter } from './inProcessAdapter';
import { claimsInProcessPath } from './webchat/inProcessConnector';
import { jsonBody, sendError } from './webchat/httpHelpers';

export const BOT_ENDPOINT = '/api/messages';

/**
 * Anonymous mode is for the Emulator on this machine: the caller must be loopback (not through a
 * proxy) and the replies must go to a loopback serviceUrl. Undefined when allowed, else the reason.
 */
export function anonymousRefusal(request: RequestOrigin, serviceUrl: string | undefined): string | undefined {
  if (!isRequestFromThisMachine(request)) return 'the caller is not on this machine';
  if (!isLoopbackUrl(serviceUrl)) return 'the serviceUrl is not on this machine';
  return undefined;
}

/** Says loudly at start that the endpoint is open to anyone (ALLOW_ANONYMOUS without MicrosoftAppId). */
export function warnAboutAnonymousMode(config: Pick<Config, 'MicrosoftAppId' | 'ALLOW_ANONYMOUS'>, logger: Logger): void {
  if (!config.ALLOW_ANONYMOUS) return;
  if (config.MicrosoftAppId) {
    logger.warn('ALLOW_ANONYMOUS is ignored: MicrosoftAppId is set, so /api/messages requires Bot Framework authentication');
    return;
  }
  logger.warn(
    '!!! ALLOW_ANONYMOUS=true: /api/messages accepts unauthenticated activities from ANY address and the bot posts its replies to ANY serviceUrl they name. ' +
      'Use this only on a closed test network; set MicrosoftAppId for anything reachable from outside. !!!',
  );
}

function activityType(body: unknown): string | undefined {
  if (body === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const type: unknown = Reflect.get(body, 'type');
  return typeof type === 'string' && type.length > 0 && type.length <= 100 ? type : undefined;
}

function serviceUrlOf(body: unknown): string | undefined {
  const value: unknown = body && typeof body === 'object' ? Reflect.get(body, 'serviceUrl') : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * POST /api/messages: checks the request itself (a JSON activity with a type; anonymous only from
 * this machine, unless ALLOW_ANONYMOUS), then the adapter authenticates and runs the turn.
 */
export function registerBotEndpoint(
  server: Server,
  deps: { adapter: OnboardingAdapter; runTurn: (context: TurnContext) => Promise<void>; config: Pick<Config, 'MicrosoftAppId' | 'ALLOW_ANONYMOUS'>; logger: Logger },
): void {
  const { adapter, runTurn, config, logger } = deps;
  server.post(BOT_ENDPOINT, async (req: Request, res: Response) => {
    const body = jsonBody(req);
    if (body === undefined) return sendError(res, 400, 'BadArgument', 'Expected an activity as a JSON object.');
    if (activityType(body) === undefined) return sendError(res, 400, 'BadArgument', 'The activity has no valid type.');
    const serviceUrl = serviceUrlOf(body);
    if (claimsInProcessPath(serviceUrl)) {
      logger.warn('bot endpoint: refused an activity naming the in-process web chat connector as its serviceUrl');
      return sendError(res, 403, 'Forbidden', 'This serviceUrl is not accepted.');
    }
    if (!config.MicrosoftAppId && !config.ALLOW_ANONYMOUS) {
      const refusal = anonymousRefusal(req, serviceUrl);
      if (refusal) {
        logger.warn({ reason: refusal }, 'bot endpoint: anonymous activity refused');
        return sendError(res, 403, 'Forbidden', `Anonymous activities are accepted only from this machine: ${refusal}.`);
      }
    }
    await adapter.process(req, res, runTurn);
  });
}
