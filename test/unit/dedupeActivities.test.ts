import path from 'node:path';
import { type Activity, TestAdapter, type TurnContext } from 'botbuilder';
import { DedupeActivitiesMiddleware } from '../../src/bot/middleware/dedupeActivities';
import { SerializeTurnsMiddleware } from '../../src/bot/middleware/serializeTurns';
import { createLogger } from '../../src/logger';
import type { DocumentStore } from '../../src/services/store/documentStore';
import { openDocumentStore } from '../../src/services/store/keyvDocumentStore';
import { LogCapture, tempDir } from '../helpers/appHarness';

/** The single-instance mode (SQLite): no `running` mark, one `done` mark once the turn completed. */
describe('activity dedupe on a single instance', () => {
  let store: DocumentStore;
  beforeAll(async () => {
    store = await openDocumentStore(`sqlite://${path.join(tempDir(), 'dedupe.sqlite')}`);
  });
  afterAll(async () => {
    await store.close();
  });

  function adapterRunning(logic: (context: TurnContext) => Promise<void>) {
    const adapter = new TestAdapter(logic);
    adapter.use(new SerializeTurnsMiddleware());
    adapter.use(new DedupeActivitiesMiddleware(store, createLogger({ level: 'warn', destination: new LogCapture() }), 10_000, true));
    return adapter;
  }

  const activity = (conversation: string, id: string): Partial<Activity> =>
    ({
      type: 'message',
      id,
      text: 'hei',
      channelId: 'test',
      conversation: { id: conversation },
      from: { id: 'user' },
      recipient: { id: 'bot' },
    }) as Partial<Activity>;

  it('runs an activity delivered twice at the same time once, and marks it done only when its turn completed', async () => {
    const marks: unknown[] = [];
    let runs = 0;
    const adapter = adapterRunning(async (context) => {
      runs++;
      marks.push(await store.get(`handled/test/twice/${context.activity.id}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await Promise.all([adapter.processActivity(activity('twice', 'a1')), adapter.processActivity(activity('twice', 'a1'))]);
    await adapter.processActivity(activity('twice', 'a1'));
    expect(runs).toBe(1);
    expect(marks).toEqual([undefined]);
    expect((await store.get('handled/test/twice/a1'))?.value).toMatchObject({ state: 'done' });
    await adapter.processActivity(activity('twice', 'a2'));
    expect(runs).toBe(2);
  });

  it('runs an activity again when its first turn failed', async () => {
    let runs = 0;
    const adapter = adapterRunning(async () => {
      runs++;
      if (runs === 1) throw new Error('simulated failure');
    });
    await expect(adapter.processActivity(activity('failed', 'b1'))).rejects.toThrow('simulated failure');
    expect(await store.get('handled/test/failed/b1')).toBeUndefined();
    await adapter.processActivity(activity('failed', 'b1'));
    expect(runs).toBe(2);
  });

  it('runs an activity left `running` by a stopped instance once that mark expired, not before', async () => {
    let runs = 0;
    const adapter = adapterRunning(async () => {
      runs++;
    });
    await store.put('handled/test/left/c1', { state: 'running', owner: 'gone', until: Date.now() + 60_000, at: Date.now() });
    await adapter.processActivity(activity('left', 'c1'));
    expect(runs).toBe(0);
    await store.put('handled/test/left/c1', { state: 'running', owner: 'gone', until: Date.now() - 1, at: Date.now() });
    await adapter.processActivity(activity('left', 'c1'));
    expect(runs).toBe(1);
  });
});
