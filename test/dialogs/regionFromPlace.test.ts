import type { Language } from '../../src/domain/language';
import { createDialogRig, type DialogRig } from '../helpers/dialogRig';
import { localeText } from '../helpers/localeText';

/**
 * At the region question people name a place. Expected replies are the locale files read as data,
 * filled with literal place and country names.
 */
interface Case {
  says: string;
  /** The key and values of the reply that names the place and the region taken. */
  reply: [key: string, vars: Record<string, string>];
  region: 'na' | 'global';
}

interface Words {
  locale: string;
  hi: string;
  yes: string;
  email: string;
  cases: Case[];
  ambiguous: { says: string; place: string; country: string; candidates: string; then: string };
  outside: { says: string; place: string };
}

const WORDS: Record<Language, Words> = {
  nb: {
    locale: 'nb-NO',
    hi: 'hei',
    yes: 'ja',
    email: 'kari.montor@elektro.no',
    cases: [
      { says: 'jobber i Trondheim', reply: ['registration:region.fromPlace', { place: 'Trondheim', country: 'Norge' }], region: 'global' },
      { says: 'Tromso', reply: ['registration:region.fromPlace', { place: 'Tromsø', country: 'Norge' }], region: 'global' },
      { says: 'Tronheim', reply: ['registration:region.fromPlace', { place: 'Trondheim', country: 'Norge' }], region: 'global' },
      { says: 'Sverige', reply: ['registration:region.fromCountry', { country: 'Sverige' }], region: 'global' },
      { says: 'Texas', reply: ['registration:region.fromPlace', { place: 'Texas', country: 'USA' }], region: 'na' },
      { says: 'BC', reply: ['registration:region.fromPlace', { place: 'British Columbia', country: 'Canada' }], region: 'na' },
    ],
    ambiguous: { says: 'Birmingham', place: 'Birmingham', country: 'Storbritannia', candidates: 'Birmingham i Storbritannia eller Birmingham i USA', then: 'Birmingham, Alabama' },
    outside: { says: 'Tokyo', place: 'Tokyo i Japan' },
  },
  en: {
    locale: 'en-GB',
    hi: 'hello',
    yes: 'yes',
    email: 'sam.fitter@sparks.co.uk',
    cases: [
      { says: "I'm in Manchester, UK", reply: ['registration:region.fromPlace', { place: 'Manchester', country: 'United Kingdom' }], region: 'global' },
      { says: 'Bergen', reply: ['registration:region.fromPlace', { place: 'Bergen', country: 'Norway' }], region: 'global' },
      { says: 'England', reply: ['registration:region.fromPlace', { place: 'England', country: 'United Kingdom' }], region: 'global' },
      { says: 'United States', reply: ['registration:region.fromCountry', { country: 'United States' }], region: 'na' },
      { says: 'Ontario', reply: ['registration:region.fromPlace', { place: 'Ontario', country: 'Canada' }], region: 'na' },
      { says: 'texsa', reply: ['registration:region.fromPlace', { place: 'Texas', country: 'United States' }], region: 'na' },
    ],
    ambiguous: { says: 'London', place: 'London', country: 'United Kingdom', candidates: 'London, United Kingdom or London, Canada', then: 'London, Ontario' },
    outside: { says: 'Japan', place: 'Japan' },
  },
};

describe.each<Language>(['nb', 'en'])('the region from a place, in %s', (language) => {
  const w = WORDS[language];
  let rig: DialogRig;
  const text = (key: string, vars?: Record<string, string>) => localeText(language, key, vars);
  const question = () => text('registration:region.question', { suggested: text('registration:region.global') });

  beforeEach(async () => {
    rig = await createDialogRig(w.locale);
    await rig.say(w.hi);
    expect((await rig.say(w.yes)).join('\n')).toContain(question());
  });
  afterEach(() => rig.close());

  /** Types the address, says yes when it is shown back, and types the mailed code: the registration is created with the region taken. */
  async function regionRegistered(): Promise<string | undefined> {
    await rig.say(w.email);
    await rig.say(w.yes);
    await rig.say(await rig.codeFor(w.email));
    return (await rig.services.installers.get(w.email))?.region;
  }

  it.each(w.cases.map((c) => [c.says, c] as const))('%s answers the question and the chat says which region it took', async (_says, c) => {
    const [key, vars] = c.reply;
    expect(await rig.say(c.says)).toEqual([text(key, { ...vars, region: text(`registration:region.${c.region}`) }), text('registration:email.question')]);
    expect(await regionRegistered()).toBe(c.region);
  });

  it('a name found in more than one region is asked about, and the answer with its country is taken', async () => {
    const { says, place, country, candidates, then } = w.ambiguous;
    // the reason and the question again, in one message
    const replies = await rig.say(says);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(text('registration:region.ambiguous', { place, country, candidates }) + '\n\n')).toBe(true);
    expect(replies[0]).toContain(question());
    const [taken, next] = await rig.say(then);
    expect(taken).toMatch(new RegExp(`^${then.split(',')[0]}`));
    expect(next).toBe(text('registration:email.question'));
    expect(await regionRegistered()).toBe('na');
  });

  it('a place outside North America and Europe gets an honest answer and the question again; a choice still works', async () => {
    const replies = await rig.say(w.outside.says);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(text('registration:region.outside', { place: w.outside.place, na: text('registration:region.na'), global: text('registration:region.global') }) + '\n\n')).toBe(true);
    expect(replies[0]).toContain(question());
    expect(await rig.say('2')).toEqual([text('registration:email.question')]);
    expect(await regionRegistered()).toBe('na');
  });

  it('the choices keep working as before: a label, a synonym, a number', async () => {
    expect(await rig.say(text('registration:region.global'))).toEqual([text('registration:email.question')]);
  });

  it('no place and no choice: the usual "pick one" answer', async () => {
    const replies = await rig.say(language === 'nb' ? 'vet ikke' : 'not sure');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.startsWith(localeText(language, 'chat:question.pickOne') + '\n\n')).toBe(true);
    expect(replies[0]).toContain(question());
  });
});
