import type { Activity } from 'botbuilder';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';

/** What the chat answers to a message over 2,000 characters (literal: a missing or wrong locale text fails). */
const TOO_LONG: Record<Language, string> = {
  nb: 'Den meldingen er for lang til at jeg kan lese den (over 2\u00a0000 tegn). Send bare svaret på spørsmålet.',
  en: 'That message is too long for me to read (more than 2,000 characters). Please send just the answer to the question.',
};

const WORDS: Record<Language, { locale: string; hi: string; yes: string; help: string; email: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', help: 'hjelp', email: 'kari@elektro.no' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', help: 'help', email: 'sam@sparks.co.uk' },
};

const WORDS_HUMAN: Record<Language, string> = { nb: 'menneske', en: 'agent' };

/** The inputs that froze the parsers: Direct Line lets 20,000 characters through. */
const COORDINATES_BOMB = '1' + ' '.repeat(19_998) + 'x';
const EMAIL_BOMB = '<'.repeat(100_000);

describe.each<Language>(['nb', 'en'])('a message longer than the assistant reads, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  const tr = (key: string, vars?: Record<string, string | number>) => rig.translator.t(language, key, vars);

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  async function atEmailQuestion(): Promise<void> {
    await rig.say(w.hi);
    await rig.say(w.yes);
    expect(await rig.say('1')).toEqual([tr('registration:email.question')]);
  }

  it('at the email question: "too long", the same question again, nothing registered', async () => {
    await atEmailQuestion();
    expect(await rig.say(EMAIL_BOMB)).toEqual([TOO_LONG[language], tr('registration:email.question')]);
    expect(await rig.say(COORDINATES_BOMB)).toEqual([TOO_LONG[language], tr('registration:email.question')]);
    expect(await rig.services.installers.get(w.email)).toBeUndefined();
    // and the question is still open: a good address goes on to the password link
    await rig.say(w.email);
    await rig.say(w.yes);
    const [prompt] = await rig.say(await rig.codeFor(w.email));
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
  });

  it('an address padded to exactly 2,000 characters is read; 2,001 is too long', async () => {
    await atEmailQuestion();
    const padded = (length: number) => w.email + ' '.repeat(length - w.email.length);
    expect(await rig.say(padded(2001))).toEqual([TOO_LONG[language], tr('registration:email.question')]);
    await rig.say(padded(2000));
    await rig.say(w.yes);
    const [prompt] = await rig.say(await rig.codeFor(w.email));
    expect(prompt).toContain(tr('registration:password.prompt', { minutes: 30 }));
  });

  it('at the station position question: "too long", the same question again, nothing localized', async () => {
    await rig.registerActive(w);
    await rig.say('0024:B100:0002:9F81');
    const replies = await rig.say(COORDINATES_BOMB);
    expect(replies[0]).toBe(TOO_LONG[language]);
    expect(replies[1]).toContain(tr('chat:station.where', { mac: '0024:B100:0002:9F81' }));
    expect(replies).toHaveLength(2);
    expect(await rig.services.stations.localized(w.email)).toEqual([]);
  });

  it('a forged message whose text is not a string is read as an empty one (no failed turn)', async () => {
    await atEmailQuestion();
    const forged = { text: { length: 1e9 } } as unknown as Partial<Activity>;
    expect(await rig.say('', forged)).toEqual([`${tr('registration:email.problem.empty')}\n\n${tr('registration:email.question')}`]);
  });

  it('a command inside a too-long message is not run', async () => {
    await atEmailQuestion();
    expect(await rig.say(w.help + ' '.repeat(5000))).toEqual([TOO_LONG[language], tr('registration:email.question')]);
  });

  it('while the chat waits for support: "too long", nothing understood, nothing passed on to the ticket', async () => {
    const read: string[] = [];
    await rig.close();
    rig = await createDialogRig(w.locale, 'test', {}, (understander) => ({
      understand: (text, expectation, lang) => (read.push(text), understander.understand(text, expectation, lang)),
    }));
    await rig.say(w.hi);
    await rig.say(WORDS_HUMAN[language]);
    const [ticket] = await rig.services.support.queue();
    expect(ticket).toBeDefined();
    read.length = 0;
    expect(await rig.say(EMAIL_BOMB)).toEqual([TOO_LONG[language]]);
    expect(read.filter((text) => text.length > 2000)).toEqual([]);
    const transcript = (await rig.services.support.ticket(ticket!.id))!.transcript;
    expect(transcript.filter((entry) => entry.text.length > 2000)).toEqual([]);
    // still with support: the next (short) message goes to the ticket
    expect(await rig.say('hallo?')).toEqual([]);
    expect((await rig.services.support.ticket(ticket!.id))!.transcript.map((entry) => entry.text)).toContain('hallo?');
  });

  it('a too-long first message is answered so, then the conversation starts as usual', async () => {
    const replies = await rig.say(EMAIL_BOMB);
    expect(replies[0]).toBe(TOO_LONG[language]);
    expect(replies.slice(1)).toEqual(await (async () => {
      const other = await createDialogRig(w.locale);
      try {
        return await other.say(w.hi);
      } finally {
        await other.close();
      }
    })());
  });
});

describe('a message longer than the assistant reads, before the language is known', () => {
  it('is answered in both languages, and the language question is asked again', async () => {
    const rig = await createDialogRig(undefined);
    try {
      const [question] = await rig.say('hei');
      expect(await rig.say(COORDINATES_BOMB)).toEqual([`${TOO_LONG.nb}\n\n${TOO_LONG.en}`, question]);
    } finally {
      await rig.close();
    }
  });
});
