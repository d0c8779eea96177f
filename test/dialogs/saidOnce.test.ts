import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';
import { rewriteInstaller } from '../helpers/installerFixture';

/**
 * The same thing is never said twice in a row: at every step of the journey, "status", "help",
 * a wrong answer and "station" are played in both languages, and no sentence of a message comes
 * again in the next message of the same answer (or twice in one message). Asking the question
 * again in the next answer, after the user has said something, is what a re-ask is.
 */
const WORDS: Record<Language, { locale: string; hi: string; yes: string; help: string; status: string; wrong: string; station: string; didntGet: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', help: 'hjelp', status: 'fremdrift', wrong: 'kanskje', station: 'stasjon', didntGet: 'fikk ikke e-post', email: 'kari.en.gang@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', help: 'help', status: 'status', wrong: 'maybe', station: 'station', didntGet: "didn't get the email", email: 'sam.once@sparks.co.uk' },
};

/** The sentences of a reply (a list item or a line counts as one), without links and short fragments. */
function sentences(text: string): string[] {
  return text
    .replace(/https?:\/\/\S+/g, '')
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.replace(/^[-\d.\s]+/, '').trim())
    .filter((s) => s.length >= 25);
}

/** Runs of six words (lower case, without punctuation): a shared one is the same thing said again in other framing. */
function wordRuns(text: string): Set<string> {
  const words = text
    .replace(/https?:\S+/g, '')
    .toLocaleLowerCase()
    .split(/[^\p{L}\p{N}@]+/u)
    .filter(Boolean);
  return new Set(words.slice(0, Math.max(0, words.length - 5)).map((_w, i) => words.slice(i, i + 6).join(' ')));
}

function repeats(replies: string[]): string[] {
  const found: string[] = [];
  replies.forEach((reply, i) => {
    const own = sentences(reply);
    own.forEach((s, j) => {
      if (own.indexOf(s) !== j) found.push(`twice in one message: ${s}`);
    });
    if (i === 0) return;
    const previous = wordRuns(replies[i - 1]!);
    const again = [...wordRuns(reply)].filter((run) => previous.has(run));
    if (again.length > 0) found.push(`twice in a row: "${again[0]}"`);
  });
  return found;
}

describe.each<Language>(['nb', 'en'])('nothing is said twice in a row, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  /** The bot's messages of each turn. */
  const turns: Array<{ userSays: string; replies: string[] }> = [];
  const say = async (text: string) => turns.push({ userSays: text, replies: await rig.say(text) });
  const probe = async (...extra: string[]) => {
    for (const text of [w.status, w.help, w.wrong, w.station, ...extra]) await say(text);
  };

  beforeAll(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterAll(() => rig.close());

  it('at every step: status, help, a wrong answer, "station"', async () => {
    await say(w.hi);
    await probe(); // the start question
    await say(w.yes);
    await probe(); // the region
    await say('1');
    await probe('ola@'); // the email
    await say(w.email);
    if (!turns.at(-1)!.replies[0]!.startsWith(localeText(language, 'registration:code.sent', { email: w.email, minutes: 10 }))) {
      await probe(); // the address shown back, where it is
      await say(w.yes);
    }
    await probe(); // the code
    await say(await rig.codeFor(w.email));
    await probe(); // the password page
    await rig.services.registration.setPassword(w.email, 'Ladestasjon-Bergen-2026!');
    await say('ok');
    await probe(w.didntGet, w.help, w.status, 'xx'); // the confirmation, and its options
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, stage: 'confirmed' }));
    await say('ok');
    // confirmed: the profile step (a name is any word there: a wrong answer is one with digits)
    for (const text of [w.status, w.help, '12345', w.station, '12345', w.status, w.help]) await say(text);
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, stage: 'active' }));
    await say(language === 'nb' ? 'avbryt' : 'cancel');
    await say('ok');
    await probe('0024:B100:0002:9F81', w.status, w.help, 'ved garasjen'); // on site
    expect(turns.flatMap(({ userSays, replies }) => repeats(replies).map((r) => `${userSays} → ${r}`))).toEqual([]);
    // the journey was played to the end: the position question was reached
    expect(turns.at(-1)!.replies.at(-1)).toContain(localeText(language, 'chat:station.where', { mac: '0024:B100:0002:9F81' }));
  });
});
