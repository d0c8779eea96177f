import { type Activity, TurnContext } from 'botbuilder';
import type { Language } from '../../../src/domain/language';
import { EtagConflictError } from '../../../src/services/store/documentStore';
import { LeaseLostError } from '../../../src/services/store/leaseLock';
import { channelActivity, startApp, type Harness } from '../../helpers/appHarness';
import { AVAILABLE_BACKENDS, SKIPPED_BACKENDS } from '../../helpers/backends';
import { localeText } from '../../helpers/localeText';
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
  });
});
