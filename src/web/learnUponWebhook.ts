import type { Request, Response, Server } from 'restify';
import type { Region } from '../domain/journey';
import type { Logger } from '../logger';
import type { DocumentStore } from '../services/store/documentStore';
import { storeErrorSummary } from '../services/store/storeUnavailableError';
import { LearnUponWebhookReceiver, type OnCourseCompleted } from '../services/lms/learnUponWebhook';
import { learnUponSettingsFromConfig, type LearnUponEnvironment } from '../services/lms/learnUponSettings';

export const LEARNUPON_WEBHOOK_PATH = '/webhooks/learnupon';

export interface LearnUponWebhookRouteDeps {
  config: LearnUponEnvironment;
  store: DocumentStore;
  logger: Logger;
  /** Records/enqueues a completion and returns fast (the durable job does the work). */
  onCourseCompleted: OnCourseCompleted;
}

const header = (req: Request, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** The body exactly as it came (the signature covers these bytes), as restify's body parser kept it. */
function rawBody(req: Request): string | undefined {
  const raw: unknown = Reflect.get(req, 'rawBody');
  if (typeof raw === 'string') return raw;
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  const body: unknown = req.body;
  return typeof body === 'string' ? body : undefined;
}

/**
 * POST /webhooks/learnupon: LearnUpon webhooks v2 from the regions' portals. Registered only when
 * at least one LEARNUPON_<REGION>_WEBHOOK_SECRET is set; returns whether it was.
 */
export function registerLearnUponWebhook(server: Server, deps: LearnUponWebhookRouteDeps): boolean {
  const settings = learnUponSettingsFromConfig(deps.config);
  const secrets: Partial<Record<Region, string>> = {};
  for (const regionSettings of Object.values(settings.regions)) {
    if (regionSettings?.webhookSecret) secrets[regionSettings.region] = regionSettings.webhookSecret;
  }
  if (Object.keys(secrets).length === 0) return false;
  const receiver = new LearnUponWebhookReceiver({ secrets, store: deps.store, logger: deps.logger, onCourseCompleted: deps.onCourseCompleted });

  server.post(LEARNUPON_WEBHOOK_PATH, async (req: Request, res: Response) => {
    const body = rawBody(req);
    if (body === undefined) {
      res.json(400, { status: 'invalid' });
      return;
    }
    try {
      const answer = await receiver.receive({
        rawBody: body,
        signature: header(req, 'x-webhook-signature'),
        type: header(req, 'x-webhook-type'),
        deliveryId: header(req, 'x-webhook-id'),
      });
      res.json(answer.status, answer.body);
    } catch (error) {
      deps.logger.warn({ err: storeErrorSummary(error) }, 'LearnUpon webhook could not be recorded');
      res.json(503, { status: 'unavailable' });
    }
  });
  return true;
}
