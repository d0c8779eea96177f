import type { Installer } from '../../../src/domain/installer';
import type { Stage } from '../../../src/domain/journey';
import { InstallerRepository } from '../../../src/services/installers/installerRepository';
import { StageIndex } from '../../../src/services/installers/stageIndex';
import type { DocumentStore } from '../../../src/services/store/documentStore';
import { openDocumentStore } from '../../../src/services/store/keyvDocumentStore';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS, uniqueKey } from '../../helpers/backends';

for (const skipped of SKIPPED_BACKENDS) {
  describe(`stage index on ${skipped.name}`, () => {
    it.skip('skipped: server not reachable (see the reason printed at the start of the run)', () => undefined);
  });
}

const ZERO: Record<Stage, number> = { new: 0, registered: 0, confirmed: 0, profile_complete: 0, courses_in_progress: 0, certified: 0, active: 0 };

function installer(id: string, stage: Stage = 'new'): Installer {
  const at = '2026-11-20T10:00:00.000Z';
  return { id, email: id, region: 'global', language: 'nb', stage, createdAt: at, updatedAt: at, confirmationsSent: [], stationsLocalized: [] };
}

describe.each(AVAILABLE_BACKENDS)('stage index on $name', (backend) => {
  let store: DocumentStore;
  beforeAll(async () => {
    store = await openDocumentStore(backend.url);
  });
  afterAll(async () => {
    await store.close();
  });

  /** A repository with an index of its own (suites sharing a server do not see each other's installers). */
  function repository(shards?: number) {
    const namespace = uniqueKey('stages');
    const index = new StageIndex(store, { namespace, shards });
    const prefix = namespace.replace(/\W+/g, '_');
    const repo = new InstallerRepository(store, () => new Date('2026-11-24T09:00:00.000Z'), index);
    return { repo, index, namespace, ids: (name: string) => `${name}.${prefix}@example.com` };
  }

  it('lists and counts installers by stage as they are created, advanced and deleted', async () => {
    const { repo, ids } = repository();
    const [kari, sam, ola] = [ids('kari'), ids('sam'), ids('ola')];
    expect(await repo.countByStage()).toEqual(ZERO);
    expect(await repo.listByStage('new')).toEqual([]);

    for (const id of [kari, sam, ola]) expect(await repo.create(installer(id))).toBe(true);
    expect(await repo.listByStage('new')).toEqual([kari, ola, sam].sort());
    expect(await repo.countByStage()).toEqual({ ...ZERO, new: 3 });

    expect((await repo.advance(kari, 'passwordSet')).kind).toBe('advanced');
    expect((await repo.advance(sam, 'passwordSet')).kind).toBe('advanced');
    expect((await repo.advance(sam, 'emailConfirmed')).kind).toBe('advanced');
    // refused and unchanged events leave the index where it was
    expect((await repo.advance(ola, 'stationLocalized')).kind).toBe('refused');
    expect((await repo.advance(sam, 'emailConfirmed')).kind).toBe('unchanged');

    expect(await repo.listByStage('new')).toEqual([ola]);
    expect(await repo.listByStage('registered')).toEqual([kari]);
    expect(await repo.listByStage('confirmed')).toEqual([sam]);
    expect(await repo.countByStage()).toEqual({ ...ZERO, new: 1, registered: 1, confirmed: 1 });

    // update never changes the stage, nor the index
    await repo.update(kari, (current) => ({ ...current, language: 'en' }));
    expect(await repo.listByStage('registered')).toEqual([kari]);

    await repo.delete(sam);
    expect(await repo.listByStage('confirmed')).toEqual([]);
    expect(await repo.countByStage()).toEqual({ ...ZERO, new: 1, registered: 1 });
  });

  it('the installers of a stage the LMS poller asks for: courses_in_progress, among many', async () => {
    const { repo, ids } = repository();
    const all = Array.from({ length: 30 }, (_, i) => ids(`installer${String(i).padStart(2, '0')}`));
    for (const id of all) await repo.create(installer(id));
    const learning = all.filter((_, i) => i % 3 === 0);
    for (const id of learning) {
      for (const event of ['passwordSet', 'emailConfirmed', 'profileSaved', 'coursesAssigned'] as const) expect((await repo.advance(id, event)).kind).toBe('advanced');
    }
    expect(await repo.listByStage('courses_in_progress')).toEqual([...learning].sort());
    expect(await repo.countByStage()).toEqual({ ...ZERO, new: 20, courses_in_progress: 10 });
  });

  it('writers racing on one shard (and two connections) lose no entry', async () => {
    // one shard: every write contends on the same document, the worst case the shards spread out
    const { repo, namespace, ids } = repository(1);
    const other = await openDocumentStore(backend.url);
    try {
      const otherRepo = new InstallerRepository(other, () => new Date(), new StageIndex(other, { namespace, shards: 1 }));
      const all = Array.from({ length: 24 }, (_, i) => ids(`racer${i}`));
      await Promise.all(all.map((id, i) => (i % 2 ? otherRepo : repo).create(installer(id))));
      expect(await repo.countByStage()).toEqual({ ...ZERO, new: 24 });
      await Promise.all(all.map((id, i) => (i % 2 ? repo : otherRepo).advance(id, 'passwordSet')));
      expect(await repo.listByStage('registered')).toEqual([...all].sort());
      await Promise.all(all.slice(0, 12).map((id, i) => (i % 2 ? otherRepo : repo).delete(id)));
      expect(await repo.listByStage('registered')).toEqual(all.slice(12).sort());
    } finally {
      await other.close();
    }
  });

  it('an index write that lands late never undoes a newer stage', async () => {
    const { repo, index, ids } = repository();
    const id = ids('late');
    await repo.create(installer(id));
    await repo.advance(id, 'passwordSet');
    await repo.advance(id, 'emailConfirmed');
    // the write of the first change arriving after the second one
    expect(await index.set(id, { stage: 'registered', seq: 2 })).toBe(false);
    expect(await repo.listByStage('confirmed')).toEqual([id]);
    expect(await repo.listByStage('registered')).toEqual([]);
  });

  it('a delete racing a stage change never leaves an entry without its record', async () => {
    const { repo, index, ids } = repository(1);
    for (let round = 0; round < 12; round++) {
      const id = ids(`race${round}`);
      await repo.create(installer(id));
      await Promise.all([repo.advance(id, 'passwordSet'), repo.delete(id)]);
      // (the other way round can happen: a change that read the record before the delete may write it back,
      // as a write with an eTag to a missing key succeeds in the store; such a record is indexed at its next write)
      if (await index.entry(id)) expect(await repo.get(id)).toBeDefined();
      await repo.delete(id);
      expect(await index.entry(id)).toBeUndefined();
    }
    expect(await repo.countByStage()).toEqual(ZERO);
  });

  it('a record written before the index existed is indexed at its next write', async () => {
    const { repo, ids } = repository();
    const id = ids('legacy');
    // as stored before stage history and the index: no stageHistory, no entry
    expect(await store.create(`installer/${id}`, installer(id, 'registered'))).toBeDefined();
    expect(await repo.listByStage('registered')).toEqual([]);
    // any write through the repository (here: a language switched) indexes it as it is
    await repo.update(id, (current) => ({ ...current, language: 'en' }));
    expect(await repo.listByStage('registered')).toEqual([id]);
    // and its next stage change moves it, with a history that starts at the stage it had
    const advanced = await repo.advance(id, 'emailConfirmed');
    expect(advanced.kind).toBe('advanced');
    expect(await repo.listByStage('confirmed')).toEqual([id]);
    expect(await repo.listByStage('registered')).toEqual([]);
    await repo.delete(id);
  });

  it('the index documents hold ids only of installers that exist (deleted data leaves nothing)', async () => {
    const { repo, namespace, ids } = repository(2);
    const id = ids('private');
    await repo.create(installer(id));
    await repo.advance(id, 'passwordSet');
    const before = await Promise.all([0, 1].map((n) => store.get(`${namespace}/${n}`)));
    expect(JSON.stringify(before)).toContain(id);
    await repo.delete(id);
    const after = await Promise.all([0, 1].map((n) => store.get(`${namespace}/${n}`)));
    expect(JSON.stringify(after)).not.toContain(id);
  });
});
