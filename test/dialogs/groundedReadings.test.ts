import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/**
 * Messages the model read with full confidence as something they share no word with (found playing
 * a new installer through): nothing is done on that reading, it is at most offered to tap, and the
 * question stays open.
 */
const MISREAD: Record<Language, Array<[said: string, wrongReplyKey: string]>> = {
  nb: [
    ['kan jeg ta det på mobilen', 'chat:command.restarting'],
    ['appen krasjet', 'faq:installerAccount'],
    ['mistet nettet', 'faq:whichPortal'],
  ],
  en: [
    ['im in the garage', 'chat:smalltalk.thanks'],
    ['who are you guys', 'faq:whatIsThis'],
  ],
};

const WORDS: Record<Language, { locale: string; hi: string; yes: string }> = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes' },
};

describe.each<Language>(['nb', 'en'])('readings not grounded in the message, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
  });
  afterEach(() => rig.close());

  it.each(MISREAD[language])('%j does not get %s, and the start question is still open', async (said, wrongReplyKey) => {
    await rig.say(w.hi);
    const replies = await rig.say(said);
    expect(replies.join('\n')).not.toContain(localeText(language, wrongReplyKey));
    const next = await rig.say(w.yes);
    expect(next.at(-1)!.startsWith(localeText(language, 'registration:region.question', { suggested: '' }).split('.')[0]!)).toBe(true);
  });
});
