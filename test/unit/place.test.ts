import { placeIndex } from '../../src/domain/data/places';
import { MAX_PLACE_TEXT, oneTypoApart, parsePlace, type PlaceAnswer } from '../../src/domain/place';

const region = (answer: PlaceAnswer) => (answer.kind === 'region' ? answer.region : answer.kind);
const taken = (answer: PlaceAnswer) => (answer.kind === 'region' ? `${answer.place.name}/${answer.place.country}` : answer.kind);
const candidates = (answer: PlaceAnswer) => (answer.kind === 'ambiguous' ? answer.candidates.map((c) => `${c.name}/${c.country}`) : answer.kind);

describe('a place in free text → the journey region', () => {
  it.each([
    ['Texas', 'na', 'Texas/US'],
    ['texas', 'na', 'Texas/US'],
    ['United States', 'na', 'US/US'],
    ['USA', 'na', 'US/US'],
    ['I live in the US', 'na', 'US/US'],
    ['Canada', 'na', 'CA/CA'],
    ['Ontario', 'na', 'Ontario/CA'],
    ['BC', 'na', 'British Columbia/CA'],
    ['Austin TX', 'na', 'Austin/US'],
    ['Toronto', 'na', 'Toronto/CA'],
    ['Montreal', 'na', 'Montréal/CA'],
    ['London, Ontario', 'na', 'London/CA'],
    ['Birmingham, Alabama', 'na', 'Birmingham/US'],
    ['Birmingham, Storbritannia', 'global', 'Birmingham/GB'],
    ['London, United Kingdom', 'global', 'London/GB'],
    ['Bergen', 'global', 'Bergen/NO'],
    ['Oslo', 'global', 'Oslo/NO'],
    ['jobber i Trondheim', 'global', 'Trondheim/NO'],
    ['Stockholm', 'global', 'Stockholm/SE'],
    ['England', 'global', 'England/GB'],
    ['Wales', 'global', 'Wales/GB'],
    ['Norge', 'global', 'NO/NO'],
    ['jeg bor i Norge', 'global', 'NO/NO'],
    ['Noreg', 'global', 'NO/NO'],
    ['Storbritannia', 'global', 'GB/GB'],
    ['uk', 'global', 'GB/GB'],
    ["I'm in Manchester, UK", 'global', 'Manchester/GB'],
    ['Tyskland', 'global', 'DE/DE'],
    ['Deutschland', 'global', 'DE/DE'],
    ['Sverige', 'global', 'SE/SE'],
    ['Island', 'global', 'IS/IS'],
    ['København', 'global', 'København/DK'],
    ['Rogaland', 'global', 'Rogaland/NO'],
  ])('%s → %s (%s)', (text, expected, place) => {
    const answer = parsePlace(text);
    expect(region(answer)).toBe(expected);
    expect(taken(answer)).toBe(place);
  });

  it.each([
    ['Tronheim', 'Trondheim/NO'],
    ['Tromso', 'Tromsø/NO'],
    ['Tromsoe', 'Tromsø/NO'],
    ['Alesund', 'Ålesund/NO'],
    ['Aalesund', 'Ålesund/NO'],
    ['Barum', 'Bærum/NO'],
    ['Baerum', 'Bærum/NO'],
    ['Texsa', 'Texas/US'],
    ['Calfornia', 'California/US'],
    ['jobber i Tronheim', 'Trondheim/NO'],
    ['jobber i tronheim', 'Trondheim/NO'],
    ['Stavangr', 'Stavanger/NO'],
    ['Toronot', 'Toronto/CA'],
  ])('a typo or a missing æ/ø/å: %s → %s', (text, place) => {
    expect(taken(parsePlace(text))).toBe(place);
  });

  it.each([
    ['Birmingham', ['Birmingham/GB', 'Birmingham/US']],
    ['London', ['London/GB', 'London/CA']],
    ['Manchester', ['Manchester/GB', 'Manchester/US']],
    ['Manchestr', ['Manchester/GB', 'Manchester/US']],
    ['Georgia', ['GE/GE', 'Georgia/US']],
  ])('a name in more than one region is asked about: %s', (text, expected) => {
    expect(candidates(parsePlace(text))).toEqual(expected);
  });

  it('a place outside North America and Europe is said to be outside, with its country', () => {
    expect(parsePlace('Tokyo')).toEqual({ kind: 'outside', place: { kind: 'city', name: 'Tokyo', country: 'JP' } });
    expect(parsePlace('Australia')).toEqual({ kind: 'outside', place: { kind: 'country', name: 'AU', country: 'AU' } });
  });

  it.each([
    'ok', 'OK', 'no', 'NO', 'ja', 'yes please', 'hei', 'hjelp', 'what is this?', 'hvor finner jeg MAC-adressen', 'ja la oss kjøre',
    'var det bra', 'SEND NY KODE', 'FYLL UT ALLE OBLIGATORISKE FELT.', 'OK UT NÅ', 'can we do this in english', 'norsk igjen takk', 'tusen takk', 'endre e-post', 'hvilken portal', 'which portal is mine', 'Portal', 'jeg trenger ikke lenger', 'kan jeg snakke med et menneske', 'Nord-Amerika', '', '   ', '1', '42',
  ])('no place in %j', (text) => {
    expect(parsePlace(text)).toEqual({ kind: 'unknown' });
  });

  it('a message longer than a place is not read', () => {
    expect(parsePlace('Oslo ' + 'x'.repeat(MAX_PLACE_TEXT))).toEqual({ kind: 'unknown' });
  });

  it('country names come in both languages', () => {
    const index = placeIndex();
    expect([index.countryName('GB', 'nb'), index.countryName('GB', 'en')]).toEqual(['Storbritannia', 'United Kingdom']);
    expect([index.countryName('US', 'nb'), index.countryName('US', 'en')]).toEqual(['USA', 'United States']);
    expect([index.countryName('NO', 'nb'), index.countryName('NO', 'en')]).toEqual(['Norge', 'Norway']);
  });

  it('one typo apart: a letter wrong, missing, extra or two swapped, never more', () => {
    expect(['trondheim', 'tronheim', 'trondhiem', 'trondheimm', 'trandheim'].map((w) => oneTypoApart('trondheim', w))).toEqual([true, true, true, true, true]);
    expect(['tronhiem', 'trndhem', 'bergen', 'trondheimxx'].map((w) => oneTypoApart('trondheim', w))).toEqual([false, false, false, false]);
  });

  it('a place is found in well under a millisecond once the data is loaded', () => {
    parsePlace('Oslo');
    const started = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) parsePlace(i % 2 ? 'jobber i Tronheim' : "I'm in Manchester, UK");
    const perCall = Number(process.hrtime.bigint() - started) / 1e6 / 200;
    expect(perCall).toBeLessThan(5);
  });
});
