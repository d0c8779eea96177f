import type { Services } from '../../src/services/buildServices';

/** Stops what the embedded services run (job worker, mail sender, QR decoders, password hashers), as the app does on shutdown. */
export async function stopServices(services: Services): Promise<void> {
  await services.jobs.stop();
  await services.mailer.stop();
  await services.qrPool.close();
  await services.passwords.close();
}
