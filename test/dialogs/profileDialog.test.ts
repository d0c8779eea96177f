import type { Activity } from 'botbuilder';
import { parseEmail } from '../../src/domain/email';
import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { rewriteInstaller } from '../helpers/installerFixture';
import { localeText, withNumberedChoices } from '../helpers/localeText';
import { localMails } from '../helpers/mailCodes';
import { faqLinks } from '../../src/domain/faq';

/** What a tradesman types, in each language, and what the profile then holds. */
const WORDS = {
  nb: {
    locale: 'nb-NO', hi: 'hei', yes: 'ja', email: 'kari@elektro.no', help: 'hjelp',
    name: 'Kari Nordmann', company: 'jeg jobber i Elektro AS', country: 'norge', postal: 'Oslo 0150', phone: '912 34 567', language: 'norsk',
    shown: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'Norge', postalCode: '0150', phone: '+47 91 23 45 67', language: 'Norsk' },
    stored: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'NO', postalCode: '0150', phone: '+4791234567', language: 'nb' },
    card: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'NO', postalCode: '0150', phone: '912 34 567', language: 'nb' },
    wrongPostcode: 'feil postnummer', newPostal: '7010', changeSomething: 'endre noe', phoneWord: 'telefon', changePhone: 'endre telefon', newPhone: '41234567', newPhoneShown: '+47 41 23 45 67',
  },
  en: {
    locale: 'en-GB', hi: 'hello', yes: 'yes', email: 'sam@sparks.co.uk', help: 'help',
    name: 'my name is Sam', company: 'I work for Sparks Ltd', country: 'UK', postal: 'sw1a1aa', phone: '07911 123456', language: 'english',
    shown: { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'United Kingdom', postalCode: 'SW1A 1AA', phone: '+44 7911 123456', language: 'English' },
    stored: { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'GB', postalCode: 'SW1A 1AA', phone: '+447911123456', language: 'en' },
    card: { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'GB', postalCode: 'SW1A 1AA', phone: '07911 123456', language: 'en' },
    wrongPostcode: 'wrong postcode', newPostal: 'M1 1AE', changeSomething: 'change something', phoneWord: 'phone', changePhone: 'change my phone', newPhone: '07912 345678', newPhoneShown: '+44 7912 345678',
  },
} as const;

/** A tradesman typing as he talks, with what he means. */
const PLAY = {
  nb: {
    name: 'jeg heter Kari Nordmann', split: { first: 'Kari', last: 'Nordmann' }, companyEmail: 'post@elektro.no', company: 'Elektro AS', country: 'Noreg',
    selfEmployed: 'jobber for meg selv',
    phone: '912 34 567', postal: 'Oslo 0150', phoneSentence: 'mobilen min er 912 34 567', language: 'bokmål', yes: 'ja takk',
    stored: { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'NO', postalCode: '0150', phone: '+4791234567', language: 'nb' },
  },
  en: {
    name: 'Sam Smith', split: { first: 'Sam', last: 'Smith' }, companyEmail: 'sam@sparks.co.uk', company: 'Sparks Ltd', country: 'united kingdom',
    selfEmployed: "I'm self employed",
    phone: '07911 123456', postal: 'SW1A 1AA', phoneSentence: 'my mobile is 07911 123456', language: 'norwegian', yes: 'yes please',
    stored: { firstName: 'Sam', lastName: 'Smith', company: 'Sparks Ltd', country: 'GB', postalCode: 'SW1A 1AA', phone: '+447911123456', language: 'nb' },
  },
} as const;

/**
 * Sentences about something else at the free-text questions (found playing it through: "the password link says it expired" was saved as
 * first name "The Password Link Says It" and surname "Expired"), the self-employed in everyday words ("har ikke firma enda" was saved
 * as the company), and real names and companies that still pass.
 */
const NOT_ANSWERS = {
  nb: {
    passwordLink: 'passordlenken sier at den har gått ut', supportUrl: 'https://www.chargepoint.com/no-no/support', linkBroken: 'lenken virker ikke', chatter: 'det regner mye her i dag',
    selfEmployed: ['har ikke firma enda', 'jobber alene', 'ikke noe firma', 'har ikke firma'],
    names: ['Åse Marie', 'Ole-Petter', "O'Neill", 'Nguyễn Văn An', 'Jo'], companies: ['Elektro & Service AS', 'Strøm og Lys AS', 'El-Tjenester Nord', 'Bravo Elektro'],
  },
  en: {
    passwordLink: 'the password link says it expired', supportUrl: 'https://www.chargepoint.com/en-gb/support', linkBroken: 'the link does not work', chatter: 'it is raining a lot here today',
    selfEmployed: ['i work for myself', 'no company yet', 'just me', "I don't have a company"],
    names: ['Kari Nordmann', 'van der Berg', "O'Neill", 'Nguyễn Văn An', 'Jo'], companies: ['Sparks Ltd.', 'Elektro & Service AS', 'Bravo Elektro', 'Strøm og Lys AS'],
  },
} as const;

/** Why the chat asks, as people ask it. */
/** Why the profile asks, with the answer each gets: the phone number's own (whyPhone), or what the profile is for. */
const WHY = {
  nb: [
    ['hvorfor trenger dere mobilnummeret mitt?', 'faq:whyPhone'],
    ['hvorfor må dere ha opplysningene mine', 'faq:profile'],
    ['hva skal dere med tlf nummeret mitt', 'faq:whyPhone'],
  ],
  en: [
    ['why do you need my phone number?', 'faq:whyPhone'],
    ['why do you want all my details', 'faq:profile'],
    ['what do you want my number for', 'faq:whyPhone'],
  ],
} as const;

/** Second thoughts, as people type them. */
const SECOND_THOUGHTS = {
  nb: { noPhoneWrong: 'nei telefonen er feil', changeCompany: 'nei vent, firmaet er feil', newCompany: 'Nordlys Elektro AS' },
  en: { noPhoneWrong: 'no the phone number is wrong', changeCompany: 'actually change the company', newCompany: 'Bright Sparks Ltd' },
} as const;

/** Yes at the summary, as people on a site write it (found playing it through: "ferdig" cancelled, "ser bra ut" and "lagre" sent a data export). */
const SUMMARY_YES: Record<Language, string[]> = {
  nb: ['ferdig', 'ser bra ut', 'lagre', 'alt er riktig', 'stemmer', 'greit'],
  en: ['done', 'looks good', 'save', 'all correct', "that's right", 'all good'],
};

const FIELDS = ['firstName', 'lastName', 'company', 'country', 'postalCode', 'phone', 'language'] as const;
type Shown = Record<(typeof FIELDS)[number], string>;

const question = (language: Language, field: string) => localeText(language, `profile:fields.${field}.question`);
/** A field's help text, for the profile's country where it names one. */
const fieldHelp = (language: Language, field: string, country = '') => localeText(language, `profile:fields.${field}.help`, { country });

/** The summary as a text-only channel shows it: the values, the question, the two answers numbered. */
function summary(language: Language, shown: Shown): string {
  const lines = FIELDS.map((f) => `${localeText(language, `profile:fields.${f}.label`)}: ${shown[f]}`).join('\n');
  return withNumberedChoices(language, localeText(language, 'profile:summary.question', { lines }), ['profile:summary.save', 'profile:summary.change']);
}

interface CardContent {
  body: Array<{ type: string; id?: string; value?: string; choices?: Array<{ value: string }> }>;
  actions: Array<{ type: string; data: { profileForm: string; version: number } }>;
}

function formOf(replies: Array<Partial<Activity>>): CardContent | undefined {
  const attachment = replies.flatMap((r) => r.attachments ?? []).find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive');
  return attachment?.content as CardContent | undefined;
}

describe.each<Language>(['nb', 'en'])('the profile step in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  let id: string;

  /** Registers through the chat, then (as the confirmation link would) marks the address confirmed; returns the replies of the next turn. */
  async function confirmed(channel = 'test'): Promise<Array<Partial<Activity>>> {
    rig = await createDialogRig(w.locale, channel);
    for (const text of [w.hi, w.yes, '1', w.email, w.yes]) await rig.say(text);
    await rig.say(await rig.codeFor(w.email));
    id = (parseEmail(w.email) as { id: string }).id;
    await rewriteInstaller(rig.store, id, (i) => ({ ...i, passwordHash: 'scrypt$x', stage: 'confirmed' }));
    return rig.sayActivities('ok');
  }

  afterEach(() => rig.close());

  it('text only: asks question by question, reads everyday answers, shows a summary and saves on yes', async () => {
    const first = (await confirmed()).map((r) => r.text);
    expect(first).toContain(localeText(language, 'profile:intro'));
    expect(first[first.length - 1]).toBe(question(language, 'firstName'));

    if (language === 'nb') {
      // "Kari Nordmann" at the first name: the surname is taken from it, and said
      expect(await rig.say(w.name)).toEqual([`${localeText('nb', 'profile:namesSplit', { first: 'Kari', last: 'Nordmann' })}\n\n${question('nb', 'company')}`]);
    } else {
      expect(await rig.say(w.name)).toEqual([question('en', 'lastName')]);
      expect(await rig.say('Smith')).toEqual([question('en', 'company')]);
    }
    expect(await rig.say(w.company)).toEqual([question(language, 'country')]);
    expect(await rig.say(w.country)).toEqual([question(language, 'postalCode')]);
    expect(await rig.say(w.postal)).toEqual([question(language, 'phone')]);
    // the question names both languages, so a text-only channel lists no choices under it
    expect(await rig.say(w.phone)).toEqual([question(language, 'language')]);
    expect(await rig.say(w.language)).toEqual([summary(language, w.shown)]);
    // nothing is saved before the yes
    expect((await rig.services.installers.get(id))?.profile).toBeUndefined();
    const saved = await rig.say(w.yes);
    expect(saved[0]).toBe(localeText(language, 'profile:saved'));
    // the course step takes over: the LMS is preparing the courses (a job; the list comes by itself)
    expect(saved[1]).toBe(localeText(language, 'courses:chat.preparing'));

    const installer = await rig.services.installers.get(id);
    expect(installer?.profile).toEqual(w.stored);
    expect(installer?.stage).toBe('profile_complete');
    expect(installer?.stageHistory?.at(-1)).toMatchObject({ stage: 'profile_complete', event: 'profileSaved' });

    // "export my data" includes the profile
    await rig.say(language === 'nb' ? 'eksporter dataene mine' : 'export my data');
    await rig.services.mailer.flush();
    const file = (await localMails(rig.dataDir)).at(-1)!.attachments.find((a) => a.filename === 'my-data.json')!;
    expect((JSON.parse(file.content.toString('utf8')) as { registration: { profile: unknown } }).registration.profile).toEqual(w.stored);
  });

  it('a tradesman who types: a sentence, an email for the company, his phone number at the postcode', async () => {
    await confirmed();
    const t = PLAY[language];
    const label = (field: string) => localeText(language, `profile:fields.${field}.label`);
    expect(await rig.say(t.name)).toEqual([`${localeText(language, 'profile:namesSplit', t.split)}\n\n${question(language, 'company')}`]);
    expect(await rig.say(t.companyEmail)).toEqual([`${localeText(language, 'profile:problem.email', { labelLower: label('company').toLowerCase() })}\n\n${question(language, 'company')}`]);
    expect(await rig.say(t.company)).toEqual([question(language, 'country')]);
    expect(await rig.say(t.country)).toEqual([question(language, 'postalCode')]);
    expect(await rig.say(t.phone)).toEqual([
      `${localeText(language, 'profile:problem.looksLikePhone', { example: localeText(language, 'profile:fields.postalCode.placeholder') })}\n\n${question(language, 'postalCode')}`,
    ]);
    expect(await rig.say(t.postal)).toEqual([question(language, 'phone')]);
    expect(await rig.say(t.phoneSentence)).toEqual([question(language, 'language')]);
    const [shown] = await rig.say(t.language);
    expect(shown).toContain(`${label('language')}: ${localeText(language, `profile:languages.${t.stored.language}`)}`);
    expect((await rig.say(t.yes))[0]).toBe(localeText(language, 'profile:saved'));
    expect((await rig.services.installers.get(id))?.profile).toEqual(t.stored);
  });

  it('"I work for myself" is no company name: the self-employed are asked for their business\'s name (found playing it through: "meg selv" was saved)', async () => {
    await confirmed();
    const t = PLAY[language];
    await rig.say(t.name);
    expect(await rig.say(t.selfEmployed)).toEqual([`${localeText(language, 'profile:problem.selfEmployed')}\n\n${question(language, 'company')}`]);
    expect(await rig.say(t.company)).toEqual([question(language, 'country')]);
  });

  it('a sentence about something else at the name or company question is answered (never saved as a name), then the question comes again', async () => {
    await confirmed();
    const n = NOT_ANSWERS[language];
    const label = (field: string) => localeText(language, `profile:fields.${field}.label`);
    // a guide question: its answer, then the name question again
    expect(await rig.say(n.passwordLink)).toEqual([localeText(language, 'faq:passwordLink', { supportUrl: n.supportUrl }), question(language, 'firstName')]);
    // a command: it is run ("nothing is waiting for an answer"), then the name question again
    const broken = await rig.say(n.linkBroken);
    expect(broken[broken.length - 1]).toBe(question(language, 'firstName'));
    expect(broken).toHaveLength(2);
    // about nothing the guide knows: not a name, said so
    expect(await rig.say(n.chatter)).toEqual([`${localeText(language, 'profile:problem.sentence', { labelLower: language === 'nb' ? label('firstName').toLocaleLowerCase('nb') : label('firstName').toLowerCase() })}\n\n${question(language, 'firstName')}`]);
    expect((await rig.services.installers.get(id))?.profile).toBeUndefined();
    await rig.say(language === 'nb' ? 'Kari' : 'Sam');
    await rig.say(language === 'nb' ? 'Nordmann' : 'Smith');
    const atCompany = await rig.say(n.linkBroken);
    expect(atCompany[atCompany.length - 1]).toBe(question(language, 'company'));
    expect(atCompany).toHaveLength(2);
    // the self-employed, in everyday words: asked for their business's name
    for (const said of n.selfEmployed) {
      expect(await rig.say(said)).toEqual([`${localeText(language, 'profile:problem.selfEmployed')}\n\n${question(language, 'company')}`]);
      // (a name given, then back to the company question, so each is a first wrong answer)
      expect(await rig.say(n.companies[0])).toEqual([question(language, 'country')]);
      expect(await rig.say(language === 'nb' ? 'endre firma' : 'change the company')).toEqual([question(language, 'company')]);
    }
    expect(await rig.say(n.companies[0])).toEqual([question(language, 'country')]);
  });

  it('real names and company names still pass: with a hyphen, an apostrophe, accents, particles, two letters, "&", "og", "Ltd."', async () => {
    const n = NOT_ANSWERS[language];
    for (const name of n.names) {
      await confirmed();
      const replies = await rig.say(name);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.endsWith(question(language, name.includes(' ') ? 'company' : 'lastName'))).toBe(true);
      await rig.close();
    }
    await confirmed();
    await rig.say(language === 'nb' ? 'Kari' : 'Sam');
    await rig.say(language === 'nb' ? 'Nordmann' : 'Smith');
    for (const company of n.companies) {
      expect(await rig.say(company)).toEqual([question(language, 'country')]);
      // back to the company question: "endre firma" / "change the company"
      expect(await rig.say(language === 'nb' ? 'endre firma' : 'change the company')).toEqual([question(language, 'company')]);
    }
    expect(await rig.say(n.companies[1])).toEqual([question(language, 'country')]);
    await rig.say(language === 'nb' ? 'norge' : 'UK');
    await rig.say(language === 'nb' ? '0150' : 'SW1A 1AA');
    await rig.say(language === 'nb' ? '912 34 567' : '07911 123456');
    const [shown] = await rig.say(language === 'nb' ? 'norsk' : 'english');
    expect(shown).toContain(`${localeText(language, 'profile:fields.company.label')}: ${n.companies[1]}`);
  });

  it('before the address is confirmed, "edit profile" says the profile comes after the confirmation', async () => {
    rig = await createDialogRig(w.locale);
    await rig.say(w.hi);
    const replies = await rig.say(language === 'nb' ? 'endre profil' : 'edit my profile');
    expect(replies[0]).toBe(localeText(language, 'profile:notYet', { next: '' }).trim());
    expect(replies[1]!.startsWith(localeText(language, 'chat:root.startQuestion'))).toBe(true);
  });

  it('card in Teams too; after saving, "edit profile" shows a new form filled in, and the first form is ignored', async () => {
    const first = formOf(await confirmed('msteams'))!;
    await rig.say('', { value: { ...first.actions[0]!.data, ...w.card } });
    expect(await rig.say(w.yes)).toContain(localeText(language, 'profile:saved'));
    const edit = await rig.sayActivities(language === 'nb' ? 'endre profil' : 'edit my profile');
    const form = formOf(edit)!;
    expect(form.body.find((b) => b.id === 'company')?.value).toBe(w.card.company);
    expect(edit.find((r) => r.attachments)?.text).toBe(localeText(language, 'profile:editCard'));
    // the form of the first run is an old one now
    expect((await rig.say('', { value: { ...first.actions[0]!.data, ...w.card } }))[0]!.startsWith(localeText(language, 'profile:card.stale'))).toBe(true);
    const [shown] = await rig.say('', { value: { ...form.actions[0]!.data, ...w.card, company: 'Lys og Varme AS' } });
    expect(shown).toContain(`${localeText(language, 'profile:fields.company.label')}: Lys og Varme AS`);
    expect((await rig.say(w.yes))[0]).toBe(localeText(language, 'profile:updated'));
    expect((await rig.services.installers.get(id))?.profile).toEqual({ ...w.stored, company: 'Lys og Varme AS' });
  });

  it('a country outside the region is explained; "I work in Canada" changes the region, and then Canada is taken', async () => {
    await confirmed();
    for (const text of language === 'nb' ? ['Kari Nordmann'] : ['Sam Smith']) await rig.say(text);
    await rig.say(language === 'nb' ? 'Elektro AS' : 'Sparks Ltd');
    const region = (r: 'na' | 'global') => localeText(language, `registration:region.${r}`);
    expect(await rig.say('Canada')).toEqual([
      `${localeText(language, 'profile:problem.otherRegion', { country: 'Canada', region: region('global') })}\n\n${question(language, 'country')}`,
    ]);
    const changed = await rig.say(language === 'nb' ? 'jeg jobber i canada' : 'i work in canada');
    expect(changed[0]).toBe(localeText(language, 'chat:region.changed', { region: region('na') }));
    expect(changed.at(-1)).toBe(question(language, 'country'));
    expect(await rig.say('Canada')).toEqual([question(language, 'postalCode')]);
    expect(await rig.say('K1A 0B1')).toEqual([question(language, 'phone')]);
    // the number is read as Canadian
    expect(await rig.say('(416) 555-0199')).toEqual([question(language, 'language')]);
    const [shown] = await rig.say(language === 'nb' ? 'engelsk' : 'english');
    expect(shown).toContain(`${localeText(language, 'profile:fields.phone.label')}: +1 416 555 0199`);
  });

  it('a wrong answer gets its reason and the same question again, in one message; help keeps the place', async () => {
    await confirmed();
    expect(await rig.say('12345')).toEqual([
      `${localeText(language, 'profile:problem.digits', { label: localeText(language, 'profile:fields.firstName.label') })}\n\n${question(language, 'firstName')}`,
    ]);
    const help = await rig.say(w.help);
    expect(help[0]).toContain(localeText(language, 'chat:help.topics.profile'));
    // after the general help, what this field takes, and its question
    expect(help[help.length - 1]).toBe(`${fieldHelp(language, 'firstName')}\n\n${question(language, 'firstName')}`);
    expect(await rig.say('Ola')).toEqual([question(language, 'lastName')]);
  });

  it('"?" at the phone question explains the field for the country; a second wrong answer in a row brings the help with its reason', async () => {
    await confirmed();
    for (const answer of language === 'nb' ? [w.name] : [w.name, 'Smith']) await rig.say(answer);
    for (const answer of [w.company, w.country, w.postal]) await rig.say(answer);
    const help = await rig.say('?');
    expect(help[0]).toContain(localeText(language, 'chat:help.topics.profile'));
    expect(help.at(-1)).toBe(`${fieldHelp(language, 'phone', w.shown.country)}\n\n${question(language, 'phone')}`);
    const labelLower = localeText(language, 'profile:fields.phone.label').toLowerCase();
    const example = localeText(language, 'profile:fields.phone.placeholder');
    // the first wrong answer: its reason
    expect(await rig.say('12')).toEqual([`${localeText(language, 'profile:problem.tooShort', { example })}\n\n${question(language, 'phone')}`]);
    // the second in a row: the reason, what the field takes, and where to get more help
    expect(await rig.say('1234567')).toEqual([
      [
        localeText(language, 'profile:problem.invalid', { value: '1234567', labelLower, country: w.shown.country, example }),
        fieldHelp(language, 'phone', w.shown.country),
        localeText(language, 'chat:question.stuck'),
        question(language, 'phone'),
      ].join('\n\n'),
    ]);
    expect(await rig.say(w.phone)).toEqual([question(language, 'language')]);
  });

  it('a country of another region, after the region was changed at the summary, is asked again with its reason (never saved)', async () => {
    await confirmed();
    for (const answer of language === 'nb' ? [w.name] : [w.name, 'Smith']) await rig.say(answer);
    for (const answer of [w.company, w.country, w.postal, w.phone, w.language]) await rig.say(answer);
    const changed = await rig.say(language === 'nb' ? 'jeg jobber i canada' : 'i work in canada');
    const region = (r: 'na' | 'global') => localeText(language, `registration:region.${r}`);
    expect(changed[0]).toBe(localeText(language, 'chat:region.changed', { region: region('na') }));
    expect(await rig.say(w.yes)).toEqual([
      `${localeText(language, 'profile:problem.otherRegion', { country: w.shown.country, region: region('na') })}\n\n${question(language, 'country')}`,
    ]);
    expect((await rig.services.installers.get(id))?.profile).toBeUndefined();
    // the postal code was one of the old country: asked again too
    expect(await rig.say('Canada')).toEqual([question(language, 'postalCode')]);
    const [shown] = await rig.say('K1A 0B1');
    expect(shown).toContain(`${localeText(language, 'profile:fields.country.label')}: Canada`);
    expect((await rig.say(w.yes))[0]).toBe(localeText(language, 'profile:saved'));
    expect((await rig.services.installers.get(id))?.profile).toMatchObject({ country: 'CA', postalCode: 'K1A 0B1', phone: w.stored.phone });
  });

  it('card: a form in web chat; submitted with good values it goes to the summary and is saved', async () => {
    const replies = await confirmed('webchat');
    const form = formOf(replies)!;
    expect(form.body.filter((b) => b.id).map((b) => b.id)).toEqual([...FIELDS]);
    expect(form.body.find((b) => b.id === 'country')?.choices?.map((c) => c.value)).toEqual(expect.arrayContaining(['NO', 'SE', 'DK', 'FI', 'GB', 'DE', 'NL', 'FR']));
    expect(form.body.find((b) => b.id === 'country')?.choices?.map((c) => c.value)).not.toContain('US');
    // the same form can be answered by typing: the first question stands under it
    expect(replies.find((r) => r.attachments)?.text).toBe(`${localeText(language, 'profile:introCard')}\n\n${question(language, 'firstName')}`);

    const stamp = form.actions[0]!.data;
    const afterSubmit = await rig.sayActivities('', { value: { ...stamp, ...w.card } });
    expect(afterSubmit.map((r) => r.text)).toEqual([summary(language, w.shown).replace(/\n\n1\. .*\n2\. .*$/, '')]);
    expect(afterSubmit[0]!.suggestedActions?.actions.map((a) => a.title)).toEqual([localeText(language, 'profile:summary.save'), localeText(language, 'profile:summary.change')]);
    expect(await rig.say(localeText(language, 'profile:summary.save'))).toContain(localeText(language, 'profile:saved'));
    expect((await rig.services.installers.get(id))?.profile).toEqual(w.stored);
  });

  it('card: each wrong field gets its reason and is asked again alone; the others are kept', async () => {
    const form = formOf(await confirmed('webchat'))!;
    const submitted = { ...form.actions[0]!.data, ...w.card, lastName: '12345', postalCode: '99' };
    const replies = await rig.say('', { value: submitted });
    expect(replies).toEqual([
      `${localeText(language, 'profile:problem.digits', { label: localeText(language, 'profile:fields.lastName.label') })}\n\n${question(language, 'lastName')}`,
    ]);
    expect(await rig.say(w.shown.lastName)).toEqual([
      `${localeText(language, 'profile:problem.invalid', {
        value: '99',
        labelLower: localeText(language, 'profile:fields.postalCode.label').toLowerCase(),
        country: w.shown.country,
        example: localeText(language, 'profile:fields.postalCode.placeholder'),
      })}\n\n${question(language, 'postalCode')}`,
    ]);
    const done = await rig.sayActivities(w.card.postalCode);
    expect(done[0]!.text).toBe(summary(language, w.shown).replace(/\n\n1\. .*\n2\. .*$/, ''));
  });

  it('card: an older form after a newer one was shown, and a form sent twice, are ignored with a note', async () => {
    const old = formOf(await confirmed('webchat'))!.actions[0]!.data;
    // help shows the form again: a newer one
    const newer = formOf(await rig.sayActivities(w.help))!.actions[0]!.data;
    expect(newer.version).toBe(old.version + 1);

    const stale = await rig.say('', { value: { ...old, ...w.card } });
    expect(stale[0]).toBe(`${localeText(language, 'profile:card.stale')}\n\n${question(language, 'firstName')}`);
    expect(await rig.say('', { value: { ...newer, ...w.card } })).toEqual([summary(language, w.shown).replace(/\n\n1\. .*\n2\. .*$/, '')]);
    const twice = await rig.say('', { value: { ...newer, ...w.card, firstName: 'Someone Else' } });
    expect(twice[0]!.startsWith(`${localeText(language, 'profile:card.twice')}\n\n${localeText(language, 'profile:summary.question', { lines: '' }).split('\n')[0]}`)).toBe(true);
    await rig.say(w.yes);
    // after saving, the form is closed
    // (the course step, now under way, then says where things stand)
    expect(await rig.say('', { value: { ...newer, ...w.card } })).toEqual([localeText(language, 'profile:card.closed'), localeText(language, 'courses:chat.stillPreparing')]);
    expect((await rig.services.installers.get(id))?.profile).toEqual(w.stored);
  });

  it('summary: one field is changed by naming it, or by "change something" and then the field', async () => {
    const form = formOf(await confirmed('webchat'))!;
    await rig.say('', { value: { ...form.actions[0]!.data, ...w.card } });
    expect(await rig.say(w.wrongPostcode)).toEqual([question(language, 'postalCode')]);
    const [afterPostal] = await rig.say(w.newPostal);
    expect(afterPostal).toContain(`${localeText(language, 'profile:fields.postalCode.label')}: ${w.newPostal}`);
    const pick = await rig.sayActivities(w.changeSomething);
    expect(pick[0]!.text).toBe(localeText(language, 'profile:pickField'));
    expect(await rig.say(w.phoneWord)).toEqual([question(language, 'phone')]);
    const [afterPhone] = await rig.say(w.newPhone);
    expect(afterPhone).toContain(`${localeText(language, 'profile:fields.phone.label')}: ${w.newPhoneShown}`);
    await rig.say(w.yes);
    expect((await rig.services.installers.get(id))?.profile).toMatchObject({ postalCode: w.newPostal, phone: w.newPhoneShown.replace(/ /g, '') });
  });

  it('"no, the phone is wrong" at the summary goes straight to the phone', async () => {
    const t = SECOND_THOUGHTS[language];
    const form = formOf(await confirmed('webchat'))!;
    await rig.say('', { value: { ...form.actions[0]!.data, ...w.card } });
    expect(await rig.say(t.noPhoneWrong)).toEqual([question(language, 'phone')]);
    const [afterPhone] = await rig.say(w.newPhone);
    expect(afterPhone).toContain(`${localeText(language, 'profile:fields.phone.label')}: ${w.newPhoneShown}`);
    await rig.say(w.yes);
    expect((await rig.services.installers.get(id))?.profile).toMatchObject({ phone: w.newPhoneShown.replace(/ /g, '') });
  });

  it('"why do you need my phone number?" is answered (the phone number\'s own answer, or what the profile is for), and the question comes again', async () => {
    await confirmed();
    for (const answer of language === 'nb' ? [w.name] : [w.name, 'Smith']) await rig.say(answer);
    for (const answer of [w.company, w.country, w.postal]) await rig.say(answer);
    for (const [asked, answer] of WHY[language]) expect({ asked, replies: await rig.say(asked) }).toEqual({ asked, replies: [localeText(language, answer, faqLinks('global', language)), question(language, 'phone')] });
  });

  it('a change of mind in the middle of the questions: the answered field is asked again, then the questions go on', async () => {
    const t = SECOND_THOUGHTS[language];
    await confirmed();
    for (const answer of language === 'nb' ? [w.name] : [w.name, 'Smith']) await rig.say(answer);
    for (const answer of [w.company, w.country, w.postal]) await rig.say(answer);
    expect(await rig.say(t.changeCompany)).toEqual([question(language, 'company')]);
    expect(await rig.say(t.newCompany)).toEqual([question(language, 'phone')]);
    await rig.say(w.phone);
    const [shown] = await rig.say(w.language);
    expect(shown).toContain(`${localeText(language, 'profile:fields.company.label')}: ${t.newCompany}`);
  });

  it.each(SUMMARY_YES[language])('the summary takes "%s" as yes: saved (never "cancel", never a data export)', async (answer) => {
    await confirmed();
    for (const text of language === 'nb' ? [w.name] : [w.name, 'Smith']) await rig.say(text);
    for (const text of [w.company, w.country, w.postal, w.phone, w.language]) await rig.say(text);
    const replies = await rig.say(answer);
    expect(replies[0]).toBe(localeText(language, 'profile:saved'));
    expect((await rig.services.installers.get(id))?.profile).toEqual(w.stored);
  });

  it('"lagre"/"save" after the summary is not a request for a data export (it sent one, found playing it through)', async () => {
    await confirmed();
    for (const text of language === 'nb' ? [w.name] : [w.name, 'Smith']) await rig.say(text);
    for (const text of [w.company, w.country, w.postal, w.phone, w.language, w.yes]) await rig.say(text);
    await rewriteInstaller(rig.store, id, (i) => ({ ...i, stage: 'active' }));
    await rig.say('ok');
    const word = localeText(language, 'profile:summary.saveWord');
    const replies = await rig.say(word);
    expect(replies).not.toContain(localeText(language, 'chat:export.sent', { email: 'k***i@elektro.no' }));
    expect(replies).not.toContain(localeText(language, 'chat:export.sent', { email: 's***m@sparks.co.uk' }));
    await rig.services.mailer.flush();
    expect((await localMails(rig.dataDir)).flatMap((m) => m.attachments).map((a) => a.filename)).not.toContain('my-data.json');
  });

  it('after saving, "change my phone" at a later step edits that field, saves it and goes back to the step', async () => {
    await confirmed();
    for (const text of language === 'nb' ? [w.name] : [w.name, 'Smith']) await rig.say(text);
    for (const text of [w.company, w.country, w.postal, w.phone, w.language, w.yes]) await rig.say(text);
    await rewriteInstaller(rig.store, id, (i) => ({ ...i, stage: 'active' }));
    expect((await rig.say('ok')).at(-1)).toContain(localeText(language, 'chat:station.identify'));

    expect(await rig.say(w.changePhone)).toEqual([question(language, 'phone')]);
    const [shown] = await rig.say(w.newPhone);
    expect(shown).toContain(`${localeText(language, 'profile:fields.phone.label')}: ${w.newPhoneShown}`);
    const saved = await rig.say(w.yes);
    expect(saved[0]).toBe(localeText(language, 'profile:updated'));
    expect(saved.at(-1)).toContain(localeText(language, 'chat:station.identify'));
    const installer = await rig.services.installers.get(id);
    expect(installer?.profile).toEqual({ ...w.stored, phone: w.newPhoneShown.replace(/ /g, '') });
    expect(installer?.stage).toBe('active');
  });
});
