import path from 'node:path';
import type { Installer } from '../../src/domain/installer';
import type { Profile } from '../../src/domain/profile';
import { createLogger } from '../../src/logger';
import { InstallerRepository } from '../../src/services/installers/installerRepository';
import { ProfileService } from '../../src/services/profile/profileService';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { LogCapture, tempDir } from '../helpers/appHarness';
import { rewriteInstaller } from '../helpers/installerFixture';

const PROFILE: Profile = { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' };

describe('ProfileService.save', () => {
  let store: DocumentStore;
  let installers: InstallerRepository;
  const handedOn: string[] = [];
  let failHandOff = false;
  let logs: LogCapture;
  let service: ProfileService;

  beforeEach(async () => {
    store = await openDocumentStore(`sqlite://${path.join(tempDir('profile-service-'), 'db.sqlite')}`);
    installers = new InstallerRepository(store);
    logs = new LogCapture();
    handedOn.length = 0;
    failHandOff = false;
    service = new ProfileService({
      installers,
      logger: createLogger({ level: 'debug', destination: logs }),
      afterSave: async (id) => {
        handedOn.push(id);
        if (failHandOff) throw new Error('LMS down');
      },
    });
    const now = new Date().toISOString();
    const installer: Installer = { id: 'kari@elektro.no', email: 'kari@elektro.no', region: 'global', language: 'nb', stage: 'registered', createdAt: now, updatedAt: now, confirmationsSent: [], stationsLocalized: [] };
    await installers.create(installer);
  });
  afterEach(() => store.close());

  it('is refused before the address is confirmed, and nothing is handed on', async () => {
    expect(await service.save('kari@elektro.no', PROFILE)).toEqual({ kind: 'refused' });
    expect((await installers.get('kari@elektro.no'))?.profile).toBeUndefined();
    expect(handedOn).toEqual([]);
    expect(await service.save('nobody@elektro.no', PROFILE)).toEqual({ kind: 'missing' });
  });

  it('stores the profile on the record through the journey, then hands it on; saving again keeps the stage', async () => {
    await rewriteInstaller(store, 'kari@elektro.no', (i) => ({ ...i, stage: 'confirmed' }));
    expect(await service.save('kari@elektro.no', PROFILE)).toMatchObject({ kind: 'saved', first: true });
    let installer = await installers.get('kari@elektro.no');
    expect(installer).toMatchObject({ profile: PROFILE, stage: 'profile_complete' });
    expect(installer?.stageHistory?.at(-1)).toMatchObject({ stage: 'profile_complete', event: 'profileSaved' });
    expect(handedOn).toEqual(['kari@elektro.no']);

    await rewriteInstaller(store, 'kari@elektro.no', (i) => ({ ...i, stage: 'active' }));
    failHandOff = true;
    expect(await service.save('kari@elektro.no', { ...PROFILE, phone: '+4741234567' })).toMatchObject({ kind: 'saved', first: false });
    installer = await installers.get('kari@elektro.no');
    expect(installer).toMatchObject({ profile: { ...PROFILE, phone: '+4741234567' }, stage: 'active' });
    // a failing hand-off is logged and never undoes the save
    expect(handedOn).toHaveLength(2);
    expect(logs.text).toContain('after profile save failed');
  });

  it('checks the profile again: a value the form would not take is not stored', async () => {
    await rewriteInstaller(store, 'kari@elektro.no', (i) => ({ ...i, stage: 'confirmed' }));
    await expect(service.save('kari@elektro.no', { ...PROFILE, phone: '912 34 567' })).rejects.toThrow();
    expect((await installers.get('kari@elektro.no'))?.profile).toBeUndefined();
  });
});
