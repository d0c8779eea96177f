import fs from 'node:fs';
import path from 'node:path';
import type { Region } from '../../src/domain/journey';
import { LANGUAGES, type Language } from '../../src/domain/language';
import type { Profile } from '../../src/domain/profile';
import {
  completeProfile,
  PROFILE_FIELD_IDS,
  PROFILE_FIELDS,
  type ProfileFieldId,
  profileField,
  profileSchema,
  refusedValues,
} from '../../src/domain/profileFields';
import { localeText } from '../helpers/localeText';

/**
 * The profile form is defined once (src/domain/profileFields.ts): each field carries its locale
 * keys, its input kind and the zod schema of its stored value, and the whole profile checked at
 * save is made of those schemas. These tests hold the definition to that: complete, its keys in
 * both locale files (read as data), and its schemas agreeing with its parsers.
 */

const KARI: Profile = { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', phone: '+4791234567', country: 'NO', postalCode: '0150', language: 'nb' };
const SAM: Profile = { firstName: 'Sam', lastName: "O'Brien", company: 'Sparks & Sons Ltd', phone: '+447911123456', country: 'GB', postalCode: 'SW1A 1AA', language: 'en' };
const JO: Profile = { firstName: 'Jo', lastName: 'Miller', company: 'Volt Inc', phone: '+15125550147', country: 'US', postalCode: '78701', language: 'en' };

interface Context {
  region?: Region;
  country?: string;
}

/** Answers each field takes, typed in nb and en, with the context they are read in. */
const VALID_ANSWERS: Record<ProfileFieldId, Array<[input: string, context?: Context]>> = {
  firstName: [['Kari'], ['jeg heter kari'], ['my name is Sam'], ['ANNE MARIE'], ["o'neil"], ['Ståle']],
  lastName: [['Nordmann'], ['etternavnet mitt er Hansen'], ['my surname is Smith'], ['van der Berg']],
  company: [['Elektro AS'], ['jeg jobber i Lys & Varme AS'], ['I work for Sparks Ltd'], ['3T Elektro AS']],
  country: [['Norge'], ['sverge'], ['UK'], ['holland'], ['jeg bor i Norge'], ['Trondheim'], ['united states', { region: 'na' }], ['Canada', { region: 'na' }]],
  postalCode: [
    ['Oslo 0150', { country: 'NO' }],
    ['NO-7010', { country: 'NO' }],
    ['114 55 Stockholm', { country: 'SE' }],
    ['2100', { country: 'DK' }],
    ['00100', { country: 'FI' }],
    ['sw1a1aa', { country: 'GB' }],
    ['10115 Berlin', { country: 'DE' }],
    ['1234ab', { country: 'NL' }],
    ['75008', { country: 'FR' }],
    ['zip code is 78701', { region: 'na', country: 'US' }],
    ['k1a0b1', { region: 'na', country: 'CA' }],
    ['0150'],
  ],
  phone: [
    ['912 34 567', { country: 'NO' }],
    ['mobilen min er 912 34 567'],
    ['+47 91234567', { country: 'SE' }],
    ['(512) 555-0147 ext 2', { region: 'na', country: 'US' }],
    ['(416) 555-0199', { region: 'na', country: 'CA' }],
    ['07911 123456', { country: 'GB' }],
    ['070-123 45 67', { country: 'SE' }],
  ],
  language: [['norsk'], ['bokmål'], ['english'], ['Engelsk'], ['en']],
};

/** Stored values each field's schema refuses (what a parser never returns), with the context. */
const INVALID_STORED: Record<ProfileFieldId, Array<[value: string, context?: Context]>> = {
  firstName: [[''], ['Kari2'], ['kari@elektro.no'], ['x'.repeat(51)]],
  lastName: [['12345'], [':-)']],
  company: [['987654321'], ['post@elektro.no'], ['y'.repeat(101)]],
  country: [['Norge'], ['no'], ['NOR'], ['US'], ['NO', { region: 'na' }], ['BV']],
  postalCode: [['150', { country: 'NO' }], ['0150', { country: 'GB' }], ['SW1A 1AA', { country: 'NO' }], ['1234', { country: 'SE' }], [''], ['OSLO']],
  phone: [['912 34 567'], ['91234567'], ['+47 912 34 567'], ['+4712'], ['+47912345678'], ['+4707912345']],
  language: [['de'], ['NB'], ['norsk'], ['']],
};

const contextOf = (context: Context = {}) => ({ region: context.region ?? 'global', country: context.country });

describe('the profile form, defined once', () => {
  it('defines every field of the stored profile, once, in the order the questions are asked', () => {
    expect([...PROFILE_FIELD_IDS].sort()).toEqual(Object.keys(KARI).sort());
    expect(new Set(PROFILE_FIELD_IDS).size).toBe(PROFILE_FIELD_IDS.length);
    // the country comes before the phone number and postal code that are read for it
    expect(PROFILE_FIELD_IDS.indexOf('country')).toBeLessThan(PROFILE_FIELD_IDS.indexOf('postalCode'));
    expect(PROFILE_FIELD_IDS.indexOf('country')).toBeLessThan(PROFILE_FIELD_IDS.indexOf('phone'));
  });

  it.each(PROFILE_FIELDS.map((f) => [f.id]))('%s: has an input kind, a length limit, a schema and a parser', (id) => {
    const field = profileField(id as ProfileFieldId);
    expect(['text', 'tel', 'country', 'language']).toContain(field.input);
    expect(field.maxLength).toBeGreaterThan(0);
    expect(typeof field.schema({ region: 'global' }).safeParse).toBe('function');
    expect(typeof field.parse).toBe('function');
  });

  describe.each<Language>([...LANGUAGES])('its locale keys in %s', (language) => {
    it.each(PROFILE_FIELDS.map((f) => [f.id]))('%s: label, question, placeholder and help are in the locale file, distinct and not empty', (id) => {
      const { keys } = profileField(id as ProfileFieldId);
      expect(Object.keys(keys).sort()).toEqual(['help', 'label', 'placeholder', 'question']);
      const texts = Object.values(keys).map((key) => {
        expect(key.startsWith('profile:')).toBe(true);
        return localeText(language, key, { country: 'X' });
      });
      for (const text of texts) expect(text.trim().length).toBeGreaterThan(0);
      expect(new Set(Object.values(keys)).size).toBe(4);
      // a help text says more than the question does
      expect(texts[3]!.length).toBeGreaterThan(texts[1]!.length);
    });

    it('the locale file has no field the definition does not know', () => {
      const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'locales', language, 'profile.json'), 'utf8')) as { fields: Record<string, unknown> };
      expect(Object.keys(file.fields).sort()).toEqual([...PROFILE_FIELD_IDS].sort());
    });
  });

  describe.each(PROFILE_FIELDS.map((f) => [f.id]))('%s: the schema of the stored value', (id) => {
    const field = profileField(id as ProfileFieldId);

    // rows as objects: a test function of two arguments with a one-element row would be taken for a done-callback test
    it.each(VALID_ANSWERS[field.id].map(([input, context]) => ({ input, context })))('takes what the parser makes of $input (and that, typed again, reads as itself)', ({ input, context }) => {
      const parsed = field.parse(input, contextOf(context));
      if (!parsed.ok) throw new Error(`${id} did not take ${input}: ${parsed.problem}`);
      expect(field.schema(contextOf(context)).safeParse(parsed.value)).toMatchObject({ success: true, data: parsed.value });
      expect(field.parse(parsed.value, contextOf(context))).toEqual(parsed);
    });

    it.each(INVALID_STORED[field.id].map(([value, context]) => ({ value, context })))('refuses $value as a stored value', ({ value, context }) => {
      const checked = field.schema(contextOf(context)).safeParse(value);
      expect(checked.success).toBe(false);
      // its reason is a problem code the profile step has a text for
      expect(checked.error!.issues[0]!.message).toMatch(/^[a-zA-Z]+$/);
      expect(() => localeText('nb', `profile:problem.${checked.error!.issues[0]!.message}`, { label: '', labelLower: '', max: 1, value: '', country: '', region: '', example: '' })).not.toThrow();
    });
  });
});

describe('the whole profile checked at save, made of the fields’ schemas', () => {
  it.each<[string, Profile, Region]>([
    ['Kari in Norway', KARI, 'global'],
    ['Sam in the UK', SAM, 'global'],
    ['Jo in the US', JO, 'na'],
  ])('takes %s', (_name, profile, region) => {
    expect(profileSchema(region).parse(profile)).toEqual(profile);
    expect(completeProfile(profile, region)).toEqual(profile);
    expect(refusedValues(profile, region)).toEqual({});
  });

  it.each(PROFILE_FIELDS.map((f) => [f.id]))('refuses a profile whose %s its field’s schema refuses, and says which field', (id) => {
    const field = id as ProfileFieldId;
    for (const [value, context] of INVALID_STORED[field]) {
      // a value refused only for another country or region is tried with that profile
      const base = context?.country ? { ...KARI, country: context.country } : KARI;
      const profile = { ...base, [field]: value };
      const region = context?.region ?? 'global';
      if (field !== 'country' && !profileSchema(region).safeParse(base).success) continue;
      const checked = profileSchema(region).safeParse(profile);
      expect({ value, success: checked.success }).toEqual({ value, success: false });
      expect(checked.error!.issues.map((issue) => issue.path[0])).toContain(field);
      expect(Object.keys(refusedValues(profile, region))).toContain(field);
    }
  });

  it('checks the postal code for the country of the profile, and the country for the region', () => {
    expect(profileSchema('global').safeParse({ ...KARI, postalCode: 'SW1A 1AA' }).success).toBe(false);
    expect(profileSchema('global').safeParse({ ...KARI, country: 'GB', postalCode: 'SW1A 1AA' }).success).toBe(true);
    expect(profileSchema('na').safeParse(KARI).success).toBe(false);
    expect(refusedValues(KARI, 'na')).toEqual({ country: { ok: false, problem: 'otherRegion', vars: { country: 'NO' } } });
  });

  it('a profile with a field missing is not complete', () => {
    for (const id of PROFILE_FIELD_IDS) {
      const values: Partial<Profile> = { ...KARI };
      delete values[id];
      expect(completeProfile(values, 'global')).toBeUndefined();
    }
  });
});
