import type { Region } from '../journey';
import type { Language } from '../language';

/**
 * Place names as data, from well-kept packages (never a hand-typed list of places):
 * - countries: ISO 3166 codes and names in Norwegian and English, and each European country's own
 *   name in its language ("Deutschland", "Sverige"), from i18n-iso-countries;
 * - US states, Canadian provinces, the four countries of the UK and the Norwegian counties, from
 *   country-state-city's state list (its 8 MB city list is never loaded);
 * - cities, from city-timezones (7,300 cities with population, about 2 MB).
 * Which region a country belongs to is read from its time zones (a "Europe/…" zone → Europe).
 * Everything is loaded on first use and only the index is kept.
 */

export type PlaceKind = 'country' | 'state' | 'city';

export interface Place {
  kind: PlaceKind;
  /** The name as the data writes it ("Tromsø", "British Columbia"); a country's name comes from countryName. */
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  population: number;
}

export interface PlaceIndex {
  /** Folded name ("tromso", "united states") → the places of that name. */
  names: ReadonlyMap<string, readonly Place[]>;
  /** Folded codes ("tx", "bc", "usa", "nor") → their places: read only where a code is meant (see place.ts). */
  codes: ReadonlyMap<string, readonly Place[]>;
  /** Folded one-word-or-more names by length, for typo matching. */
  namesByLength: ReadonlyMap<number, readonly string[]>;
  /** The most words in one name ("bosnia and herzegovina"). */
  maxWords: number;
  regionOf(country: string): Region | undefined;
  countryName(country: string, language: Language): string;
}

/** Countries of North America the university's North American portal serves (the guide's "North America"). */
const NORTH_AMERICA = ['US', 'CA'];
/** Time zones outside "Europe/…" of places in Europe: Iceland, the Faroes, Svalbard, Cyprus. */
const EUROPEAN_ZONES = ['Atlantic/Reykjavik', 'Atlantic/Faroe', 'Arctic/Longyearbyen', 'Asia/Nicosia'];
/** Countries whose subdivisions are read as places; the UK's only as its four countries. */
const STATE_COUNTRIES = ['US', 'CA', 'NO'];
const UK_COUNTRIES = ['ENG', 'SCT', 'WLS', 'NIR'];
/** Official languages of European countries (i18n-iso-countries locales): each country's own name in it. */
const OWN_LANGUAGE: Record<string, readonly string[]> = {
  de: ['DE', 'AT', 'CH', 'LI', 'LU'],
  sv: ['SE', 'FI', 'AX'],
  da: ['DK', 'FO'],
  fi: ['FI'],
  is: ['IS'],
  fr: ['FR', 'BE', 'CH', 'LU', 'MC'],
  nl: ['NL', 'BE'],
  it: ['IT', 'CH', 'SM', 'VA'],
  es: ['ES'],
  pt: ['PT'],
  pl: ['PL'],
  cs: ['CZ'],
  sk: ['SK'],
  et: ['EE'],
  lv: ['LV'],
  lt: ['LT'],
  hr: ['HR'],
  sl: ['SI'],
  nn: ['NO'],
};

type CountryNames = Record<string, string | string[]>;
interface CityRow {
  city: string;
  city_ascii: string;
  pop: number;
  iso2: string;
}
interface StateRow {
  name: string;
  isoCode: string;
  countryCode: string;
}
interface CountryRow {
  isoCode: string;
  timezones?: Array<{ zoneName: string }> | null;
}

/**
 * A name or code as the index keeps it: lower case, accents dropped, ø → o, æ → ae, å → a,
 * anything but letters and digits a single space. Linear in the text.
 */
export function foldPlaceText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[øæœßđłıþð]/g, (ch) => FOLD[ch] ?? ch)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const FOLD: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', đ: 'd', ł: 'l', ı: 'i', þ: 'th', ð: 'd' };

/** Countries, then states, rank before any city of the same name ("Ontario", "Wales"). */
const COUNTRY_POPULATION = Number.MAX_SAFE_INTEGER;
const STATE_POPULATION = COUNTRY_POPULATION - 1;

/** Names of up to three characters ("US", "UK") are codes, not words to find in a sentence. */
const MAX_CODE_LENGTH = 3;

class IndexBuilder {
  readonly names = new Map<string, Place[]>();
  readonly codes = new Map<string, Place[]>();

  add(map: Map<string, Place[]>, key: string, place: Place): void {
    const folded = foldPlaceText(key);
    if (!folded) return;
    const list = map.get(folded) ?? [];
    if (!list.some((p) => p.kind === place.kind && p.country === place.country && p.name === place.name)) list.push(place);
    map.set(folded, list);
  }

  name(key: string, place: Place): void {
    this.add(foldPlaceText(key).length <= MAX_CODE_LENGTH && !key.includes('.') ? this.codes : this.names, key, place);
  }
}

function namesOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** The shortest everyday name of a country ("United States", not "United States of America" or "U.S."). */
function displayName(value: string | string[] | undefined, code: string): string {
  const all = namesOf(value);
  const words = (n: string) => n.split(' ').length;
  const names = all.filter((n) => n.length > MAX_CODE_LENGTH && !n.includes('.'));
  return names.reduce<string | undefined>((best, n) => (best === undefined || words(n) < words(best) ? n : best), undefined) ?? all[0] ?? code;
}

function countryNamesIn(language: string): CountryNames {
  return loadOnce<{ countries: CountryNames }>(`i18n-iso-countries/langs/${language}.json`).countries;
}

/** Loads a package's JSON, and lets it go again: only the index built from it is kept. */
function loadOnce<T>(request: string): T {
  const file = require.resolve(request);
  const data = require(file) as T;
  delete require.cache[file];
  return data;
}

export function buildPlaceIndex(): PlaceIndex {
  const builder = new IndexBuilder();
  const regions = new Map<string, Region>();
  for (const row of loadOnce<CountryRow[]>('country-state-city/lib/cjs/assets/country.json')) {
    const zones = (row.timezones ?? []).map((z) => z.zoneName);
    if (NORTH_AMERICA.includes(row.isoCode)) regions.set(row.isoCode, 'na');
    else if (zones.some((z) => z.startsWith('Europe/') || EUROPEAN_ZONES.includes(z))) regions.set(row.isoCode, 'global');
  }

  const display: Record<Language, Map<string, string>> = { nb: new Map(), en: new Map() };
  const countryPlace = (code: string): Place => ({ kind: 'country', name: code, country: code, population: COUNTRY_POPULATION });
  for (const language of ['nb', 'en'] as const) {
    for (const [code, value] of Object.entries(countryNamesIn(language))) {
      display[language].set(code, displayName(value, code));
      for (const name of namesOf(value)) builder.name(name, countryPlace(code));
    }
  }
  for (const [language, countries] of Object.entries(OWN_LANGUAGE)) {
    const names = countryNamesIn(language);
    for (const code of countries) for (const name of namesOf(names[code])) builder.name(name, countryPlace(code));
  }
  for (const [alpha2, alpha3] of loadOnce<string[][]>('i18n-iso-countries/codes.json')) {
    if (alpha2 && alpha3) {
      builder.add(builder.codes, alpha2, countryPlace(alpha2));
      builder.add(builder.codes, alpha3, countryPlace(alpha2));
    }
  }

  for (const row of loadOnce<StateRow[]>('country-state-city/lib/cjs/assets/state.json')) {
    const wanted = STATE_COUNTRIES.includes(row.countryCode) || (row.countryCode === 'GB' && UK_COUNTRIES.includes(row.isoCode));
    if (!wanted || row.isoCode.includes('-')) continue;
    const place: Place = { kind: 'state', name: row.name, country: row.countryCode, population: STATE_POPULATION };
    builder.name(row.name, place);
    if (NORTH_AMERICA.includes(row.countryCode)) builder.add(builder.codes, row.isoCode, place);
  }

  for (const row of loadOnce<CityRow[]>('city-timezones/data/cityMap.json')) {
    const place: Place = { kind: 'city', name: row.city, country: row.iso2, population: row.pop };
    builder.name(row.city, place);
    builder.name(row.city_ascii, place);
  }

  const namesByLength = new Map<number, string[]>();
  let maxWords = 1;
  for (const name of builder.names.keys()) {
    const sameLength = namesByLength.get(name.length) ?? [];
    sameLength.push(name);
    namesByLength.set(name.length, sameLength);
    maxWords = Math.max(maxWords, name.split(' ').length);
  }
  return {
    names: builder.names,
    codes: builder.codes,
    namesByLength,
    maxWords,
    regionOf: (country) => regions.get(country),
    countryName: (country, language) => display[language].get(country) ?? country,
  };
}

let index: PlaceIndex | undefined;

/** The place index, built on first use (about 150 ms) and kept (about 5 MB of heap). */
export function placeIndex(): PlaceIndex {
  index ??= buildPlaceIndex();
  return index;
}
