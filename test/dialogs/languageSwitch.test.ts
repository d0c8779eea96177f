import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';

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
