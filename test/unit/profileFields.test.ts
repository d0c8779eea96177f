import type { Region } from '../../src/domain/journey';
import { completeProfile, parseField, type ProfileFieldId, type ProfileValues, readCardValues } from '../../src/domain/profileFields';

type Row = [field: ProfileFieldId, input: string, expected: string | { problem: string }, context?: { region?: Region; country?: string }];

/** What people type at each question (nb and en), and what is stored or why it is refused. */
const TABLE: Row[] = [
  // first and last name
  ['firstName', 'Kari', 'Kari'],
  ['firstName', '  kari  ', 'Kari'],
  ['firstName', 'jeg heter Kari', 'Kari'],
  ['firstName', 'my name is Sam', 'Sam'],
  ['firstName', 'Anne-Lise', 'Anne-Lise'],
  ['firstName', 'Ståle', 'Ståle'],
  ['firstName', 'Bjørn.', 'Bjørn'],
  ['firstName', 'ANNE MARIE', 'Anne Marie'],
  ['firstName', "o'neil", "O'Neil"],
  ['firstName', '12345', { problem: 'digits' }],
  ['firstName', 'kari@elektro.no', { problem: 'email' }],
  ['firstName', 'www.elektro.no', { problem: 'url' }],
  ['firstName', 'https://example.com/kari', { problem: 'url' }],
  ['firstName', 'Kari2', { problem: 'hasDigits' }],
  ['firstName', 'Kari Nordmann, Elektro AS, 912 34 567', { problem: 'hasDigits' }],
  ['firstName', 'x'.repeat(51), { problem: 'tooLong' }],
  ['firstName', '   ', { problem: 'empty' }],
  ['lastName', 'Nordmann', 'Nordmann'],
  ['lastName', 'etternavnet mitt er Hansen', 'Hansen'],
  ['lastName', 'my surname is Smith', 'Smith'],
  ['lastName', 'van der Berg', 'van der Berg'],
  ['lastName', 'McDonald', 'McDonald'],
  ['lastName', ':-)', { problem: 'characters' }],
  // company
  ['company', 'Elektro AS', 'Elektro AS'],
  ['company', 'jeg jobber i Elektro AS', 'Elektro AS'],
  ['company', 'jobber hos Hansen Elektro', 'Hansen Elektro'],
  ['company', 'firmaet heter Lys & Varme AS', 'Lys & Varme AS'],
  ['company', 'I work for Sparks Ltd', 'Sparks Ltd'],
  ['company', 'my company is called Sparks Ltd.', 'Sparks Ltd'],
  ['company', '3T Elektro AS', '3T Elektro AS'],
  ['company', '987654321', { problem: 'digits' }],
  ['company', 'post@elektro.no', { problem: 'email' }],
  ['company', 'y'.repeat(101), { problem: 'tooLong' }],
  // the self-employed are asked for their business's name (a company that only sounds like it stays)
  ['company', 'jobber for meg selv', { problem: 'selfEmployed' }],
  ['company', 'jeg er selvstendig næringsdrivende', { problem: 'selfEmployed' }],
  ['company', 'enkeltpersonforetak', { problem: 'selfEmployed' }],
  ['company', 'har ikke firma', { problem: 'selfEmployed' }],
  ["company", "I'm self employed", { problem: 'selfEmployed' }],
  ['company', 'I work for myself', { problem: 'selfEmployed' }],
  ['company', 'sole trader', { problem: 'selfEmployed' }],
  ['company', 'Selvstendig Elektro AS', 'Selvstendig Elektro AS'],
  ['company', 'Hansen Elektro ENK', 'Hansen Elektro ENK'],
  // phone: stored as E.164, read for the profile's country, else the region's usual one
  ['phone', '912 34 567', '+4791234567', { country: 'NO' }],
  ['phone', '912 34 567', '+4791234567'],
  ['phone', '+47 91234567', '+4791234567', { country: 'SE' }],
  ['phone', '0047 912 34 567', '+4791234567'],
  ['phone', 'mobilen min er 91234567', '+4791234567'],
  ['phone', 'tlf: 22 33 44 55', '+4722334455'],
  ['phone', '(512) 555-0147 ext 2', '+15125550147', { region: 'na', country: 'US' }],
  ['phone', '512-555-0147', '+15125550147', { region: 'na' }],
  ['phone', '(416) 555-0199', '+14165550199', { region: 'na', country: 'CA' }],
  ['phone', '070-123 45 67', '+46701234567', { country: 'SE' }],
  ['phone', '07911 123456', '+447911123456', { country: 'GB' }],
  // a British mobile typed with a Norwegian profile is not read as the Norwegian short number 07912 (found playing it through)
  ['phone', '07912 345678', { problem: 'invalid' }, { country: 'NO' }],
  ['phone', '+44 7912 345678', '+447912345678', { country: 'NO' }],
  ['phone', '12345', { problem: 'tooShort' }],
  ['phone', '912 34 56', { problem: 'invalid' }, { country: 'NO' }],
  ['phone', 'har ikke', { problem: 'noDigits' }],
  // country: the region's only; names in nb and en, codes, missing æ/ø/å and typos
  ['country', 'Norge', 'NO'],
  ['country', 'norge', 'NO'],
  ['country', 'Noreg', 'NO'],
  ['country', 'Norway', 'NO'],
  ['country', 'NO', 'NO'],
  ['country', 'nor', 'NO'],
  ['country', 'sverige', 'SE'],
  ['country', 'Sverge', 'SE'],
  ['country', 'tyskland', 'DE'],
  ['country', 'Germany', 'DE'],
  ['country', 'UK', 'GB'],
  ['country', 'united kingdom', 'GB'],
  ['country', 'Storbritannia', 'GB'],
  ['country', 'england', 'GB'],
  ['country', 'danmark', 'DK'],
  ['country', 'Dnmark', 'DK'],
  ['country', 'Finland', 'FI'],
  ['country', 'Nederland', 'NL'],
  ['country', 'holland', 'NL'],
  ['country', 'Frankrike', 'FR'],
  ['country', 'jeg bor i Norge', 'NO'],
  ['country', "I'm in the UK", 'GB'],
  ['country', 'Island', 'IS'],
  ['country', 'Trondheim', 'NO'],
  // a city of that name in both regions: the region's (found playing it through: "london" was "not recognised")
  ['country', 'london', 'GB'],
  ['country', 'Birmingham', 'GB'],
  ['country', 'London', 'CA', { region: 'na' }],
  ['country', 'birmingham', 'US', { region: 'na' }],
  ['country', 'USA', { problem: 'otherRegion' }],
  ['country', 'Canada', { problem: 'otherRegion' }],
  ['country', 'USA', 'US', { region: 'na' }],
  ['country', 'united states', 'US', { region: 'na' }],
  ['country', 'Canada', 'CA', { region: 'na' }],
  ['country', 'Norge', { problem: 'otherRegion' }, { region: 'na' }],
  ['country', 'Brasil', { problem: 'otherRegion' }],
  ['country', 'blablabla', { problem: 'unknown' }],
  ['country', 'Bouvetøya', { problem: 'otherRegion' }],
  // postal code, for the country given
  ['postalCode', '0150', '0150', { country: 'NO' }],
  ['postalCode', 'Oslo 0150', '0150', { country: 'NO' }],
  ['postalCode', '0150 OSLO', '0150', { country: 'NO' }],
  ['postalCode', 'postnummer er 5003', '5003', { country: 'NO' }],
  ['postalCode', 'NO-7010', '7010', { country: 'NO' }],
  ['postalCode', '150', { problem: 'invalid' }, { country: 'NO' }],
  ['postalCode', 'Oslo', { problem: 'noDigits' }, { country: 'NO' }],
  ['postalCode', '912 34 567', { problem: 'looksLikePhone' }, { country: 'NO' }],
  ['postalCode', '114 55 Stockholm', '114 55', { country: 'SE' }],
  ['postalCode', '114 55', '114 55', { country: 'SE' }],
  ['postalCode', '2100', '2100', { country: 'DK' }],
  ['postalCode', '00100', '00100', { country: 'FI' }],
  ['postalCode', 'sw1a1aa', 'SW1A 1AA', { country: 'GB' }],
  ['postalCode', 'SW1A 1AA', 'SW1A 1AA', { country: 'GB' }],
  ['postalCode', '10115 Berlin', '10115', { country: 'DE' }],
  ['postalCode', '1234ab', '1234 AB', { country: 'NL' }],
  ['postalCode', '75008', '75008', { country: 'FR' }],
  ['postalCode', 'zip code is 78701', '78701', { region: 'na', country: 'US' }],
  ['postalCode', '78701-1234', '78701-1234', { region: 'na', country: 'US' }],
  ['postalCode', 'k1a 0b1', 'K1A 0B1', { region: 'na', country: 'CA' }],
  ['postalCode', '0150', { problem: 'invalid' }, { country: 'GB' }],
  // preferred language
  ['language', 'norsk', 'nb'],
  ['language', 'Bokmål', 'nb'],
  ['language', 'bokmal', 'nb'],
  ['language', 'nynorsk', 'nb'],
  ['language', 'english', 'en'],
  ['language', 'Engelsk', 'en'],
  ['language', 'englsh', 'en'],
  ['language', 'en', 'en'],
  ['language', 'svensk', { problem: 'unknown' }],
];

describe('profile fields: what is typed, what is stored', () => {
  it('has a good number of cases over every field', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
  });

  it.each(TABLE)('%s %j → %j', (field, input, expected, context = {}) => {
    const values: ProfileValues = context.country ? { country: context.country } : {};
    const result = parseField(field, input, context.region ?? 'global', values);
    if (typeof expected === 'string') expect(result).toEqual({ ok: true, value: expected });
    else expect(result).toMatchObject({ ok: false, problem: expected.problem });
  });
});

describe('a submitted card', () => {
  it('keeps the good fields and says which are wrong; the phone and postal code are read for the country on the card', () => {
    const { values, problems } = readCardValues(
      { firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'SE', postalCode: '114 55', phone: '070-123 45 67', language: 'nb' },
      'global',
      {},
    );
    expect(values).toEqual({ firstName: 'Kari', lastName: 'Nordmann', company: 'Elektro AS', country: 'SE', postalCode: '114 55', phone: '+46701234567', language: 'nb' });
    expect(problems).toEqual({});
    expect(completeProfile(values, 'global')).toEqual(values);
    const wrong = readCardValues({ firstName: 'Kari', lastName: '12345', company: 'Elektro AS', country: 'NO', postalCode: '99', phone: '912 34 567', language: 'en' }, 'global', {});
    expect(Object.keys(wrong.problems).sort()).toEqual(['lastName', 'postalCode']);
    expect(wrong.values).toEqual({ firstName: 'Kari', company: 'Elektro AS', country: 'NO', phone: '+4791234567', language: 'en' });
    expect(completeProfile(wrong.values, 'global')).toBeUndefined();
  });
});
