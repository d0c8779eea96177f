import { localeText } from '../helpers/localeText';
import { createDialogRig } from '../helpers/dialogRig';
import type { Language } from '../../src/domain/language';
import type { Expectation } from '../../src/domain/understanding';
import { startAppUnderstander } from '../../src/services/understanding/appUnderstander';
import { tempDir } from '../helpers/appHarness';

describe.each<[Language, string, string]>([
  ['nb', 'nb-NO', 'hei'],
  ['en', 'en-GB', 'hi'],
])('the understanding port in the dialogs, in %s', (language, locale, hi) => {
  it('understands each message once, against what the open prompt expects', async () => {
    const calls: Array<{ text: string; expectation: Expectation }> = [];
    const rig = await createDialogRig(locale, 'test', {}, (inner) => ({
      understand: (text, expectation, chatLanguage) => {
        calls.push({ text, expectation });
        return inner.understand(text, expectation, chatLanguage);
      },
    }));
    try {
      await rig.say(hi);
      calls.length = 0;
      // the start question: yes/no; "thanks" interrupts it and it is asked again
      const thanks = await rig.say(language === 'nb' ? 'takk' : 'thanks');
      expect(thanks[0]).toBe(localeText(language, 'chat:smalltalk.thanks'));
      expect(thanks[1]!.startsWith(localeText(language, 'chat:root.startQuestion'))).toBe(true);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.expectation.kinds).toContain('yesNo');
      await rig.say(localeText(language, 'chat:choice.yes'));
      calls.length = 0;
      await rig.say('1');
      await rig.say('ola@firma.no');
      // region and email prompts: one reading each, with their kinds
      expect(calls.map((c) => c.expectation.kinds)).toEqual([['region'], ['email']]);
    } finally {
      await rig.close();
    }
  }, 60_000);
});

describe('the app understander', () => {
  it('is loaded once per process for the same training files, whatever the disk cache holds', async () => {
    const first = await startAppUnderstander(tempDir('nlu-a-'));
    const second = await startAppUnderstander(tempDir('nlu-b-'));
    expect(second.model.source).toBe('memory');
    expect(second.model.key).toBe(first.model.key);
  }, 60_000);
});
