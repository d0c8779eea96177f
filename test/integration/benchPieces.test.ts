import fs from 'node:fs';
import path from 'node:path';
import { startChannel, type BenchChannel } from '../../bench/channel';
import { startEchoBot, type EchoBot } from '../../bench/echoBot';
import { journeyText, percentile, runLoad } from '../../bench/load';
import { rssMbOf } from '../../bench/processes';
import { startApp, type Harness } from '../helpers/appHarness';

/** The pieces `npm run bench` is made of work (no timing is asserted here). */
/** The text before the first {{variable}}. */
const fixedStart = (text: string) => text.split('{{')[0]!;
const nb = (namespace: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../locales/nb', `${namespace}.json`), 'utf8'));

describe('the benchmark pieces', () => {
  let channel: BenchChannel;
  beforeAll(async () => {
    channel = await startChannel({ keepTexts: true });
  });
  afterAll(async () => {
    await channel.close();
  });

  it('the bare echo bot answers every turn of every conversation through the channel stand-in', async () => {
    const echo: EchoBot = await startEchoBot();
    try {
      const result = await runLoad({ botUrl: echo.url, channel, prefix: 'echo', conversations: 2, turns: 3 });
      expect(result).toMatchObject({ turns: 6, replies: 6, failures: 0 });
      expect(channel.texts('echo-c1')).toEqual(['Echo: hei', 'Echo: banan', 'Echo: ja']);
      // a later slice continues the same conversations and counts only its own replies
      const more = await runLoad({ botUrl: echo.url, channel, prefix: 'echo', conversations: 2, turns: 2, firstTurn: 3 });
      expect(more).toMatchObject({ turns: 4, replies: 4, failures: 0 });
      expect(channel.texts('echo-c1')).toEqual(['Echo: hei', 'Echo: banan', 'Echo: ja', 'Echo: hjelp', 'Echo: status']);
    } finally {
      await echo.close();
    }
  });

  describe('the app under the journey load', () => {
    let app: Harness;
    beforeAll(async () => {
      app = await startApp();
    });
    afterAll(async () => {
      await app.stop();
    });

    it('answers every journey turn: a wrong then a right answer, help, status, a bad then a good email', async () => {
      const turns = 14;
      const result = await runLoad({ botUrl: app.url, channel, prefix: 'journey', conversations: 1, turns });
      expect(result.failures).toBe(0);
      expect(result.turns).toBe(turns);
      const texts = channel.texts('journey-c0');
      const chat = nb('chat');
      const registration = nb('registration');
      expect(texts.filter((t) => t.startsWith(chat.question.pickOne))).toHaveLength(2);
      expect(texts.some((t) => t.startsWith(nb('journey').title))).toBe(true);
      expect(texts.some((t) => t.startsWith(registration.email.problem.spaces))).toBe(true);
      // a good address is answered with the one-time code step
      expect(texts.some((t) => t.startsWith(fixedStart(registration.code.sent)))).toBe(true);
    });
  });

  it('scripts the journey: opening turns, then the email and "ja" to it shown back, then help, status and a wrong answer in turn', () => {
    const script = Array.from({ length: 15 }, (_, turn) => journeyText(turn, 'a@example.com'));
    expect(script).toEqual(['hei', 'banan', 'ja', 'hjelp', 'status', 'feil', '1', 'hjelp', 'status', 'ikke en epost', 'a@example.com', 'ja', 'hjelp', 'status', 'banan']);
  });

  it('reads percentiles and a process RSS', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    if (process.platform === 'linux') expect(rssMbOf(process.pid)).toBeGreaterThan(10);
  });
});
