import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '../../../src/config';
import type { Installer } from '../../../src/domain/installer';
import type { StationLocalization } from '../../../src/domain/station';
import { createLogger } from '../../../src/logger';
import { buildServices, type Services } from '../../../src/services/buildServices';
import { createTranslator } from '../../../src/services/i18n/translator';
import { localizationKey, localizedMacsKey } from '../../../src/services/stations/stationLocalizations';
import { registeredStationKey } from '../../../src/services/stations/stationRegistry';
import type { DocumentStore } from '../../../src/services/store/documentStore';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { tempDir } from '../../helpers/appHarness';
import { AVAILABLE_BACKENDS } from '../../helpers/backends';
import { countingWrites } from '../../helpers/countingStore';
import { localMails } from '../../helpers/mailCodes';
import { dumpStore } from '../../helpers/storeDump';
import { stopServices } from '../../helpers/stopServices';

jest.setTimeout(60_000);

/** A MAC no other run on a shared server uses (unicast: the first octet is even). */
function freshMac(): string {
  const hex = '00' + randomBytes(7).toString('hex').toUpperCase();
  return hex.match(/.{4}/g)!.join(':');
}

function activeInstaller(id: string, legacy?: StationLocalization[], account?: Installer['account']): Installer {
  const at = new Date().toISOString();
  return { id, email: id, region: 'global', language: 'nb', stage: 'active', createdAt: at, updatedAt: at, confirmationsSent: [], ...(legacy ? { stationsLocalized: legacy } : {}), ...(account ? { account } : {}) };
}

/** Names no other run on a shared server uses, so a store dump can be searched for them. */
const freshAccount = () => {
  const tag = randomBytes(4).toString('hex');
  return { firstName: `Kari${tag}`, lastName: `Nordmann${tag}`, company: `Elektro${tag} AS` };
};

const here = { latitude: 59.9139, longitude: 10.7522 };

describe.each(AVAILABLE_BACKENDS)('station localizations on $name: one document per station, a set per installer', ({ url }) => {
  let store: DocumentStore;
  let counted: ReturnType<typeof countingWrites>;
  let services: Services;
  const dataDir = tempDir('stations-');

  beforeAll(async () => {
    store = await openDocumentStore(url);
    counted = countingWrites(store);
    const config = loadConfig({ DATA_DIR: dataDir, DATA_URL: url });
    services = buildServices({ config, store: counted.store, translator: await createTranslator(), logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await stopServices(services);
    await store.close();
  });

  it('20 stations localized at once for one installer: all 20 recorded, and the installer record written only when it was created', async () => {
    const id = `parallel.${randomUUID()}@firma.example`;
    await services.installers.create(activeInstaller(id));
    const history = (await services.installers.get(id))?.stageHistory;
    const macs = Array.from({ length: 20 }, freshMac);

    await Promise.all(macs.map((mac, i) => services.stations.localize(id, mac, { latitude: 59.9 + i / 1000, longitude: 10.75 }, false)));

    expect((await services.stations.localized(id)).map((s) => s.mac).sort()).toEqual([...macs].sort());
    expect(counted.writesTo(`installer/${id}`)).toBe(1);
    const installer = await services.installers.get(id);
    expect(installer?.stage).toBe('active');
    expect(installer?.stageHistory).toEqual(history);
    await services.registration.deleteInstaller(id);
  });

  it('a station localized again replaces its one document and becomes the latest; the others stay as they were', async () => {
    const id = `again.${randomUUID()}@firma.example`;
    await services.installers.create(activeInstaller(id));
    const [first, second] = [freshMac(), freshMac()];
    await services.stations.localize(id, first, here, false);
    await services.stations.localize(id, second, { latitude: 60.3913, longitude: 5.3221 }, false);
    await new Promise((r) => setTimeout(r, 5));
    await services.stations.localize(id, first, { latitude: 63.4305, longitude: 10.3951, accuracyMeters: 4 }, false);

    const listed = await services.stations.localized(id);
    expect(listed.map((s) => [s.mac, s.latitude, s.longitude])).toEqual([
      [second, 60.3913, 5.3221],
      [first, 63.4305, 10.3951],
    ]);
    expect(await store.setMembers(localizedMacsKey(id))).toEqual([first, second]);
    expect((await store.get<StationLocalization>(localizationKey(id, first)))?.value).toMatchObject({ latitude: 63.4305, accuracyMeters: 4 });
    await services.registration.deleteInstaller(id);
  });

  it('an installer record from the earlier version (stations in an array on it) still counts and lists them; reading folds them in', async () => {
    const id = `legacy.${randomUUID()}@firma.example`;
    const [a, b, c] = [freshMac(), freshMac(), freshMac()];
    const old = (mac: string, minutesAgo: number, latitude = 59.9): StationLocalization => ({ mac, latitude, longitude: 10.75, localizedAt: new Date(Date.now() - minutesAgo * 60_000).toISOString() });
    // b was localized again since (by this version): its document is newer than the array's entry
    await services.installers.create(activeInstaller(id, [old(a, 30), old(b, 20, 58.1)]));
    await store.put(localizationKey(id, b), old(b, 1, 61.5));
    await store.addToSet(localizedMacsKey(id), [b]);

    // counted before anything is folded: the array's stations too, b once
    expect(await services.stations.localizedCount(id)).toBe(2);
    // several readers at once fold the same array: each sees every station, once
    const reads = await Promise.all(Array.from({ length: 5 }, () => services.stations.localized(id)));
    for (const listed of reads) expect(listed.map((s) => [s.mac, s.latitude])).toEqual([[a, 59.9], [b, 61.5]]);
    expect((await services.installers.get(id))?.stationsLocalized).toBeUndefined();

    // and a station localized after the upgrade comes on top
    await services.stations.localize(id, c, here, false);
    expect((await services.stations.localized(id)).map((s) => s.mac)).toEqual([a, b, c]);
    expect(await services.stations.localizedCount(id)).toBe(3);
    await services.registration.deleteInstaller(id);
  });

  it('"delete my data" removes every localization and the set: no line of the store names the installer or ties a MAC to them', async () => {
    const id = `slett.${randomUUID()}@firma.example`;
    const legacyMac = freshMac();
    const account = freshAccount();
    await services.installers.create(activeInstaller(id, [{ mac: legacyMac, ...here, localizedAt: new Date().toISOString() }], account));
    const macs = [freshMac(), freshMac(), freshMac()];
    for (const mac of macs) await services.stations.localize(id, mac, here, false);
    const everyMac = [legacyMac, ...macs];
    const part = localizedMacsKey(id).split('/')[1]!;
    expect(await dumpStore(url)).toContain(part);

    await services.registration.deleteInstaller(id);

    expect(await services.stations.localized(id)).toEqual([]);
    expect(await store.setMembers(localizedMacsKey(id))).toEqual([]);
    // the station registry keeps where a station stands, nothing about who localized it
    const registryLine = (line: string) => macs.some((mac) => line.slice(0, line.indexOf('=')).endsWith(registeredStationKey(mac)));
    const lines = (await dumpStore(url)).split('\n');
    const naming = lines.filter((line) => line.includes(id) || line.includes(part) || everyMac.some((mac) => line.includes(mac))).filter((line) => !registryLine(line));
    expect(naming).toEqual([]);
    // the registry's documents stay (a station's position is the customer's), without the person in them
    const registry = lines.filter(registryLine);
    expect(registry).toHaveLength(macs.length);
    const person = [id, part, account.firstName, account.lastName, account.company];
    expect(registry.filter((line) => person.some((word) => line.includes(word)))).toEqual([]);
  });

  it('a station localized while "delete my data" runs (after the stations were erased, before the record is deleted) leaves neither its document nor the MAC set', async () => {
    const id = `samtidig.${randomUUID()}@firma.example`;
    await services.installers.create(activeInstaller(id, undefined, freshAccount()));
    const [before, during] = [freshMac(), freshMac()];
    await services.stations.localize(id, before, here, false);
    // the race, made certain: an eraser added last runs after the stations' eraser and before the record goes
    let landed = false;
    services.erasers.add(async ({ installerId }) => {
      if (installerId !== id) return;
      await services.stations.localize(id, during, here, false);
      landed = true;
    });

    await services.registration.deleteInstaller(id);

    expect(landed).toBe(true);
    expect(await services.installers.get(id)).toBeUndefined();
    expect(await store.get(localizationKey(id, during))).toBeUndefined();
    expect(await store.get(localizationKey(id, before))).toBeUndefined();
    expect(await store.setMembers(localizedMacsKey(id))).toEqual([]);
    const part = localizedMacsKey(id).split('/')[1]!;
    expect((await dumpStore(url)).split('\n').filter((line) => line.includes(id) || line.includes(part))).toEqual([]);
  });

  it('support corrects the email address: the stations move to the new id (old and folded ones), nothing stays under the old one; "export my data" lists them', async () => {
    const id = `flytt.${randomUUID()}@firma.example`;
    const legacyMac = freshMac();
    await services.installers.create(activeInstaller(id, [{ mac: legacyMac, ...here, localizedAt: new Date(Date.now() - 60_000).toISOString() }]));
    const mac = freshMac();
    await services.stations.localize(id, mac, here, false);

    const moved = await services.registration.correctEmail(id, `ny.${id}`);
    expect(moved.kind).toBe('corrected');
    const newId = moved.installerId!;
    expect((await services.stations.localized(newId)).map((s) => s.mac)).toEqual([legacyMac, mac]);
    expect(await store.setMembers(localizedMacsKey(id))).toEqual([]);
    expect(await store.get(localizationKey(id, mac))).toBeUndefined();

    expect(await services.registration.exportData(newId)).toBeDefined();
    await services.mailer.flush();
    const file = (await localMails(dataDir)).at(-1)!.attachments.find((a) => a.filename === 'my-data.json')!;
    const exported = JSON.parse(file.content.toString('utf8')) as { registration: { stationsLocalized: StationLocalization[] } };
    expect(exported.registration.stationsLocalized.map((s) => s.mac)).toEqual([legacyMac, mac]);
    await services.registration.deleteInstaller(newId);
  });
});
