import { faqLinks } from '../../src/domain/faq';
import type { Stage } from '../../src/domain/journey';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText, withNumberedChoices } from '../helpers/localeText';

/**
 * Everyday phrasings of a new installer in the later steps (courses being prepared, waiting for the
 * invitation, on site), typed on a building site with a phone in one hand: typos, no æ/ø/å. Found
 * misread while playing the journey through; each is understood as what it is, in both languages.
 */
const WORDS = {
  nb: {
    locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', station: 'stasjon',
    later: ['jeg tar det senere', 'har ikke tid nå', 'kan jeg gjøre det senere', 'senere', 'er på jobb nå', 'later', 'tar det senre'],
    okThanks: ['ok takk', 'ok takk du', 'okei tusen takk'],
    allOfThem: 'må jeg ta alle?',
    smallTalk: 'det regner masse her',
    onPhone: 'kan jeg ta det på mobilen',
    cost: 'koster det noe',
    coursesDone: ['ferdig med kursene', 'er ferdig med kursene', 'har fullført kursene'],
  },
  en: {
    locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', station: 'station',
    later: ['ill do it later', 'no time right now', 'can i do this later', 'later', 'at work now', 'senere', 'ill do it latr'],
    okThanks: ['ok thanks', 'ok cheers', 'okay thanks a lot'],
    allOfThem: 'do i have to take them all?',
    smallTalk: 'its raining a lot here',
    onPhone: 'can i take the courses on my phone',
    cost: 'does it cost anything',
    coursesDone: ['finished the courses', "i've finished the courses", 'completed the courses'],
  },
} as const;

describe.each<Language>(['nb', 'en'])('later-step phrasings in %s', (language) => {
  const w = WORDS[language];
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  const stillPreparing = text('courses:chat.stillPreparing');
  let rig: DialogRig;

  afterEach(() => rig.close());

  /** Registers through the chat, then puts the installer at `stage` (as the later steps would); the replies to "ok". */
  async function at(stage: Stage): Promise<string[]> {
    rig = await createDialogRig(w.locale);
    for (const say of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(say);
    await rig.say(await rig.codeFor(w.email));
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage }));
    return rig.say('ok');
  }

  it('"later" while the courses are prepared: fine, everything is saved, and the chat says when they are ready (the question not asked again)', async () => {
    expect((await at('profile_complete')).at(-1)).toBe(text('courses:chat.preparing'));
    const reply = `${text('chat:smalltalk.later')}\n\n${text('chat:smalltalk.laterWhileCoursesPrepared')}`;
    for (const say of w.later) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [reply] });
    // they come back: the step carries on where it was
    expect(await rig.say(w.hi)).toEqual([text('chat:smalltalk.greeting'), stillPreparing]);
  });

  it('"later" waiting for the invitation and at the station step: fine, everything is saved (was "did you mean", or a MAC address complaint)', async () => {
    await at('certified');
    for (const say of w.later) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [text('chat:smalltalk.later')] });
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, stage: 'active' }));
    await rig.say(w.station);
    for (const say of w.later.slice(0, 3)) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [text('chat:smalltalk.later')] });
  });

  it('"later" at "shall we start?" is its no', async () => {
    rig = await createDialogRig(w.locale);
    await rig.say(w.hi);
    expect(await rig.say(w.later[0])).toEqual([text('chat:root.later')]);
  });

  it('"ok thanks" is thanks (was "did you mean «Thanks»?")', async () => {
    await at('profile_complete');
    for (const say of w.okThanks) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [text('chat:smalltalk.thanks'), stillPreparing] });
  });

  it('unrelated words are not thanks: "må jeg ta alle?" is about the courses, small talk gets the step\'s reminder', async () => {
    await at('profile_complete');
    expect(await rig.say(w.allOfThem)).toEqual([text('faq:courses'), stillPreparing]);
    expect(await rig.say(w.smallTalk)).toEqual([stillPreparing]);
  });

  it('"can I do it on my phone" restarts nothing, and "does it cost anything" is answered: the guide does not say, so support can (the honest answer)', async () => {
    await at('profile_complete');
    const unknown = text('faq:unknown', faqLinks('global', language));
    expect(await rig.say(w.onPhone)).toEqual([unknown, stillPreparing]);
    expect(await rig.say(w.cost)).toEqual([unknown, stillPreparing]);
  });

  it('"finished the courses" waiting for the invitation: they are done ✅, and the invitation is next', async () => {
    await at('certified');
    const next = `${text('account:invitation.coursesDone')}\n\n${withNumberedChoices(language, text('account:invitation.checkInbox', { email: w.email }), ['account:invitation.didntGetButton'])}`;
    for (const say of w.coursesDone) expect({ say, replies: await rig.say(say) }).toEqual({ say, replies: [next] });
  });
});
