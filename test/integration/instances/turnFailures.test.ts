import { type Activity, TurnContext } from 'botbuilder';
import type { Language } from '../../../src/domain/language';
import { EtagConflictError } from '../../../src/services/store/documentStore';
import { LeaseLostError } from '../../../src/services/store/leaseLock';
import { channelActivity, startApp, type Harness } from '../../helpers/appHarness';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS } from '../../helpers/backends';
import { localeText } from '../../helpers/localeText';
import { TcpFault, viaPort } from '../../helpers/tcpFault';
import { TestChannel } from '../../helpers/testChannel';

/**
 * A turn that fails half-way (a conflict with another turn or instance, a bug, the store going
 * away, its lease taken over): what the user is told, and what becomes of the conversation state.
 */

const LANGUAGES = [
  ['nb', 'nb-NO', 'hei', 'ja'],
  ['en', 'en-US', 'hello', 'yes'],
] as const;

for (const skipped of SKIPPED_BACKENDS) {
  describe(`a turn failing half-way on ${skipped.name}`, () => {
    it.skip('skipped: server not reachable (see the reason printed at the start of the run)', () => undefined);
  });
}

const stateKey = (conversation: string) => `botstate/test/conversations/${conversation}/`;

/**
 * Runs `during` at the first message the bot sends in `conversation` in reply to `text` (inside
 * the turn, in the middle of the dialog), then sends it on, or throws what `during` returns.
 */
function atFirstSend(conversation: string, text: string, during: () => Promise<Error | undefined>): () => void {
  const original = TurnContext.prototype.sendActivities;
  let done = false;
  TurnContext.prototype.sendActivities = async function (this: TurnContext, activities: Array<Partial<Activity>>) {
    if (!done && this.activity.conversation?.id === conversation && this.activity.text === text && activities.some((a) => a.type === 'message')) {
      done = true;
      const error = await during();
      if (error) throw error;
    }
    return original.call(this, activities);
  };
  return () => {
    TurnContext.prototype.sendActivities = original;
  };
}

/** Starts a conversation (welcome and first question) and returns the stored state it is at. */
async function started(h: Harness, channel: TestChannel, conversation: string, locale: string, hi: string): Promise<unknown> {
  await h.post(channelActivity(channel.serviceUrl, conversation, { text: hi, locale }));
  await channel.waitForMessages(conversation, 2);
  const state = (await h.app.store.get(stateKey(conversation)))?.value;
  expect(state).toBeDefined();
  return state;
}

/** The messages of `conversation` after the first `skip`, once nothing more arrives for a moment. */
async function settled(channel: TestChannel, conversation: string, skip: number, count: number): Promise<string[]> {
  await channel.waitForMessages(conversation, skip + count, 20_000);
  await new Promise((r) => setTimeout(r, 700));
  return channel.messagesTo(conversation).slice(skip);
}

describe.each(AVAILABLE_BACKENDS)('a turn failing half-way ($name)', (backend) => {
  const channel = new TestChannel();
  let h: Harness;

  beforeAll(async () => {
    await channel.start();
    h = await startApp({ DATA_URL: backend.url });
  }, 90_000);
  afterAll(async () => {
    await h?.stop();
    await channel.stop();
  });

  describe.each(LANGUAGES)('in %s', (language: Language, locale, hi, yes) => {
    it.each([
      ['an eTag conflict', () => new EtagConflictError('botstate/elsewhere')],
      ['a lost lease', () => new LeaseLostError('turn/elsewhere')],
    ])('%s raised inside a dialog keeps the state and asks to send the message again', async (_kind, conflict) => {
      const conversation = `wrapped-${backend.name}-${language}-${Date.now()}`;
      const before = await started(h, channel, conversation, locale, hi);
      // "yes" to the first question: the dialog goes on to ask the region, and that send fails
      const restore = atFirstSend(conversation, yes, async () => conflict());
      try {
        await h.post(channelActivity(channel.serviceUrl, conversation, { text: yes, locale }));
        expect(await settled(channel, conversation, 2, 1)).toEqual([localeText(language, 'concurrency:busy')]);
      } finally {
        restore();
      }
      expect((await h.app.store.get(stateKey(conversation)))?.value).toEqual(before);
    });

    it('a conflict while the question is asked again sends "busy" alone, without the "did not get that" lead', async () => {
      const conversation = `leadconflict-${backend.name}-${language}-${Date.now()}`;
      await started(h, channel, conversation, locale, hi);
      // "zzz" is no answer: the question is asked again with a lead in front, and that send fails
      const restore = atFirstSend(conversation, 'zzz', async () => new EtagConflictError('botstate/elsewhere'));
      try {
        await h.post(channelActivity(channel.serviceUrl, conversation, { text: 'zzz', locale }));
        expect(await settled(channel, conversation, 2, 1)).toEqual([localeText(language, 'concurrency:busy')]);
      } finally {
        restore();
      }
    });

    it('a bug half-way through a turn is answered "something went wrong"', async () => {
      const conversation = `bug-${backend.name}-${language}-${Date.now()}`;
      await started(h, channel, conversation, locale, hi);
      const restore = atFirstSend(conversation, yes, async () => new Error('a bug in a dialog'));
      try {
        await h.post(channelActivity(channel.serviceUrl, conversation, { text: yes, locale }));
        expect(await settled(channel, conversation, 2, 1)).toEqual([localeText(language, 'chat:error.generic')]);
      } finally {
        restore();
      }
    });

    it('a save that conflicts after the turn replied sends the reply once, keeps the state and asks to send again', async () => {
      const conversation = `saveconflict-${backend.name}-${language}-${Date.now()}`;
      const before = await started(h, channel, conversation, locale, hi);
      // another writer saves the conversation between this turn's read and its write
      const store = h.app.store;
      const put = store.put.bind(store);
      let interfered = false;
      store.put = (async (key: string, value: unknown, options?: Parameters<typeof put>[2]) => {
        if (!interfered && key === stateKey(conversation)) {
          interfered = true;
          await put(key, (await store.get(key))?.value);
        }
        return put(key, value, options);
      }) as typeof store.put;
      const zzz = channelActivity(channel.serviceUrl, conversation, { text: 'zzz', locale });
      try {
        await h.post(zzz);
        const after = await settled(channel, conversation, 2, 2);
        expect(interfered).toBe(true);
        expect(after).toHaveLength(2);
        expect(after[0]).toContain(localeText(language, 'chat:root.startQuestion'));
        expect(after[1]).toBe(localeText(language, 'concurrency:busy'));
        expect(channel.received.filter((r) => r.replyToId === zzz.id && r.text === after[0])).toHaveLength(1);
      } finally {
        store.put = put;
      }
      expect((await h.app.store.get(stateKey(conversation)))?.value).toEqual(before);
    });
  });
});

const SHARED = AVAILABLE_BACKENDS.filter((b) => b.name !== 'sqlite');

describe.each(SHARED)('a turn holding a lease on $name that fails half-way', (backend) => {
  const channel = new TestChannel();
  let proxy: TcpFault;
  let h: Harness;

  beforeAll(async () => {
    const target = new URL(backend.url);
    proxy = new TcpFault(target.hostname, Number(target.port || (backend.name === 'redis' ? 6379 : 5432)));
    await proxy.start();
    await channel.start();
    h = await startApp({ DATA_URL: viaPort(backend.url, proxy.port), STORE_TIMEOUT_MS: '1000' });
  }, 90_000);
  afterAll(async () => {
    proxy?.up();
    await h?.stop();
    await proxy?.stop();
    await channel.stop();
  });

  /** Waits until the app reaches its store again (after the proxy is back up). */
  async function storeBack(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${h.url}/readyz`, { signal: AbortSignal.timeout(2500) }).catch(() => undefined);
      if (res?.status === 200) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the store did not come back');
  }

  describe.each(LANGUAGES)('in %s', (language: Language, locale, hi) => {
    it('the store going away half-way through the turn is answered "try again in a moment"', async () => {
      const conversation = `outage-${backend.name}-${language}-${Date.now()}`;
      await started(h, channel, conversation, locale, hi);
      const restore = atFirstSend(conversation, 'zzz', async () => {
        proxy.down();
        return undefined;
      });
      try {
        await h.post(channelActivity(channel.serviceUrl, conversation, { text: 'zzz', locale }));
        const after = await settled(channel, conversation, 2, 2);
        expect(after).toHaveLength(2);
        expect(after[0]).toContain(localeText(language, 'chat:root.startQuestion'));
        expect(after[1]).toBe(localeText(language, 'store:unavailable'));
      } finally {
        restore();
        proxy.up();
        await storeBack();
      }
    }, 60_000);

    it('a turn whose lease another instance took over saves nothing and asks to send the message again', async () => {
      const conversation = `takeover-${backend.name}-${language}-${Date.now()}`;
      const before = await started(h, channel, conversation, locale, hi);
      const leaseKey = `lease/turn/test/${conversation}`;
      const restore = atFirstSend(conversation, 'zzz', async () => {
        // the lease ran out meanwhile (a long pause) and another instance took it: a higher fence
        const lease = await h.app.store.get<{ fence: number }>(leaseKey);
        await h.app.store.put(leaseKey, { owner: 'another-instance', fence: lease!.value.fence + 1, expiresAt: Date.now() + 60_000 });
        return undefined;
      });
      try {
        await h.post(channelActivity(channel.serviceUrl, conversation, { text: 'zzz', locale }));
        const after = await settled(channel, conversation, 2, 2);
        expect(after).toHaveLength(2);
        expect(after[1]).toBe(localeText(language, 'concurrency:busy'));
      } finally {
        restore();
        await h.app.store.delete(leaseKey);
      }
      expect((await h.app.store.get(stateKey(conversation)))?.value).toEqual(before);
    }, 60_000);
  });
});
