import { faqLinks } from '../../src/domain/faq';
import type { Stage } from '../../src/domain/journey';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText } from '../helpers/localeText';

/**
 * Messages a tradesman on a site types in the later steps (profile, courses, invitation, on site), with
 * typos and without æ/ø/å, that the understanding misread when the journey was played through in both
 * languages. What each got before is noted; each is now answered as what it is, and the step's
 * question stays open.
 */
type Step = Stage | 'station';
type Expect = 'profileAnswer' | 'coursesAbout' | 'coursesAnswer' | 'coursesReminder' | 'help' | 'newInvitation' | 'stationQuestion' | 'macAddress' | 'faq' | 'notUnderstood';
interface Surprise {
  step: Step;
  say: string;
  expect: Expect;
  /** For `faq`: the answer's id (followed by the step's question, or with it). */
  faq?: string;
  /** What it got before (kept for the reader). */
  was: string;
}

const SURPRISES: Record<Language, Surprise[]> = {
  nb: [
    { step: 'confirmed', say: 'kan jeg hoppe over dette', expect: 'profileAnswer', was: 'offered «Start på nytt»' },
    { step: 'confirmed', say: 'ma jeg fylle ut alt dette', expect: 'profileAnswer', was: 'offered «Avbryt» or «Jeg tar det senere»' },
    { step: 'courses_in_progress', say: 'kan jeg ta kurset pa nytt', expect: 'faq', faq: 'courseRetake', was: 'restarted the conversation, then the general answer about the courses' },
    { step: 'courses_in_progress', say: 'strøk på testen', expect: 'faq', faq: 'courseRetake', was: 'the language question, then the general answer about the courses' },
    { step: 'courses_in_progress', say: 'strok pa testen', expect: 'faq', faq: 'courseRetake', was: 'the language question, then the general answer about the courses' },
    { step: 'certified', say: 'invitasjonen har gatt ut', expect: 'newInvitation', was: 'the guide\'s "what is the invitation"' },
    { step: 'active', say: 'er pa jobb med en lader na', expect: 'stationQuestion', was: '"fine, carry on later"' },
    { step: 'station', say: 'fant ikke klistremerket', expect: 'macAddress', was: '"didn\'t get that"' },
    { step: 'station', say: 'hvor finner jeg serienummeret', expect: 'macAddress', was: '"didn\'t get that", offering status' },
    { step: 'station', say: 'kameraet vil ikke apne', expect: 'help', was: '"didn\'t get that"' },
    { step: 'certified', say: 'samme', expect: 'notUnderstood', was: 'the guide\'s answer about the courses' },
    { step: 'courses_in_progress', say: 'fikk en feil', expect: 'help', was: '"I\'ve sent a new code"' },
    { step: 'courses_in_progress', say: 'fikk ikke bestått', expect: 'faq', faq: 'courseRetake', was: 'the course reminder' },
    { step: 'certified', say: 'invitasjonen havnet i søppelpost', expect: 'faq', faq: 'invitationSpam', was: 'the guide\'s "what is the invitation"' },
    { step: 'confirmed', say: 'hvorfor trenger dere telefonnummeret', expect: 'faq', faq: 'whyPhone', was: 'the support links' },
  ],
  en: [
    { step: 'confirmed', say: 'can i skip this', expect: 'profileAnswer', was: 'offered "Cancel"' },
    { step: 'confirmed', say: 'do i have to fill all this in', expect: 'profileAnswer', was: 'offered "About the courses"' },
    { step: 'profile_complete', say: 'courses arent showing', expect: 'coursesAnswer', was: 'offered "Talk to a person"' },
    { step: 'courses_in_progress', say: 'failed the test', expect: 'faq', faq: 'courseRetake', was: 'the status, then the general answer about the courses' },
    { step: 'courses_in_progress', say: 'didnt pass', expect: 'faq', faq: 'courseRetake', was: '"you record station locations once your installer account is ready", then the course reminder' },
    { step: 'courses_in_progress', say: 'video wont play', expect: 'help', was: 'offered "Send me my data"' },
    { step: 'certified', say: 'invite link expired', expect: 'newInvitation', was: 'the guide\'s "what is the invitation"' },
    { step: 'certified', say: 'the link in the invite doesnt work', expect: 'newInvitation', was: 'the guide\'s "what is the invitation"' },
    { step: 'certified', say: 'heard nothing since the course', expect: 'newInvitation', was: 'the guide\'s answer about the courses' },
    { step: 'station', say: 'cant find the sticker', expect: 'macAddress', was: '"nothing is waiting to be sent"' },
    { step: 'station', say: 'where do i find the serial number', expect: 'macAddress', was: '"nothing is waiting to be sent"' },
    { step: 'station', say: 'camera wont open', expect: 'help', was: 'offered "Send me my data"' },
    { step: 'station', say: 'scanner not working', expect: 'help', was: 'offered "Talk to a person"' },
    { step: 'certified', say: 'same', expect: 'notUnderstood', was: 'already this (a guard beside the nb line)' },
    { step: 'courses_in_progress', say: 'got an error', expect: 'help', was: 'already this (a guard beside the nb line)' },
    { step: 'courses_in_progress', say: "didn't pass the test", expect: 'faq', faq: 'courseRetake', was: 'the course reminder' },
    { step: 'certified', say: 'invite went to spam', expect: 'faq', faq: 'invitationSpam', was: 'the guide\'s "what is the invitation"' },
    { step: 'confirmed', say: 'why do you need my phone number', expect: 'faq', faq: 'whyPhone', was: 'the guide\'s answer about the profile' },
  ],
};

const WORDS = {
  nb: { locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', station: 'stasjon' },
  en: { locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', station: 'station' },
} as const;

/** The help topic of each step the table visits. */
const HELP_TOPIC: Partial<Record<Step, string>> = { courses_in_progress: 'courses', station: 'station' };

describe.each<Language>(['nb', 'en'])('surprises in the later steps, in %s', (language) => {
  const w = WORDS[language];
  const text = (key: string, vars?: Record<string, string | number>) => localeText(language, key, vars);
  let rig: DialogRig;
  afterEach(() => rig.close());

  /** Registers through the chat, puts the installer at the step; the step's question as last shown. */
  async function at(step: Step): Promise<string> {
    rig = await createDialogRig(w.locale);
    for (const say of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(say);
    await rig.say(await rig.codeFor(w.email));
    await rewriteInstaller(rig.store, w.email, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: step === 'station' ? 'active' : step }));
    const shown = await rig.say('ok');
    return (step === 'station' ? await rig.say(w.station) : shown).at(-1)!;
  }

  it.each(SURPRISES[language])('at $step: $say (was $was)', async ({ step, say, expect: expected, faq }) => {
    const question = await at(step);
    const replies = await rig.say(say);
    const links = faqLinks('global', language);
    switch (expected) {
      case 'profileAnswer':
        expect(replies).toEqual([text('faq:profile', links), question]);
        break;
      case 'coursesAnswer':
        expect(replies).toEqual([text('faq:courses', links), text('courses:chat.stillPreparing')]);
        break;
      case 'coursesAbout':
        // the course step's answer about the courses, with the list in the same message
        expect(replies).toHaveLength(1);
        expect(replies[0]!.startsWith(text('courses:chat.about'))).toBe(true);
        break;
      case 'coursesReminder':
        // not understood: where the courses are taken, and how to see them again (no other step's answer)
        expect(replies).toEqual([text('courses:chat.reminder')]);
        break;
      case 'help':
        expect(replies[0]).toBe(`${text(`chat:help.topics.${HELP_TOPIC[step]!}`)}\n\n${text('chat:help.general')}`);
        break;
      case 'newInvitation':
        expect(replies).toEqual([text('account:invitation.resent', { email: w.email })]);
        break;
      case 'stationQuestion':
        expect(replies).toHaveLength(1);
        expect(replies[0]!.startsWith(text('chat:station.identify'))).toBe(true);
        break;
      case 'faq':
        // the answer, then the step's question again (at the courses, the list with its links)
        expect(replies).toHaveLength(2);
        expect(replies[0]).toBe(text(`faq:${faq!}`, links));
        break;
      case 'notUnderstood':
        // no guide answer taken from an everyday word: the step's reminder
        expect(replies).toEqual([text('account:invitation.reminder')]);
        break;
      case 'macAddress':
        expect(replies).toEqual([text('faq:macAddress', links), question]);
        break;
    }
  });
});
