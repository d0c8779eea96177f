import path from 'node:path';
import { channelActivity, tempDir } from '../../helpers/appHarness';
import { localeText } from '../../helpers/localeText';
import { TestChannel } from '../../helpers/testChannel';
import { AppProcess } from './appProcess';
import { hangingChannel } from './hangingChannel';

/**
 * SQLite is one instance's store: when its process is killed (SIGKILL: no cleanup of any kind) in
 * the middle of a turn, the app started again on the same file must run the activity the channel
 * delivers again, and keep everything the conversation had before.
 */

/** The fixed text of the region question before its {{suggested}} region. */
const regionQuestionStart = (language: 'nb' | 'en') => localeText(language, 'registration:region.question', { suggested: '\u0000' }).split('\u0000')[0]!;

describe('an app on SQLite killed in the middle of a turn, started again on the same file', () => {
  const channel = new TestChannel();
  beforeAll(() => channel.start());
  afterAll(() => channel.stop());

  it.each([
    ['nb', 'nb-NO', 'hei', 'ja'],
    ['en', 'en-GB', 'hello', 'yes'],
  ] as const)(
    '(%s) runs the activity delivered again, and the conversation keeps what it had',
    async (language, locale, hi, yes) => {
      const dataUrl = `sqlite://${path.join(tempDir('sqlite-kill-'), 'db.sqlite')}`;
      const conversation = `sqlite-kill-${language}-${Date.now()}`;
      const hanging = await hangingChannel();
      let app = await AppProcess.start(dataUrl);
      try {
        // a first turn that completes: the welcome and the start question
        expect((await app.post(channelActivity(channel.serviceUrl, conversation, { text: hi, locale }))).status).toBe(200);
        const [, start] = await channel.waitForMessages(conversation, 2, 40_000);
        expect(start).toContain(localeText(language, 'chat:root.startQuestion'));

        // the answer: its turn hangs on its first reply, and the process is killed then
        const answer = channelActivity(hanging.serviceUrl, conversation, { text: yes, locale });
        const first = app.post(answer).catch(() => undefined);
        const deadline = Date.now() + 20_000;
        while (hanging.arrived() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(hanging.arrived()).toBeGreaterThan(0);
        await app.kill();
        await first;

        // a new process on the same file; the channel delivers the answer again
        app = await AppProcess.start(dataUrl);
        expect((await app.post({ ...answer, serviceUrl: channel.serviceUrl })).status).toBe(200);
        const [, , question] = await channel.waitForMessages(conversation, 3, 40_000);
        // the conversation was at the start question (nothing lost): the yes goes on to the region
        expect(question!.startsWith(regionQuestionStart(language))).toBe(true);

        // once run, a further copy is not run again
        await app.post({ ...answer, serviceUrl: channel.serviceUrl });
        await new Promise((r) => setTimeout(r, 500));
        expect(channel.messagesTo(conversation)).toHaveLength(3);
      } finally {
        await app.kill().catch(() => undefined);
        await hanging.close();
      }
    },
    150_000,
  );
});
