import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/** Found by the fuzz test: the region question kept the suggested region's name in the language it was first asked in. */
const CASES: Array<{ from: Language; locale: string; hi: string; yes: string; switchTo: string; to: Language }> = [
  { from: 'nb', locale: 'nb-NO', hi: 'hei', yes: 'ja', switchTo: 'English', to: 'en' },
  { from: 'en', locale: 'en-GB', hi: 'hello', yes: 'yes', switchTo: 'norsk', to: 'nb' },
];

describe.each(CASES)('switching from $from to $to at the region question', ({ locale, hi, yes, switchTo, to }) => {
  let rig: DialogRig;
  beforeEach(async () => {
    rig = await createDialogRig(locale);
  });
  afterEach(() => rig.close());

  it('asks it again wholly in the new language, the suggested region included', async () => {
    await rig.say(hi);
    await rig.say(yes);
    const replies = await rig.say(switchTo);
    const t = (key: string, vars?: Record<string, string>) => rig.translator.t(to, key, vars);
    expect(replies[0]).toBe(t('chat:language.switched'));
    expect(replies[1]).toContain(t('registration:region.question', { suggested: t('registration:region.global') }));
  });
});

/** Found playing a tradesman through: "english" typed in an English chat (an answer given too early) was announced as a switch. */
const SAME: Array<{ language: Language; locale: string; hi: string; yes: string; same: string[] }> = [
  { language: 'nb', locale: 'nb-NO', hi: 'hei', yes: 'ja', same: ['norsk', 'på norsk takk'] },
  { language: 'en', locale: 'en-GB', hi: 'hello', yes: 'yes', same: ['english', 'in english please'] },
];

describe.each(SAME)('asking for the language the chat is already in ($language)', ({ language, locale, hi, yes, same }) => {
  it('says so instead of announcing a switch, and asks the question again', async () => {
    const rig = await createDialogRig(locale);
    try {
      await rig.say(hi);
      await rig.say(yes);
      for (const text of same) {
        const replies = await rig.say(text);
        expect(replies[0]).toBe(localeText(language, 'chat:language.already'));
        expect(replies[1]).toContain(localeText(language, 'registration:region.question', { suggested: localeText(language, 'registration:region.global') }));
      }
    } finally {
      await rig.close();
    }
  });
});
