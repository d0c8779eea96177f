import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import { z } from 'zod';
import type { Region } from './journey';
import { isLanguage, LANGUAGES, type Language } from './language';
import type { Profile } from './profile';
import { isRegionCountry, readCountry } from './profileCountries';
import { holdsSentenceWord } from './sentenceWords';
import type { Choice } from './understanding';
import { foldText, matchChoice } from './understandingDecision';

/**
 * The profile form as data, defined once: every required field with its locale keys (label,
 * question, placeholder, help), its input kind, the zod schema of its stored value and its parser.
 * The Adaptive Card, the one-question-at-a-time prompts and the check of a whole profile at save
 * are all made from this list; a field's parser reads a typed answer as well as a card's value and
 * returns the stored form or a problem code (never a sentence). What a parser returns always passes
 * the field's schema (the parser ends with it).
 */

export type ProfileFieldId = keyof Profile;

/** How a field is entered on a card: free text, a telephone number, or one of a list. */
export type ProfileInput = 'text' | 'tel' | 'country' | 'language';

/** What a field's value may depend on: the installer's region and the country given (phone, postal code). */
export interface FieldContext {
  region: Region;
  country?: string;
}

export type FieldResult = { ok: true; value: string } | { ok: false; problem: string; vars?: Record<string, string> };

/** The locale keys of a field (namespace included): what it is called, how it is asked, an example answer and a help text. */
export interface ProfileFieldKeys {
  label: string;
  question: string;
  placeholder: string;
  help: string;
}

export interface ProfileField {
  id: ProfileFieldId;
  keys: ProfileFieldKeys;
  input: ProfileInput;
  /** The most characters the card lets through (a longer typed answer gets its reason). */
  maxLength: number;
  /** Whether the stored value is valid only for the country of the profile (the postal code): checked again when the country changes. */
  forCountry: boolean;
  /** The stored value (E.164, an ISO code of the region's countries, a postal code of the country …); an issue's message is a problem code. */
  schema(context: FieldContext): z.ZodType<string>;
  /** Reads what was typed or chosen into the stored value (which the schema then takes), or says why not. */
  parse(text: string, context: FieldContext): FieldResult;
}

export const NAME_MAX = 50;
export const COMPANY_MAX = 100;

/** Words in front of a name ("jeg heter Kari", "my name is Sam"), matched without case. */
const NAME_LEAD_INS =
  /^(?:jeg heter|je heter|mitt (?:for|etter)?navn er|(?:for|etter)?navnet mitt er|(?:for|etter)?navn(?:et)? er|det er|my (?:first |last |sur)?name is|(?:first |last |sur)?name is|surname is|call me|i am|i'm|im|it's|its)\s*[:,-]?\s+/i;
/** Words in front of a company ("jeg jobber i Elektro AS", "I work for Sparks Ltd"). */
const COMPANY_LEAD_INS =
  /^(?:jeg (?:jobber|arbeider|er ansatt) (?:i|for|hos|på|pa|ved)|(?:jobber|arbeider) (?:i|for|hos|på|pa|ved)|firmaet (?:mitt |vårt |vart )?(?:heter|er)|bedriften (?:min |vår |var )?(?:heter|er)|arbeidsgiveren (?:min )?er|vi heter|det er|i (?:work|am employed) (?:at|for|with)|work (?:at|for)|(?:my |the |our )?(?:company|employer|firm) is(?: called)?|we are|it's|its|firma|company)\s*[:,-]?\s+/i;

/** Words after a name ("Kari heter jeg", "Sam is my name"). */
const NAME_LEAD_OUTS = /\s*,?\s*(?:heter jeg|er (?:mitt |det )?(?:for|etter)?navn(?:et)?(?: mitt)?|is my (?:first |last |sur)?name)$/i;

const EMAIL = /\S@\S/;
const URL_LIKE = /(?:https?:\/\/|www\.)\S|\b\S+\.(?:com|no|net|org|io|co\.uk|se|dk|de)\b/i;

/** Lead-in (and lead-out) words off, spaces tidied, a trailing full stop off. */
function tidy(text: string, leadIns: RegExp, leadOuts?: RegExp): string {
  const trimmed = text.replace(/\s+/g, ' ').trim().replace(/[.!]+$/, '').trim();
  const stripped = trimmed.replace(leadIns, '').replace(leadOuts ?? /$^/, '').trim();
  return stripped || trimmed;
}

/** "kari" / "KARI NORDMANN" → "Kari" / "Kari Nordmann"; a name written with mixed case is kept as written. */
function capitalised(name: string): string {
  if (name !== name.toLowerCase() && name !== name.toUpperCase()) return name;
  return name.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

/** A person's name: letters (any script), spaces, hyphens and apostrophes; no digits, no address, no link. */
export const personNameSchema = z
  .string()
  .trim()
  .min(1, 'empty')
  .max(NAME_MAX, 'tooLong')
  .refine((v) => !EMAIL.test(v), 'email')
  .refine((v) => !URL_LIKE.test(v), 'url')
  .refine((v) => /\p{L}/u.test(v) || !/\d/.test(v), 'digits')
  .refine((v) => !/\d/.test(v), 'hasDigits')
  .refine((v) => /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u.test(v), 'characters');

/**
 * What the self-employed answer instead of a company name ("jobber for meg selv", "self employed"),
 * folded: no name ChargePoint University could show, so they are asked for their business's name.
 */
const SELF_EMPLOYED = new Set(
  [
    'meg selv', 'meg sjol', 'meg sjael', 'selvstendig', 'selvstendig naeringsdrivende', 'enkeltpersonforetak', 'enk', 'eget firma', 'mitt eget firma',
    'eget foretak', 'egen bedrift', 'min egen bedrift', 'eget enkeltpersonforetak', 'ingen', 'ikke noe firma', 'har ikke firma', 'har ikke noe firma', 'frilans',
    'myself', 'me', 'self', 'self employed', 'selfemployed', 'sole trader', 'sole proprietor', 'my own business', 'my own company', 'own business',
    'own company', 'freelance', 'freelancer', 'none', 'no company', 'i dont have one', 'dont have one', 'no', 'nei', 'n a', 'na',
  ],
);

/** A company's legal form at the end of its name ("Elektro AS", "Sparks Ltd."): a company, whatever its other words. */
const COMPANY_FORM = /\s(?:AS|ASA|ANS|ENK|Ltd|Limited|LLC|Inc|PLC|GmbH|AB|ApS|Oy|BV)\.?$/i;
/** Words for a company, and for not having one, in "har ikke firma enda", "no company yet", "I don't have a company". */
const COMPANY_WORD = /^(?:firma\w*|bedrift\w*|foretak\w*|selskap\w*|arbeidsgiver\w*|company|employer|business|firm)$/;
const NO_WORD = new Set(['ikke', 'ingen', 'uten', 'no', 'not', 'dont', 'don', 'havent', 'haven', 'without', 'never', 'aldri']);
/** Working alone, in everyday words ("jobber alene", "bare meg", "just me", "on my own"), folded. */
const ON_MY_OWN = /(?:^| )(?:alene|alone|meg selv|meg sjol|bare meg|kun meg|just me|only me|on my own|by myself|myself|selvstendig|self employed|freelance|frilans)(?: |$)/;
/** More words than this is no short answer of being self-employed, but a sentence about something. */
const SELF_EMPLOYED_MAX_WORDS = 8;

/**
 * "er selvstendig", "har eget firma", "I'm a sole trader", "har ikke firma enda", "jobber alene",
 * "no company yet", "just me": a self-employed answer (with its lead-in: "jeg er", "har", "I'm a").
 */
function saysSelfEmployed(value: string): boolean {
  const folded = foldText(value);
  const bare = folded.replace(/^(?:jeg er|er|jeg har|har|i am|i m|im|i have|i ve got|ive got)(?: an?| en| et| ei)? /, '');
  if (SELF_EMPLOYED.has(folded) || SELF_EMPLOYED.has(bare)) return true;
  const words = folded.split(' ');
  if (words.length > SELF_EMPLOYED_MAX_WORDS || COMPANY_FORM.test(value.trim())) return false;
  return ON_MY_OWN.test(folded) || (words.some((w) => NO_WORD.has(w)) && words.some((w) => COMPANY_WORD.test(w)));
}

/** A company: letters or digits ("3T Elektro AS"), but not only digits (a phone or an org number), no address, no link. */
export const companySchema = z
  .string()
  .trim()
  .min(1, 'empty')
  .max(COMPANY_MAX, 'tooLong')
  .refine((v) => !EMAIL.test(v), 'email')
  .refine((v) => !URL_LIKE.test(v), 'url')
  .refine((v) => /\p{L}/u.test(v), 'digits')
  .refine((v) => !saysSelfEmployed(v), 'selfEmployed');

function bySchema(schema: z.ZodType<string>, value: string): FieldResult {
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: parsed.error.issues[0]?.message ?? 'invalid' };
}

function parseName(text: string): FieldResult {
  const result = bySchema(personNameSchema, tidy(text, NAME_LEAD_INS, NAME_LEAD_OUTS));
  return result.ok ? { ok: true, value: capitalised(result.value) } : result;
}

function parseCompany(text: string): FieldResult {
  return bySchema(companySchema, tidy(text, COMPANY_LEAD_INS));
}

/** More words than a person's name has ("Maria de los Angeles Garcia" has five). */
const NAME_MAX_WORDS = 5;
/** More words than a company's name has. */
const COMPANY_MAX_WORDS = 10;
/** Words at the phone or postal code question without a digit: a sentence about something else ("jeg fikk ingen epost"). */
const CODE_MAX_WORDS = 2;

/**
 * Whether a message at a field's question is clearly no answer to it but a sentence about something
 * else ("the password link says it expired" at the first name, "lenken virker ikke" at the
 * company): the one rule of what the free-text questions refuse. A name with a word of a sentence
 * in it or too many words, a company with one in it (not a company with its legal form, and not
 * "har ikke firma enda": that is the self-employed answer), a phone number or postal code of
 * several words without a digit. The understanding then reads the message as a command or question.
 */
export function isClearlyNoAnswer(field: ProfileFieldId, text: string): boolean {
  if (field === 'firstName' || field === 'lastName') {
    const words = foldText(tidy(text, NAME_LEAD_INS, NAME_LEAD_OUTS)).split(' ');
    return words.length > NAME_MAX_WORDS || holdsSentenceWord(words, 'name');
  }
  if (field === 'company') {
    const tidied = tidy(text, COMPANY_LEAD_INS);
    if (COMPANY_FORM.test(tidied) || saysSelfEmployed(tidied) || saysSelfEmployed(text)) return false;
    const words = foldText(tidied).split(' ');
    return words.length > COMPANY_MAX_WORDS || holdsSentenceWord(words, 'company');
  }
  if (field === 'phone' || field === 'postalCode') return !/\d/.test(text) && foldText(text).split(' ').length > CODE_MAX_WORDS;
  return false;
}

/** The country phone numbers are read for when none is written: the profile's, else the region's usual one. */
export function phoneCountry(context: FieldContext): CountryCode {
  return (context.country ?? (context.region === 'na' ? 'US' : 'NO')) as CountryCode;
}

/** A telephone number as stored: E.164 of a number libphonenumber-js finds valid ("+4791234567"). */
export const phoneSchema = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, 'invalid')
  .refine((value) => {
    const number = parsePhoneNumberFromString(value);
    return number !== undefined && number.isValid() && number.number === value;
  }, 'invalid');

/** A telephone number in any everyday notation, stored as E.164 ("+4791234567"); an extension is left out. */
function readPhone(text: string, context: FieldContext): FieldResult {
  const country = phoneCountry(context);
  if (text.length > MAX_FIELD_TEXT) return { ok: false, problem: 'invalid' };
  const trimmed = text.trim();
  if (!/\d/.test(trimmed)) return { ok: false, problem: 'noDigits' };
  if (EMAIL.test(trimmed)) return { ok: false, problem: 'email' };
  const whole = parsePhoneNumberFromString(trimmed.replace(/^(?:tlf|tel|telefon|mobil|phone|mobile)\.?:?\s*/i, ''), country);
  if (whole?.isValid()) return { ok: true, value: whole.number };
  // a number inside a sentence ("mobilen min er 912 34 567"); a message of digits alone is one number,
  // never a part of it ("07912 345678" is not the Norwegian short number 07912)
  const sentence = /\p{L}{2,}/u.test(trimmed.replace(/\b(?:ext|x)\b/gi, ''));
  const found = sentence ? findPhoneNumbersInText(trimmed, country).map((f) => f.number).find((n) => n.isValid()) : undefined;
  if (found) return { ok: true, value: found.number };
  const digits = trimmed.replace(/\D/g, '').length;
  return { ok: false, problem: digits < 6 ? 'tooShort' : 'invalid' };
}

/** A country as stored: the ISO 3166-1 alpha-2 code of one of the region's countries ("NO"). */
export function countrySchema(region: Region): z.ZodType<string> {
  return z
    .string()
    .regex(/^[A-Z]{2}$/, 'unknown')
    .refine((code) => isRegionCountry(code, region), 'otherRegion');
}

/** The country, one of the region's. */
function readCountryField(text: string, context: FieldContext): FieldResult {
  const reading = readCountry(text, context.region);
  if (reading.ok) return { ok: true, value: reading.country };
  return reading.problem === 'otherRegion' ? { ok: false, problem: 'otherRegion', vars: { country: reading.country } } : { ok: false, problem: 'unknown' };
}

/** A short code with a digit: a postal code of a country postcode-validator does not know. */
const ANY_POSTAL_CODE = /^(?=.*\d)[A-Z0-9][A-Z0-9 -]{1,9}$/;

/** Whether a code is a postal code of the country (postcode-validator); without a country, or one the library does not know, any short code with a digit. */
function isPostalCodeOf(code: string, country: string | undefined): boolean {
  return country !== undefined && postcodeValidatorExistsForCountry(country) ? postcodeValidator(code, country) : ANY_POSTAL_CODE.test(code);
}

/** A postal code as stored: valid for the profile's country ("0150", "SW1A 1AA"). */
export function postalCodeSchema(country: string | undefined): z.ZodType<string> {
  return z
    .string()
    .min(1, 'empty')
    .max(20, 'tooLong')
    .refine((code) => isPostalCodeOf(code, country), 'invalid');
}

/** Postal code formats with a space in them, written without it ("sw1a1aa", "k1a0b1", "1234ab"). */
function withUsualSpace(code: string, country: string): string {
  if ((country === 'GB' || country === 'CA') && !code.includes(' ') && code.length > 4) return `${code.slice(0, -3)} ${code.slice(-3)}`;
  if (country === 'NL' && /^\d{4}[A-Z]{2}$/.test(code)) return `${code.slice(0, 4)} ${code.slice(4)}`;
  return code;
}

/**
 * A postal code valid for the country, read out of what people write with it ("Oslo 0150",
 * "0150 OSLO", "NO-0150", "postnummer 5003"). Without a country, or one the library does not
 * know, any short code with a digit is taken.
 */
function readPostalCode(text: string, context: FieldContext): FieldResult {
  const country = context.country;
  if (text.length > MAX_FIELD_TEXT) return { ok: false, problem: 'unreadable' };
  const upper = text.toUpperCase().replace(/\b(?:POSTNUMMER|POSTNR|POSTCODE|POST CODE|POSTAL CODE|ZIP(?: CODE)?|ER|IS)\b[:.]?/g, ' ');
  const words = upper.split(/[\s,;]+/).filter(Boolean).map((w) => (country ? w.replace(new RegExp(`^${country}-`), '') : w));
  if (!/\d/.test(upper)) return { ok: false, problem: 'noDigits' };
  const candidates = [words.join(' '), ...words.flatMap((w, i) => [w, words.slice(i, i + 2).join(' ')])].filter((c) => /\d/.test(c));
  const known = country !== undefined && postcodeValidatorExistsForCountry(country);
  for (const candidate of candidates) {
    const code = candidate.replace(/[^A-Z0-9 -]/g, '').trim();
    if (code && isPostalCodeOf(code, country)) return { ok: true, value: country ? withUsualSpace(code, country) : code };
  }
  // a telephone number typed here by mistake ("912 34 567" at the postal code) is said to be one
  if (upper.replace(/\D/g, '').length >= 8 && readPhone(text, context).ok) return { ok: false, problem: 'looksLikePhone' };
  return { ok: false, problem: known ? 'invalid' : 'unreadable' };
}

/** The languages an installer may prefer, with the words people use for them (any form of Norwegian is bokmål). */
export const PREFERRED_LANGUAGE_CHOICES: readonly Choice[] = [
  {
    value: 'nb',
    utterances: {
      nb: ['norsk', 'bokmål', 'norsk bokmål', 'nynorsk', 'på norsk', 'nb', 'no', 'norwegian'],
      en: ['norwegian', 'norsk', 'in norwegian'],
    },
  },
  {
    value: 'en',
    utterances: {
      nb: ['engelsk', 'på engelsk', 'english', 'en'],
      en: ['english', 'in english', 'british english', 'en', 'eng'],
    },
  },
];

/** A preferred language as stored: one of the languages of the courses and emails. */
export const preferredLanguageSchema = z.enum(LANGUAGES, { error: 'unknown' });

export function parsePreferredLanguage(text: string, language: Language = 'nb'): FieldResult {
  if (text.length > MAX_FIELD_TEXT) return { ok: false, problem: 'unknown' };
  const trimmed = text.trim();
  if (isLanguage(trimmed)) return { ok: true, value: trimmed };
  const choice = matchChoice(trimmed, PREFERRED_LANGUAGE_CHOICES, language);
  return choice && choice.score >= 0.65 ? { ok: true, value: choice.value } : { ok: false, problem: 'unknown' };
}

/** The locale keys of a field, in locales/<language>/profile.json under fields.<id>. */
function keysOf(id: ProfileFieldId): ProfileFieldKeys {
  const base = `profile:fields.${id}`;
  return { label: `${base}.label`, question: `${base}.question`, placeholder: `${base}.placeholder`, help: `${base}.help` };
}

interface FieldDefinition {
  id: ProfileFieldId;
  input: ProfileInput;
  maxLength: number;
  forCountry?: boolean;
  schema(context: FieldContext): z.ZodType<string>;
  read(text: string, context: FieldContext): FieldResult;
}

/** A field of the form: its keys, and a parser that reads the answer and ends with the field's schema. */
function field(definition: FieldDefinition): ProfileField {
  const { id, input, maxLength, schema, read } = definition;
  return {
    id,
    keys: keysOf(id),
    input,
    maxLength,
    forCountry: definition.forCountry ?? false,
    schema,
    parse(text, context) {
      const result = read(text, context);
      return result.ok ? bySchema(schema(context), result.value) : result;
    },
  };
}

/** The form, in the order it is asked: the country before the phone number and postal code that depend on it. */
export const PROFILE_FIELDS: readonly ProfileField[] = [
  field({ id: 'firstName', input: 'text', maxLength: NAME_MAX, schema: () => personNameSchema, read: parseName }),
  field({ id: 'lastName', input: 'text', maxLength: NAME_MAX, schema: () => personNameSchema, read: parseName }),
  field({ id: 'company', input: 'text', maxLength: COMPANY_MAX, schema: () => companySchema, read: parseCompany }),
  field({ id: 'country', input: 'country', maxLength: 60, schema: (context) => countrySchema(context.region), read: readCountryField }),
  field({ id: 'postalCode', input: 'text', maxLength: 20, forCountry: true, schema: (context) => postalCodeSchema(context.country), read: readPostalCode }),
  field({ id: 'phone', input: 'tel', maxLength: 40, schema: () => phoneSchema, read: readPhone }),
  field({ id: 'language', input: 'language', maxLength: 30, schema: () => preferredLanguageSchema, read: (text) => parsePreferredLanguage(text) }),
];

export const PROFILE_FIELD_IDS: readonly ProfileFieldId[] = PROFILE_FIELDS.map((f) => f.id);

export function profileField(id: ProfileFieldId): ProfileField {
  return PROFILE_FIELDS.find((f) => f.id === id)!;
}

export function isProfileFieldId(value: unknown): value is ProfileFieldId {
  return typeof value === 'string' && (PROFILE_FIELD_IDS as readonly string[]).includes(value);
}

/** Values of the form so far, each already parsed. */
export type ProfileValues = Partial<Record<ProfileFieldId, string>>;

/** Longer answers are read by no field (a name, a number or a code is a few words): refused before any pattern sees them. */
export const MAX_FIELD_TEXT = 300;

/** Parses one field in the context of the values given so far. */
export function parseField(id: ProfileFieldId, text: string, region: Region, values: ProfileValues = {}): FieldResult {
  if (text.length > MAX_FIELD_TEXT) return { ok: false, problem: 'tooLong' };
  return profileField(id).parse(text, { region, country: values.country });
}

/** A telephone number read for the country (the phone field's parser). */
export function parsePhone(text: string, context: FieldContext): FieldResult {
  return profileField('phone').parse(text, context);
}

/** A postal code read for the country (the postal code field's parser). */
export function parsePostalCode(text: string, context: FieldContext): FieldResult {
  return profileField('postalCode').parse(text, context);
}

/**
 * A complete profile as saved, made of the fields' schemas: every field present in its stored
 * form, the country one of the region's, and the fields that depend on the country (the postal
 * code) valid for it.
 */
export function profileSchema(region: Region): z.ZodType<Profile> {
  const shape = Object.fromEntries(PROFILE_FIELDS.map((f) => [f.id, f.schema({ region })])) as { [K in ProfileFieldId]: z.ZodType<Profile[K]> };
  return z.object(shape).superRefine((profile, context) => {
    for (const f of PROFILE_FIELDS.filter((candidate) => candidate.forCountry)) {
      const checked = f.schema({ region, country: profile.country }).safeParse(profile[f.id]);
      if (!checked.success) context.addIssue({ code: 'custom', path: [f.id], message: checked.error.issues[0]?.message ?? 'invalid' });
    }
  });
}

/** The profile the values make, once every field is there and valid for the region; undefined before. */
export function completeProfile(values: ProfileValues, region: Region): Profile | undefined {
  const parsed = profileSchema(region).safeParse(values);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The values given that their field's schema no longer takes, each with its problem: a country of
 * another region after the region was changed, a postal code of another country.
 */
export function refusedValues(values: ProfileValues, region: Region): Partial<Record<ProfileFieldId, FieldResult & { ok: false }>> {
  const refused: Partial<Record<ProfileFieldId, FieldResult & { ok: false }>> = {};
  for (const f of PROFILE_FIELDS) {
    const value = values[f.id];
    if (value === undefined) continue;
    const checked = f.schema({ region, country: values.country }).safeParse(value);
    if (checked.success) continue;
    const problem = checked.error.issues[0]?.message ?? 'invalid';
    refused[f.id] = problem === 'otherRegion' ? { ok: false, problem, vars: { country: value } } : { ok: false, problem };
  }
  return refused;
}

/** The first field still without a value, in form order. */
export function missingFields(values: ProfileValues): ProfileFieldId[] {
  return PROFILE_FIELD_IDS.filter((id) => values[id] === undefined);
}

/**
 * Values read from a submitted card (field id → what was typed or chosen): each field parsed on
 * its own, the country first so the phone number and postal code are read for it. Fields left
 * empty count as missing; the others are kept or get their problem.
 */
export function readCardValues(submitted: Record<string, unknown>, region: Region, known: ProfileValues): { values: ProfileValues; problems: Partial<Record<ProfileFieldId, FieldResult & { ok: false }>> } {
  const values: ProfileValues = { ...known };
  const problems: Partial<Record<ProfileFieldId, FieldResult & { ok: false }>> = {};
  for (const f of PROFILE_FIELDS) {
    const raw = submitted[f.id];
    if (typeof raw !== 'string') continue;
    if (!raw.trim()) {
      delete values[f.id];
      continue;
    }
    const result = raw.length > MAX_FIELD_TEXT ? ({ ok: false, problem: 'tooLong' } as const) : f.parse(raw, { region, country: values.country });
    if (result.ok) values[f.id] = result.value;
    else {
      delete values[f.id];
      problems[f.id] = result;
    }
  }
  return { values, problems };
}

/**
 * What people call each field when they want to change it ("endre telefon", "wrong postcode"),
 * besides its label: the choices of "what do you want to change?".
 */
export const PROFILE_FIELD_WORDS: Readonly<Record<ProfileFieldId, Readonly<Record<Language, readonly string[]>>>> = {
  firstName: { nb: ['fornavn', 'fornavnet', 'endre fornavn'], en: ['first name', 'forename', 'given name'] },
  lastName: { nb: ['etternavn', 'etternavnet', 'endre etternavn'], en: ['surname', 'last name', 'family name'] },
  company: { nb: ['firma', 'firmaet', 'firmanavn', 'firmanavnet', 'bedrift', 'bedriften', 'arbeidsgiver', 'jobb'], en: ['company', 'company name', 'employer', 'firm', 'job'] },
  country: { nb: ['land', 'landet'], en: ['country'] },
  postalCode: { nb: ['postnummer', 'postnummeret', 'postnr'], en: ['postcode', 'post code', 'postal code', 'zip', 'zip code'] },
  phone: { nb: ['telefon', 'telefonen', 'telefonnummer', 'telefonnummeret', 'mobil', 'mobilen', 'mobilnummer', 'mobilnummeret', 'nummer', 'nummeret', 'tlf'], en: ['phone', 'phone number', 'mobile', 'mobile number', 'number', 'telephone'] },
  language: { nb: ['språk', 'foretrukket språk', 'kursspråk'], en: ['language', 'preferred language'] },
};

const FIELD_CHOICES: readonly Choice[] = PROFILE_FIELD_IDS.map((id) => ({ value: id, utterances: PROFILE_FIELD_WORDS[id] }));

/** The field a request to change names ("endre telefon", "feil postnummer", "change my phone"), if it names one. */
export function profileFieldNamed(text: string, language: Language = 'nb'): ProfileFieldId | undefined {
  const choice = matchChoice(text, FIELD_CHOICES, language);
  return choice && choice.score >= 0.75 && isProfileFieldId(choice.value) ? choice.value : undefined;
}
