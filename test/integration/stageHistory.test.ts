import { startApp, type Harness } from '../helpers/appHarness';
import { TestChannel } from '../helpers/testChannel';

const PASSWORD = 'Ladestasjon-Bergen-2026!';

/**
 * The stage history as the real services (the app's own, on SQLite) record it: registration →
 * password set on the page → email confirmed, and the stage index following each step.
 */
describe('stage history through the real services', () => {
  let h: Harness;
  const channel = new TestChannel();
  /** The chat the registration is linked to (the notices of each step go there). */
  const chat = (name: string) => ({
    channelId: 'test',
    serviceUrl: channel.serviceUrl,
    conversation: { id: `${name}-conv`, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: `u-${name}`, name: '' },
    bot: { id: 'bot', name: 'bot' },
  });
  beforeAll(async () => {
    await channel.start();
    h = await startApp();
  });
  afterAll(async () => {
    await h.stop();
    await channel.stop();
  });

  it('records registered → password set → confirmed with the event of each, oldest first', async () => {
    const { registration, installers } = h.app.services;
    const id = 'kari.history@firma.no';
    const reference = chat('history');
    const started = Date.now();
    await registration.start({ id, email: id, region: 'global', language: 'nb' }, reference);
    expect((await installers.get(id))?.stageHistory).toEqual([{ stage: 'new', at: expect.any(String) }]);
    expect(await installers.listByStage('new')).toContain(id);

    await registration.setPassword(id, PASSWORD);
    // the same password page used again changes the hash only, never the history
    await registration.setPassword(id, PASSWORD + '2');
    await registration.confirmEmail(id);
    // a mail scanner opening the link again: still one "confirmed"
    await registration.confirmEmail(id);

    const stored = await installers.get(id);
    expect(stored?.stage).toBe('confirmed');
    expect(stored?.stageHistory?.map(({ stage, event }) => ({ stage, event }))).toEqual([
      { stage: 'new', event: undefined },
      { stage: 'registered', event: 'passwordSet' },
      { stage: 'confirmed', event: 'emailConfirmed' },
    ]);
    const times = stored!.stageHistory!.map((entry) => Date.parse(entry.at));
    expect(times.every((t) => t >= started - 1000 && t <= Date.now())).toBe(true);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(stored?.stageHistory?.[0]?.at).toBe(stored?.createdAt);

    expect(await installers.listByStage('confirmed')).toEqual([id]);
    expect(await installers.listByStage('new')).not.toContain(id);
    expect((await installers.countByStage()).confirmed).toBe(1);

    // delete my data: the record and its index entry go
    await registration.deleteInstaller(id);
    expect(await installers.get(id)).toBeUndefined();
    expect(await installers.listByStage('confirmed')).toEqual([]);
  });

  it('a station is recorded only once the account is active, through the journey (the history does not grow per station)', async () => {
    const { registration, installers, stations } = h.app.services;
    const id = 'ola.station@elektro.no';
    const reference = chat('station');
    await registration.start({ id, email: id, region: 'global', language: 'nb' }, reference);
    const position = { latitude: 59.9139, longitude: 10.7522 };
    // not active yet: refused, nothing recorded
    await expect(stations.localize(id, '0024:B100:0002:9F81', position, false)).rejects.toThrow(/refused/);
    expect(await stations.localized(id)).toEqual([]);

    await registration.setPassword(id, PASSWORD);
    await registration.confirmEmail(id);
    // the later steps' events (their services come with the rest of the journey)
    for (const event of ['profileSaved', 'coursesAssigned', 'coursesCompleted', 'accountSetUp'] as const) expect((await installers.advance(id, event)).kind).toBe('advanced');
    expect(await installers.listByStage('active')).toEqual([id]);
    expect((await installers.get(id))?.stageHistory?.map((entry) => entry.stage)).toEqual([
      'new', 'registered', 'confirmed', 'profile_complete', 'courses_in_progress', 'certified', 'active',
    ]);
    const before = (await installers.get(id))?.stageHistory;
    await stations.localize(id, '0024:B100:0002:9F81', position, false);
    await stations.localize(id, '0024:B100:0002:9F82', position, false);
    const stored = await installers.get(id);
    expect((await stations.localized(id)).map((s) => s.mac)).toEqual(['0024:B100:0002:9F81', '0024:B100:0002:9F82']);
    expect(stored?.stageHistory).toEqual(before);
    await registration.deleteInstaller(id);
  });
});
