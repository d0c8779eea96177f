import { parseEmail } from '../../src/domain/email';
import { faqLinks } from '../../src/domain/faq';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText } from '../helpers/localeText';

/**
 * Everyday phrasings a tradesman on a site types (typos, no æ/ø/å, a statement instead of an
 * answer), found misread while playing a new installer through registration, confirmation and
 * profile: each is understood as what it is, in both languages.
 */
const WORDS = {
  nb: {
    locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no',
    haveQuestion: ['jeg har et spørsmål', 'jeg har et sporsmal', 'har et spm', 'kan jeg spørre om noe?'],
    question: 'hva er dette?', region: 'europa', firstName: 'Kari', lastName: 'Nordmann', company: 'Nordmann Elektro AS',
    selfEmployed: ['er selvstendig', 'jeg er selvstendig', 'selvstendig næringsdrivende', 'har eget firma'],
    notOnSite: 'er selvstendig', countryCode: 'no', countryShown: 'Norge', postal: '0150', phone: '912 34 567', language: 'norsk',
    whyNumber: 'hvorfor trenger dere nummeret', notYet: ['et øyeblikk'],
    linkRemarks: ['har trykket på lenken', 'hvor lenge er lenken gyldig'],
  },
  en: {
    locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk',
    haveQuestion: ['I have a question', 'got a question', 'quick question', 'can i ask something?'],
    question: 'what is this?', region: 'europe', firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd',
    selfEmployed: ["I'm a sole trader", 'im a sole trader', 'sole trader', "i'm self employed"],
    notOnSite: 'er selvstendig', countryCode: 'no', countryShown: 'Norway', postal: '0150', phone: '+47 912 34 567', language: 'english',
    whyNumber: 'why do you need my number', notYet: ['hang on', 'hold on'],
    linkRemarks: ['clicked the link', 'how long is the link valid'],
  },
} as const;

const question = (language: Language, field: string) => localeText(language, `profile:fields.${field}.question`);

describe.each<Language>(['nb', 'en'])('everyday phrasings in %s', (language) => {
  const w = WORDS[language];
  const invite = localeText(language, 'chat:smalltalk.askQuestion');
  const regionQuestion = localeText(language, 'registration:region.question', { suggested: localeText(language, 'registration:region.global') });
  let rig: DialogRig;

  afterEach(() => rig.close());

  /** Registers through the chat up to the password page (the code typed in). */
  async function atPasswordStep(): Promise<string[]> {
    rig = await createDialogRig(w.locale);
    for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(text);
    return rig.say(await rig.codeFor(w.email));
  }

  /** Registers, then (as the confirmation link would) marks the address confirmed: the profile's first question is open. */
  async function atProfile(): Promise<void> {
    await atPasswordStep();
    const id = (parseEmail(w.email) as { id: string }).id;
    await rewriteInstaller(rig.store, id, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'confirmed' }));
    await rig.say('ok');
  }

  it('"I have a question" invites the question (a person one tap away), not the status; the open question stays open', async () => {
    // a channel with buttons (the person's button is shown as one)
    rig = await createDialogRig(w.locale, 'webchat');
    await rig.say(w.hi);
    await rig.say(w.yes);
    for (const say of w.haveQuestion) {
      const replies = await rig.sayActivities(say);
      expect({ say, texts: replies.map((r) => r.text) }).toEqual({ say, texts: [invite] });
      expect(replies[0]!.suggestedActions?.actions.map((a) => a.title)).toEqual([localeText(language, 'chat:guess.human')]);
    }
    // the question comes, is answered, and the region is asked again; the answer to it still counts
    expect(await rig.say(w.question)).toEqual([localeText(language, 'faq:whatIsThis', faqLinks('global', language)), expect.stringContaining(regionQuestion)]);
    expect(await rig.say(w.region)).toEqual([localeText(language, 'registration:email.question')]);
  });

  it('"I have a question" at a question that takes any text is not taken as the answer (found playing it through: "jeg har et spm" was saved as the company)', async () => {
    await atProfile();
    await rig.say(w.firstName);
    await rig.say(w.lastName);
    expect(await rig.say(w.haveQuestion[2])).toEqual([invite]);
    expect(await rig.say(w.company)).toEqual([question(language, 'country')]);
  });

  // two in a row (a third miss in a row is answered "still stuck")
  it.each([[0, 2], [2, 4]])('a self-employed statement at the company question gets the self-employed answer (was "I\'m on site", or saved as the company): phrasings %i–%i', async (from, to) => {
    await atProfile();
    await rig.say(w.firstName);
    await rig.say(w.lastName);
    for (const say of w.selfEmployed.slice(from, to)) {
      const [reply] = await rig.say(say);
      expect({ say, starts: reply!.startsWith(localeText(language, 'profile:problem.selfEmployed')) }).toEqual({ say, starts: true });
    }
    expect(await rig.say(w.company)).toEqual([question(language, 'country')]);
  });

  it('"er selvstendig" elsewhere is no "I\'m on site"', async () => {
    rig = await createDialogRig(w.locale);
    await rig.say(w.hi);
    const replies = await rig.say(w.notOnSite);
    expect(replies).not.toContain(localeText(language, 'chat:station.notYet', { next: '' }).trim());
  });

  it('"no" at the country question is Norway\'s code, as the field\'s help says (was "I didn\'t get that")', async () => {
    await atProfile();
    await rig.say(w.firstName);
    await rig.say(w.lastName);
    await rig.say(w.company);
    expect(await rig.say(w.countryCode)).toEqual([question(language, 'postalCode')]);
    await rig.say(w.postal);
    // "why do you need my number?" at the phone question is about the phone number (was about the email address, then the whole profile)
    expect((await rig.say(w.whyNumber))[0]).toBe(localeText(language, 'faq:whyPhone', faqLinks('global', language)));
    await rig.say(w.phone);
    const [summary] = await rig.say(w.language);
    expect(summary).toContain(`${localeText(language, 'profile:fields.country.label')}: ${w.countryShown}`);
    // "hang on" at the summary saves nothing (it was a yes)
    for (const say of w.notYet) {
      const replies = await rig.say(say);
      expect({ say, saved: replies.includes(localeText(language, 'profile:saved')) }).toEqual({ say, saved: false });
    }
    expect((await rig.services.installers.get((parseEmail(w.email) as { id: string }).id))?.profile).toBeUndefined();
  });

  it('"I clicked the link" or "how long is the link valid" at the password step keeps the open page\'s link (was a new link, the old one revoked)', async () => {
    const first = (await atPasswordStep()).join('\n');
    const link = /https?:\/\/\S+/.exec(first)![0];
    for (const say of w.linkRemarks) {
      const replies = (await rig.say(say)).join('\n');
      expect({ say, newLink: replies.includes(localeText(language, 'registration:password.newLink', { minutes: 30 })) }).toEqual({ say, newLink: false });
    }
    // the link first shown is still the one shown
    expect((await rig.say(language === 'nb' ? 'hjelp' : 'help')).join('\n')).toContain(link);
  });
});
