import { foldPlaceText, type Place, type PlaceIndex, placeIndex } from './data/places';
import type { Region } from './journey';

/** The longest message read as a place ("I'm in Manchester, UK", "jobber i Trondheim"); a longer one is not a place. */
export const MAX_PLACE_TEXT = 120;
/** Up to this many words, a word that is no place name is tried as a typo of one ("Tronheim"). */
const MAX_WORDS_FOR_TYPOS = 4;
/** Shorter words are never read as typos. */
const MIN_TYPO_LENGTH = 5;
/** Inside a sentence, a lowercase word this long may still be a typo of a place ("jobber i tronheim"). */
const MIN_LOWERCASE_TYPO_IN_SENTENCE = 7;
/** The most places offered to choose from. */
const MAX_CANDIDATES = 4;
/** Codes that are everyday words ("no", "ok", "in", "can"): never read as a country or state. */
const CODE_WORDS = new Set([
  'no', 'ok', 'in', 'me', 'or', 'hi', 'oh', 'de', 'la', 'al', 'id', 'is', 'it', 'at', 'be', 'by', 'do', 'go', 'am', 'an', 'as',
  'to', 'so', 'my', 'on', 'er', 'en', 'et', 'du', 'da', 'se', 'si', 'om', 'ma', 'pa', 'mo', 'og', 'jo', 'ja', 'can', 'and',
  'for', 'per', 'mer', 'men', 'der', 'her', 'har', 'som', 'the', 'are', 'not', 'now', 'you', 'bel', 'fin', 'nei', 'tja',
]);
/** Codes always meant as places, wherever they stand. */
const PLACE_CODES = new Set(['usa', 'uk']);
/** Country codes read as a capitalised later word too ("I live in the US"), like the states' codes. */
const CAPITALISED_COUNTRY_CODES = new Set(['us']);
/** Shorter everyday words that are also place names ("var", "lot"): inside a sentence, read only when capitalised. */
const MIN_LOWERCASE_NAME_IN_SENTENCE = 4;

/** A place as the answer names it. */
export interface PlaceRef {
  kind: Place['kind'];
  /** A city's or state's name; a country's ISO code (its name is the reader's language: countryName). */
  name: string;
  country: string;
  region?: Region;
}

export type PlaceAnswer =
  | { kind: 'region'; region: Region; place: PlaceRef }
  /** The name is a place in more than one region ("Birmingham", "London"): ask which. */
  | { kind: 'ambiguous'; candidates: PlaceRef[] }
  /** A place outside North America and Europe: no portal is known for it. */
  | { kind: 'outside'; place: PlaceRef }
  | { kind: 'unknown' };

interface Word {
  original: string;
  folded: string;
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const folded = foldPlaceText(match[0]);
    // a letter that folds to two words ("ß") stays one word
    if (folded) words.push({ original: match[0], folded: folded.replace(/ /g, '') });
  }
  // a message in capitals ("SEND NY KODE", caps lock on a phone) says nothing about which words
  // are names or codes: read it as lower case ("NY" is not New York there, "UT" not Utah)
  if (words.length > 1 && words.every((w) => !/\p{Ll}/u.test(w.original))) return words.map((w) => ({ ...w, original: w.original.toLowerCase() }));
  return words;
}

const isUpperCase = (word: string) => word === word.toUpperCase() && word !== word.toLowerCase();

/**
 * The places a code stands for where it is meant as one: "USA"/"UK" anywhere, any other code as
 * the whole message ("BC", "TX"), a state's code and "US" also as a capitalised later word ("Austin TX").
 */
function codedPlaces(words: readonly Word[], at: number, index: PlaceIndex): readonly Place[] {
  const word = words[at]!;
  const places = index.codes.get(word.folded) ?? [];
  if (PLACE_CODES.has(word.folded) || words.length === 1) return CODE_WORDS.has(word.folded) ? [] : places;
  return at > 0 && isUpperCase(word.original) && !CODE_WORDS.has(word.folded) ? places.filter((p) => p.kind === 'state' || CAPITALISED_COUNTRY_CODES.has(word.folded)) : [];
}

/**
 * The places a name in a sentence may mean when it is written in lower case: never a short word
 * ("var", "lot"), and only places in the two regions ("lenger" is a town in Kazakhstan, and a word).
 */
function lowercaseInSentence(places: readonly Place[], key: string, index: PlaceIndex): Place[] {
  return key.length < MIN_LOWERCASE_NAME_IN_SENTENCE ? [] : places.filter((p) => p.kind !== 'city' || index.regionOf(p.country) !== undefined);
}

/** The names in the text, longest first at each word ("New York" before "York"). */
function exactMentions(words: readonly Word[], index: PlaceIndex): Place[][] {
  const mentions: Place[][] = [];
  for (let at = 0; at < words.length; ) {
    let found = 0;
    for (let length = Math.min(index.maxWords, words.length - at); length >= 1 && !found; length--) {
      const key = words.slice(at, at + length).map((w) => w.folded).join(' ');
      let places: readonly Place[] = index.names.get(key) ?? [];
      if (length === 1 && words.length > 1 && !/^\p{Lu}/u.test(words[at]!.original)) places = lowercaseInSentence(places, key, index);
      if (length === 1 && places.length === 0) places = codedPlaces(words, at, index);
      if (places.length > 0) {
        mentions.push([...places]);
        found = length;
      }
    }
    at += found || 1;
  }
  return mentions;
}

/** Whether two words are at most one typo apart: a letter wrong, missing, extra, or two swapped. Linear. */
export function oneTypoApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === a.length && i === b.length) return true;
  const sameFrom = (x: string, xi: number, y: string, yi: number) => {
    if (x.length - xi !== y.length - yi) return false;
    for (; xi < x.length; xi++, yi++) if (x.charCodeAt(xi) !== y.charCodeAt(yi)) return false;
    return true;
  };
  if (a.length === b.length) {
    if (sameFrom(a, i + 1, b, i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && sameFrom(a, i + 2, b, i + 2);
  }
  return a.length > b.length ? sameFrom(a, i + 1, b, i) : sameFrom(a, i, b, i + 1);
}

/**
 * Names one typo away from a word or word pair of a short message ("Tronheim", "Manchster"):
 * only names that begin with the same letter, of places in one of the two regions, and inside a
 * sentence only for a capitalised or long word (so "tusen takk" and "hvilken portal" are no typos of places).
 */
function typoMentions(words: readonly Word[], index: PlaceIndex): Place[][] {
  if (words.length > MAX_WORDS_FOR_TYPOS) return [];
  const mentions: Place[][] = [];
  for (let at = 0; at < words.length; at++) {
    if (words.length > 1 && !/^\p{Lu}/u.test(words[at]!.original) && words[at]!.folded.length < MIN_LOWERCASE_TYPO_IN_SENTENCE) continue;
    for (const length of [1, 2]) {
      if (at + length > words.length) continue;
      const typed = words.slice(at, at + length).map((w) => w.folded).join(' ');
      if (typed.length < MIN_TYPO_LENGTH) continue;
      const near = [typed.length - 1, typed.length, typed.length + 1].flatMap((n) =>
        (index.namesByLength.get(n) ?? []).filter((name) => name[0] === typed[0] && oneTypoApart(typed, name)),
      );
      const places = near.flatMap((name) => index.names.get(name) ?? []).filter((p) => index.regionOf(p.country) !== undefined);
      if (places.length > 0) mentions.push(places);
    }
  }
  return mentions;
}

/** Smaller places of a name than this share of the biggest city of that name are left out ("London", Kentucky). */
const MINOR_SHARE = 0.01;
/** Inside a sentence, smaller cities are not read ("Nord" in "Nord-Amerika" is a hamlet in Greenland). */
const MIN_POPULATION_IN_SENTENCE = 1000;

/** A name's places without the cities a country or state of that name, or a much bigger city, overshadows. */
function prune(places: readonly Place[], inSentence: boolean): Place[] {
  if (places.some((p) => p.kind !== 'city')) return places.filter((p) => p.kind !== 'city');
  const biggest = Math.max(...places.map((p) => p.population));
  return places.filter((p) => p.population >= biggest * MINOR_SHARE && (!inSentence || p.population >= MIN_POPULATION_IN_SENTENCE));
}

/**
 * Narrows each mention to the countries the others name: to the countries all of them share
 * ("London, Ontario"), or else to the countries some name alone ("Manchester, UK").
 */
function narrow(mentions: readonly Place[][]): Place[][] {
  const countries = mentions.map((m) => new Set(m.map((p) => p.country)));
  const shared = [...countries[0]!].filter((c) => countries.every((set) => set.has(c)));
  const named = new Set(shared.length > 0 ? shared : countries.filter((set) => set.size === 1).map((set) => [...set][0]!));
  if (named.size === 0) return [...mentions];
  return mentions.map((m) => {
    const inNamed = m.filter((p) => named.has(p.country));
    return inNamed.length > 0 ? inNamed : m;
  });
}

function refOf(place: Place, index: PlaceIndex): PlaceRef {
  const region = index.regionOf(place.country);
  return { kind: place.kind, name: place.kind === 'country' ? place.country : place.name, country: place.country, ...(region ? { region } : {}) };
}

const byPopulation = (a: Place, b: Place) => b.population - a.population;

/** One candidate per name and country, the biggest first. */
function candidatesOf(places: readonly Place[], index: PlaceIndex): PlaceRef[] {
  const seen = new Set<string>();
  const refs: PlaceRef[] = [];
  for (const place of [...places].sort(byPopulation)) {
    const ref = refOf(place, index);
    const key = `${ref.name}|${ref.country}`;
    if (!seen.has(key)) refs.push(ref);
    seen.add(key);
  }
  return refs.slice(0, MAX_CANDIDATES);
}

/** The region a place in free text belongs to, with the data of `index`. */
export function resolvePlace(text: string, index: PlaceIndex): PlaceAnswer {
  if (text.length > MAX_PLACE_TEXT) return { kind: 'unknown' };
  const words = wordsOf(text);
  let mentions = exactMentions(words, index);
  if (mentions.length === 0) mentions = typoMentions(words, index);
  mentions = mentions.map((m) => prune(m, words.length > 1)).filter((m) => m.length > 0);
  if (mentions.length === 0) return { kind: 'unknown' };
  mentions = narrow(mentions);
  const places = mentions.flat();
  const regions = new Set(places.map((p) => index.regionOf(p.country) ?? 'outside'));
  const main = [...mentions[0]!].sort(byPopulation)[0]!;
  if (regions.size > 1) return { kind: 'ambiguous', candidates: candidatesOf(places, index) };
  const region = index.regionOf(main.country);
  return region ? { kind: 'region', region, place: refOf(main, index) } : { kind: 'outside', place: refOf(main, index) };
}

/** The region of a place named in a message ("Texas", "jobber i Trondheim", "I'm in Manchester, UK"). */
export function parsePlace(text: string): PlaceAnswer {
  return text.length > MAX_PLACE_TEXT ? { kind: 'unknown' } : resolvePlace(text, placeIndex());
}
