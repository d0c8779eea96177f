import { isSupportedCountry } from 'libphonenumber-js/max';
import type { Region } from './journey';
import type { Language } from './language';
import { parsePlace } from './place';
import { placeIndex } from './data/places';
import { editDistance, foldText } from './understandingDecision';

/**
 * The countries an installer of a region may give as their own, read from a name in Norwegian
 * (bokmål or nynorsk) or English, an ISO code, a few everyday names ("UK", "England"), with
 * æ/ø/å left out and a typo or two. The names come from i18n-iso-countries (never a hand list),
 * which countries belong to a region from the place index (North America: US, Canada; global:
 * Europe with the UK and Norway).
 */

type CountryNames = Record<string, string | string[]>;

/** Everyday names i18n-iso-countries does not list, folded. */
const EXTRA_NAMES: Record<string, readonly string[]> = {
  GB: ['england', 'scotland', 'skottland', 'wales', 'nord irland', 'northern ireland', 'britain', 'storbritania'],
  NL: ['holland'],
  US: ['america', 'amerika', 'the us', 'the usa', 'united states'],
  CZ: ['czech republic', 'tsjekkia'],
};

/** Words in front of a country ("jeg bor i Norge", "I'm in the UK"), folded. */
const LEAD_INS = /^(?:jeg (?:bor|jobber|er|holder til) i|vi (?:er|jobber|holder til) i|bor i|jobber i|i (?:live|work|am) in|i m in|im in|live in|work in|based in|landet (?:mitt )?er|country is|my country is|it s|its|det er|in|i)\s+/;

interface CountryIndex {
  /** Folded name or code → ISO alpha-2. */
  byName: Map<string, string>;
  names: Record<Language, Map<string, string>>;
}

let index: CountryIndex | undefined;

function namesOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function load(language: string): CountryNames {
  return (require(`i18n-iso-countries/langs/${language}.json`) as { countries: CountryNames }).countries;
}

function countryIndex(): CountryIndex {
  if (index) return index;
  const byName = new Map<string, string>();
  const names: CountryIndex['names'] = { nb: new Map(), en: new Map() };
  for (const language of ['nb', 'nn', 'no', 'en']) {
    for (const [code, value] of Object.entries(load(language))) {
      for (const name of namesOf(value)) if (!byName.has(foldText(name))) byName.set(foldText(name), code);
    }
  }
  for (const language of ['nb', 'en'] as const) {
    for (const [code, value] of Object.entries(load(language))) {
      // the shortest everyday name ("United Kingdom", "United States")
      const all = namesOf(value).filter((n) => n.length > 3 && !n.includes('.') && !n.includes('('));
      names[language].set(code, all.sort((a, b) => a.split(' ').length - b.split(' ').length)[0] ?? namesOf(value)[0] ?? code);
    }
  }
  for (const [code, extra] of Object.entries(EXTRA_NAMES)) for (const name of extra) byName.set(name, code);
  for (const [alpha2, alpha3] of require('i18n-iso-countries/codes.json') as string[][]) {
    if (alpha2 && alpha3) {
      byName.set(alpha2.toLowerCase(), alpha2);
      byName.set(alpha3.toLowerCase(), alpha2);
    }
  }
  byName.set('uk', 'GB');
  index = { byName, names };
  return index;
}

/** The country's name in a language ("Norge", "United Kingdom"). */
export function countryName(code: string, language: Language): string {
  return countryIndex().names[language].get(code) ?? code;
}

/** The ISO codes of the countries a region's installers may give, sorted by name in the language. */
export function regionCountries(region: Region, language: Language): string[] {
  const { regionOf } = placeIndex();
  const codes = [...countryIndex().names.en.keys()].filter((code) => regionOf(code) === region && isSupportedCountry(code));
  return codes.sort((a, b) => countryName(a, language).localeCompare(countryName(b, language), language));
}

/** A country of the region where people live (it has telephone numbers: not Bouvet Island). */
export function isRegionCountry(code: string, region: Region): boolean {
  return placeIndex().regionOf(code) === region && isSupportedCountry(code);
}

export type CountryReading = { ok: true; country: string } | { ok: false; problem: 'unknown' } | { ok: false; problem: 'otherRegion'; country: string };

/** The country a message names: its name (with typos), its code, or a place in it ("Trondheim"). */
export function readCountry(text: string, region: Region): CountryReading {
  const { byName } = countryIndex();
  const folded = foldText(text).replace(LEAD_INS, '').replace(/^the /, '');
  if (!folded || folded.length > 60) return { ok: false, problem: 'unknown' };
  const found = (code: string): CountryReading => (isRegionCountry(code, region) ? { ok: true, country: code } : { ok: false, problem: 'otherRegion', country: code });
  const exact = byName.get(folded);
  if (exact) return found(exact);
  // a typo or two in a name of the region's countries ("sverge", "tysklnd", "danmrak")
  if (folded.length >= 4) {
    let best: { code: string; typos: number } | undefined;
    for (const [name, code] of byName) {
      if (name.length < 4 || !isRegionCountry(code, region)) continue;
      const allowed = name.length >= 8 ? 2 : 1;
      const typos = editDistance(folded, name, allowed);
      if (typos <= allowed && (!best || typos < best.typos)) best = { code, typos };
    }
    if (best) return { ok: true, country: best.code };
  }
  // a country named among other words ("Norge, Oslo"), or a place in one ("Trondheim")
  for (const word of folded.split(' ')) {
    const code = word.length > 3 ? byName.get(word) : undefined;
    if (code) return found(code);
  }
  const place = parsePlace(text);
  if (place.kind === 'region') return found(place.place.country);
  // a name in more than one region ("London", "Birmingham"): the region is known here, so its country
  if (place.kind === 'ambiguous') {
    const inRegion = new Set(place.candidates.filter((candidate) => isRegionCountry(candidate.country, region)).map((candidate) => candidate.country));
    if (inRegion.size === 1) return found([...inRegion][0]!);
  }
  if (place.kind === 'outside') return { ok: false, problem: 'otherRegion', country: place.place.country };
  return { ok: false, problem: 'unknown' };
}
