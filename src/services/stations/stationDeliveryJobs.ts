import type { Logger } from '../../logger';
import type { AppJobs } from '../jobs/appJobs';
import type { JobQueue, RetryPolicy } from '../jobs/jobQueue';
import { type LocalizationDeliveries, type LocalizationPayload, localizationPayload } from './stationRegistry';

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
 * POSTs it; a failure is retried with backoff, "delete my data" drops the ones not sent yet, and a
 * corrected email address re-files them under the new id with the new address.
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
  const queuedBy = (type: string, payload: unknown, installerId: string): payload is AppJobs['stationDelivery'] =>
    type === 'stationDelivery' && (payload as Partial<AppJobs['stationDelivery']> | undefined)?.installerId === installerId;
  return {
    enqueue: async (installerId, payload) => void (await jobs.enqueue('stationDelivery', { installerId, payload })),
    forget: (installerId) => jobs.forget((type, payload) => queuedBy(type, payload, installerId)),
    // the same localization (and delivery id), naming the installer as the record now does
    move: (fromId, installer) =>
      jobs.rewrite((type, queued) => {
        if (!queuedBy(type, queued, fromId)) return undefined;
        const { station, localizedAt, id } = queued.payload;
        return { installerId: installer.id, payload: localizationPayload(installer, { ...station, localizedAt }, id) } satisfies AppJobs['stationDelivery'];
      }),
  };
}
