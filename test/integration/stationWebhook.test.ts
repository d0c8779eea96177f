import { createHmac } from 'node:crypto';
import path from 'node:path';
import nock from 'nock';
import { loadConfig } from '../../src/config';
import type { Installer } from '../../src/domain/installer';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services/buildServices';
import { createTranslator } from '../../src/services/i18n/translator';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { LocalStationRegistry } from '../../src/services/stations/stationRegistry';
import { verifySignature } from '../../src/services/stations/stationWebhook';
import { LogCapture, tempDir } from '../helpers/appHarness';
import { dumpStore } from '../helpers/storeDump';
import { waitUntil } from '../helpers/testSmtpServer';
import { stopServices } from '../helpers/stopServices';

const REGISTRY = 'https://registry.chargepoint.example';
const HOOK_PATH = '/hooks/stations';
const SECRET = 'registry-shared-secret-0123456789abcdef';
const ID = 'kari@elektro.no';

const installer = (at: string): Installer => ({
  id: ID,
  email: ID,
  region: 'global',
  language: 'nb',
  stage: 'active',
  createdAt: at,
  updatedAt: at,
  confirmationsSent: [],
  stationsLocalized: [],
  account: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS' },
});

interface Received {
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

describe('station registry: each localization POSTed to STATIONS_WEBHOOK_URL, signed, retried durably', () => {
  let store: DocumentStore;
  let services: Services;
  let logs: LogCapture;

  let config: ReturnType<typeof loadConfig>;

  /** The services on `store` (a second call: the next run of the app on the same store). */
  async function servicesOn(maxAttempts?: number): Promise<Services> {
    const built = buildServices({
      config,
      store,
      translator: await createTranslator(),
      logger: createLogger({ level: 'debug', destination: logs }),
      stationDelivery: { retry: { baseMs: 30, maxMs: 60 }, ...(maxAttempts ? { maxAttempts } : {}) },
      jobs: { pollMs: 50 },
    });
    built.notifier.attach(async () => ({ kind: 'reached' as const }));
    return built;
  }

  async function build(env: Record<string, string>, maxAttempts?: number): Promise<void> {
    const dataDir = tempDir('onboarding-webhook-');
    config = loadConfig({ DATA_DIR: dataDir, DATA_URL: `sqlite://${path.join(dataDir, 'db.sqlite')}`, ...env });
    logs = new LogCapture();
    store = await openDocumentStore(config.DATA_URL);
    services = await servicesOn(maxAttempts);
    await services.installers.create(installer(new Date().toISOString()));
  }

  beforeAll(() => nock.disableNetConnect());
  afterEach(async () => {
    await stopServices(services);
    await store.close();
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());

  /** The registry stand-in: answers with `statuses` in turn, recording each raw request. */
  function registry(statuses: number[]): { received: Received[]; scope: nock.Scope } {
    const received: Received[] = [];
    const scope = nock(REGISTRY);
    for (const status of statuses) scope.post(HOOK_PATH).reply(status, status < 300 ? { ok: true } : { error: 'down' });
    scope.on('request', (req: { headers: Record<string, string | string[] | undefined> }, _interceptor: unknown, body: string) => received.push({ body, headers: { ...req.headers } }));
    return { received, scope };
  }

  it('the registry gets the localization as JSON with a verifiable signature; a 500 is retried with the same delivery id', async () => {
    await build({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: SECRET });
    const { received, scope } = registry([500, 200]);
    services.jobs.start();

    await services.stations.localize(ID, '0024:B100:0002:9F81', { latitude: 59.9139, longitude: 10.7522, accuracyMeters: 8 }, false);
    await waitUntil(() => scope.isDone(), 'two webhook calls', 5_000);
    await waitUntil(() => logs.text.includes('delivered to the registry'), 'the delivery logged', 2_000);

    expect(received).toHaveLength(2);
    const [failed, retried] = received as [Received, Received];
    const payload = JSON.parse(retried.body) as Record<string, unknown>;
    expect(payload).toEqual({
      id: expect.any(String),
      type: 'station.localized',
      station: { mac: '0024:B100:0002:9F81', latitude: 59.9139, longitude: 10.7522, accuracyMeters: 8 },
      localizedAt: expect.any(String),
      installer: { email: ID, region: 'global', language: 'nb', firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS' },
    });
    expect(retried.headers['content-type']).toBe('application/json');
    // the same localization both times: the receiver can drop a duplicate by its id
    expect(failed.body).toBe(retried.body);
    expect(failed.headers['x-delivery-id']).toBe(payload.id);
    expect(retried.headers['x-delivery-id']).toBe(payload.id);

    // the signature, as the README tells a receiver to check it (computed here independently too)
    for (const request of received) {
      const header = String(request.headers['x-signature']);
      const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
      expect(match).not.toBeNull();
      const [, t, v1] = match!;
      expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60);
      expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${request.body}`).digest('hex'));
      expect(verifySignature(SECRET, header, request.body)).toBe(true);
      // a changed body, another secret, or an old request do not verify
      expect(verifySignature(SECRET, header, request.body.replace('59.9139', '59.9140'))).toBe(false);
      expect(verifySignature('another-secret-0123456789abcdef0123', header, request.body)).toBe(false);
      expect(verifySignature(SECRET, header, request.body, Date.now() + 10 * 60_000)).toBe(false);
    }

    // recorded locally as well, and among the installer's stations
    expect(await new LocalStationRegistry(store).get('0024:B100:0002:9F81')).toMatchObject({ latitude: 59.9139, longitude: 10.7522 });
    expect((await services.stations.localized(ID)).map((s) => s.mac)).toEqual(['0024:B100:0002:9F81']);
    // the logs say what happened, never who or the secret
    expect(logs.text).toContain('will retry');
    expect(logs.text).not.toContain(ID);
    expect(logs.text).not.toContain(SECRET);
  });

  it('a registry that keeps failing is given up after the last attempt, with one error line', async () => {
    await build({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: SECRET }, 3);
    const { received, scope } = registry([503, 502, 500]);
    services.jobs.start();
    await services.stations.localize(ID, '0024:B100:0002:9F82', { latitude: 60.39, longitude: 5.32 }, false);
    await waitUntil(() => scope.isDone() && logs.text.includes('job given up'), 'three attempts, then given up', 5_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(3);
    expect(logs.text.match(/job given up/g)).toHaveLength(1);
    expect((await services.jobs.dead()).map((job) => job.type)).toEqual(['stationDelivery']);
  });

  it('a delivery queued before a restart is made by the next run (it lives in the store)', async () => {
    await build({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: SECRET });
    // not started: as if the process stopped right after the localization
    await services.stations.localize(ID, '0024:B100:0002:9F83', { latitude: 63.43, longitude: 10.39 }, false);
    const { received, scope } = registry([200]);
    // the next run of the app on the same store
    const next = await servicesOn();
    await next.jobs.runDue();
    expect(scope.isDone()).toBe(true);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ station: { mac: '0024:B100:0002:9F83' } });
    // delivered once: another pass sends nothing
    await next.jobs.runDue();
    await services.jobs.runDue();
    await next.jobs.stop();
    expect(received).toHaveLength(1);
  });

  it('"delete my data" while a station is localized (after the deliveries were dropped, before the record is deleted): that delivery is dropped too, nothing is sent', async () => {
    await build({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: SECRET });
    const { received } = registry([200]);
    // the race, made certain: an eraser added last runs after the deliveries' eraser and before the record goes
    services.erasers.add(async () => services.stations.localize(ID, '0024:B100:0002:9F85', { latitude: 69.65, longitude: 18.96 }, false));

    await services.registration.deleteInstaller(ID);
    await services.jobs.runDue();

    expect(received).toEqual([]);
    expect(await services.installers.get(ID)).toBeUndefined();
    const dump = await dumpStore(config.DATA_URL);
    for (const word of [ID, 'Nordmann', 'Elektro AS']) expect(dump).not.toContain(word);
    // the station's position stays in the local registry, without the person
    expect(await new LocalStationRegistry(store).get('0024:B100:0002:9F85')).toEqual({ mac: '0024:B100:0002:9F85', latitude: 69.65, longitude: 18.96, localizedAt: expect.any(String) });
  });

  it('a localization that read the installer before "delete my data" and queues its delivery after it: the delivery is dropped, nothing is sent', async () => {
    await build({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: SECRET });
    const { received } = registry([200]);
    // the whole erasure runs right after the localization has read the installer record
    const read = services.installers.get.bind(services.installers);
    let erased = false;
    jest.spyOn(services.installers, 'get').mockImplementation(async (id) => {
      const found = await read(id);
      if (!erased) {
        erased = true;
        await services.registration.deleteInstaller(ID);
      }
      return found;
    });

    await services.stations.localize(ID, '0024:B100:0002:9F86', { latitude: 69.65, longitude: 18.96 }, false);
    await services.jobs.runDue();

    expect(erased).toBe(true);
    expect(received).toEqual([]);
    const dump = await dumpStore(config.DATA_URL);
    for (const word of [ID, 'Nordmann', 'Elektro AS']) expect(dump).not.toContain(word);
  });

  it('support corrects the email address while a station is localized (after the deliveries were re-filed, before the old record is deleted): that delivery goes out with the new address too', async () => {
    await build({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: SECRET });
    const { received, scope } = registry([200, 200]);
    const corrected = 'kari.nordmann@elektro.no';
    await services.stations.localize(ID, '0024:B100:0002:9F87', { latitude: 59.91, longitude: 10.75 }, false);
    // the race, made certain: a move added last runs after the deliveries' move and before the old record goes
    services.erasers.add(async () => undefined, { move: async ({ fromId }) => services.stations.localize(fromId, '0024:B100:0002:9F88', { latitude: 63.43, longitude: 10.39 }, false) });

    expect(await services.registration.correctEmail(ID, corrected)).toEqual({ kind: 'corrected', installerId: corrected });
    expect((await dumpStore(config.DATA_URL)).split('\n').filter((line) => line.includes(ID))).toEqual([]);
    await services.jobs.runDue();

    expect(scope.isDone()).toBe(true);
    const payloads = received.map((r) => JSON.parse(r.body) as { station: { mac: string }; installer: { email: string } });
    expect(payloads.map((p) => [p.station.mac, p.installer.email]).sort()).toEqual([
      ['0024:B100:0002:9F87', corrected],
      ['0024:B100:0002:9F88', corrected],
    ]);
    expect((await services.stations.localized(corrected)).map((s) => s.mac).sort()).toEqual(['0024:B100:0002:9F87', '0024:B100:0002:9F88']);
  });

  it('without STATIONS_WEBHOOK_URL the localization is recorded locally and nothing is sent', async () => {
    await build({});
    services.jobs.start();
    await services.stations.localize(ID, '0024:B100:0002:9F84', { latitude: 58.97, longitude: 5.73 }, false);
    expect(await new LocalStationRegistry(store).get('0024:B100:0002:9F84')).toMatchObject({ mac: '0024:B100:0002:9F84', latitude: 58.97 });
    await services.jobs.runDue();
    expect(nock.pendingMocks()).toEqual([]);
    expect(logs.text).not.toContain('stationDelivery');
  });
});

describe('station registry webhook configuration', () => {
  it('STATIONS_WEBHOOK_URL without a secret is a configuration error', () => {
    expect(() => loadConfig({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH })).toThrow(/STATIONS_WEBHOOK_SECRET/);
    expect(() => loadConfig({ STATIONS_WEBHOOK_URL: REGISTRY + HOOK_PATH, STATIONS_WEBHOOK_SECRET: 'short' })).toThrow(/at least 32/);
  });
});
