import type { Logger } from '../../logger';
import type { AppJobs } from '../jobs/appJobs';
import type { JobQueue, RetryPolicy } from '../jobs/jobQueue';
import type { LocalizationDeliveries, LocalizationPayload } from './stationRegistry';

declare module '../jobs/appJobs' {
  interface AppJobs {
    /** One localization for the station registry's webhook (STATIONS_WEBHOOK_URL), signed and POSTed. */
    stationDelivery: { installerId: string; payload: LocalizationPayload };
  }
}

/** Backoff between attempts: 5 s doubling to 30 min; 20 attempts ≈ 7 hours before it is given up (npm run jobs:dead). */
export const STATION_DELIVERY_POLICY: RetryPolicy = { maxAttempts: 20, retry: { baseMs: 5_000, maxMs: 30 * 60_000 } };

/**
 * The station registry's webhook deliveries as durable jobs (the mail outbox's claim, lease and
 * backoff, shared by every instance on the store): each localization is one job whose handler
 * POSTs it; a failure is retried with backoff, and "delete my data" drops the ones not sent yet.
 */
export function registerStationDeliveries(deps: {
  jobs: JobQueue<AppJobs>;
  deliver: (payload: LocalizationPayload) => Promise<void>;
  logger: Logger;
  policy?: RetryPolicy;
}): LocalizationDeliveries {
  const { jobs, deliver } = deps;
  const logger = deps.logger.child({ component: 'stationWebhook' });
  jobs.register(
    'stationDelivery',
    async ({ payload }, { attempt }) => {
      await deliver(payload);
      logger.info({ deliveryId: payload.id, attempt }, 'localization delivered to the registry');
    },
    { ...STATION_DELIVERY_POLICY, ...deps.policy },
  );
  return {
    enqueue: async (installerId, payload) => void (await jobs.enqueue('stationDelivery', { installerId, payload })),
    forget: (installerId) => jobs.forget((type, payload) => type === 'stationDelivery' && (payload as Partial<AppJobs['stationDelivery']> | undefined)?.installerId === installerId),
  };
}
