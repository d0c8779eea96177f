import type { Language } from '../../src/domain/language';
import type { TranslationVars, Translator } from '../../src/services/i18n/translator';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/** What the bot should say: a locale key (rendered in the case's language) or a function of the translator. */
type Expect = string | ((t: Translator, language: Language) => string);
type Step = [userSays: string, botSays: Expect[]];

interface DialogCase {
  name: string;
  /** The channel locale sent with every activity (undefined: the channel sends none, like Teams on install). */
  locale: string | undefined;
  steps: Step[];
}

const both = (key: string) => (t: Translator) => `${t.t('nb', key)}\n\n${t.t('en', key)}`;
const inLang = (language: Language, key: string, vars?: TranslationVars) => (t: Translator) => t.t(language, key, vars);
const status = (t: Translator, language: Language) => t.t(language, 'journey:title');
const helpFor = (topic: string) => (t: Translator, language: Language) =>
  `${t.t(language, `chat:help.topics.${topic}`)}\n\n${t.t(language, 'chat:help.general')}`;

/** Table-driven dialog tests (BotBuilder-Samples core-bot style), each case run in both languages. */
function casesFor(language: Language, locale: string, words: { hi: string; yes: string; help: string; cancel: string; restart: string; status: string; language: string; human: string; other: 'norsk' | 'English' }): DialogCase[] {
  const other: Language = language === 'nb' ? 'en' : 'nb';
  return [
    {
      name: 'welcomes in the locale language and offers to start',
      locale,
      steps: [[words.hi, ['chat:root.welcome', 'chat:root.startQuestion']]],
    },
    {
      name: 'asks the language when the channel sends no locale, then remembers the choice',
      locale: undefined,
      steps: [
        [words.hi, [both('chat:language.question')]],
        [language === 'nb' ? 'norsk' : 'English', ['chat:root.welcome', 'chat:root.startQuestion']],
        [words.help, [helpFor('start'), 'chat:root.startQuestion']],
      ],
    },
    {
      name: 'answering the language question with its number works too',
      locale: undefined,
      steps: [[words.hi, [both('chat:language.question')]], [language === 'nb' ? '1' : '2', ['chat:root.welcome', 'chat:root.startQuestion']]],
    },
    {
      name: 'help gives help for the current step, then asks the same question again',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        [words.help, [helpFor('start'), 'chat:root.startQuestion']],
        [words.yes, ['registration:region.question']],
        [words.help, [helpFor('region'), 'registration:region.question']],
      ],
    },
    {
      name: 'cancel stops, keeps the welcome, and a new message starts again',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        [words.yes, ['registration:region.question']],
        [words.cancel, ['chat:command.cancelled']],
        [words.hi, ['chat:root.startQuestion']],
      ],
    },
    {
      name: 'restart starts the conversation over from the first question',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        [words.yes, ['registration:region.question']],
        ['1', ['registration:email.question']],
        [words.restart, ['chat:command.restarting', 'chat:root.startQuestion']],
      ],
    },
    {
      name: 'status shows the journey at its first stage, then asks again',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        [words.status, [status, 'chat:root.startQuestion']],
      ],
    },
    {
      name: 'switching language mid-question re-asks it in the new language, and back again',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        [words.other, [inLang(other, 'chat:language.switched'), inLang(other, 'chat:root.startQuestion')]],
        [language === 'nb' ? 'norsk' : 'English', ['chat:language.switched', 'chat:root.startQuestion']],
      ],
    },
    {
      name: 'the language command offers both languages as buttons',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        [words.language, [(t) => `${t.t('nb', 'chat:language.question')}\n\n${t.t('en', 'chat:language.question')}`]],
        [words.other, [inLang(other, 'chat:language.switched'), inLang(other, 'chat:root.startQuestion')]],
      ],
    },
    {
      name: 'asking for a human opens a ticket and says the place in the queue (the question waits)',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        // first the hand-off event to the channel (handoff.initiate, no text), then the place in the queue
        [words.human, [() => '', (_t, l) => localeText(l, 'support:queued', { number: 1001, position: 1, minutes: 5 })]],
      ],
    },
    {
      name: 'an answer that is not a choice is explained; the second miss offers help and a human; the third says it in other words',
      locale,
      steps: [
        [words.hi, ['chat:root.welcome', 'chat:root.startQuestion']],
        // the reason and the question again go out as one message; the second miss offers help and a person,
        // the third says it in other words
        ['tja', [(_t, l) => `${localeText(l, 'chat:question.pickOne')}\n\n${localeText(l, 'chat:root.startQuestion')}`]],
        ['hmm', [(_t, l) => `${localeText(l, 'chat:question.pickOne')}\n\n${localeText(l, 'chat:question.stuck')}\n\n${localeText(l, 'chat:root.startQuestion')}`]],
        ['asdf', [(_t, l) => `${localeText(l, 'chat:question.stillStuck')}\n\n${localeText(l, 'chat:root.startQuestion')}`]],
      ],
    },
  ];
}

const TABLE: Array<[Language, DialogCase]> = [
  ...casesFor('nb', 'nb-NO', { hi: 'hei', yes: 'ja', help: 'hjelp', cancel: 'avbryt', restart: 'start på nytt', status: 'fremdrift', language: 'språk', human: 'menneske', other: 'English' }).map(
    (c): [Language, DialogCase] => ['nb', c],
  ),
  ...casesFor('en', 'en-US', { hi: 'hi', yes: 'yes', help: 'help', cancel: 'cancel', restart: 'restart', status: 'status', language: 'language', human: 'agent', other: 'norsk' }).map(
    (c): [Language, DialogCase] => ['en', c],
  ),
];

describe('root dialog', () => {
  let rig: DialogRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it.each(TABLE.map(([l, c]) => [l, c.name, c] as const))('[%s] %s', async (language, _name, testCase) => {
    rig = await createDialogRig(testCase.locale);
    const t = rig.translator;
    for (const [userSays, expected] of testCase.steps) {
      const replies = await rig.say(userSays);
      const wanted = expected.map((e) => (typeof e === 'string' ? t.t(language, e) : e(t, language)));
      expect({ userSays, replies: replies.length }).toEqual({ userSays, replies: wanted.length });
      wanted.forEach((text, i) => {
        // choices are listed below the question; the question itself must be there as written
        expect(replies[i]!.startsWith(text.split('{{')[0]!.slice(0, 60))).toBe(true);
        expect(replies[i]).toContain(text.length > 120 ? text.slice(0, 120) : text);
      });
    }
  });
});
