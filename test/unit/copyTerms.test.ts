import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../src/domain/language';

/**
 * The words of the copy, as native readers asked for them (issue #7). Norwegian: one voice
 * ("jeg", the assistant; never an organisational "vi"), one term per thing ("trykk", "steg",
 * «Bekreft kontoen», "har gått ut"), "registrere plasseringen" for recording where a station
 * stands. English: British spelling, no jargon ("record the station's location"). Neither
 * language calls the region "EU" (Norway is not in the EU: "Europa og Storbritannia").
 */
type Json = string | { [key: string]: Json };

function values(language: Language): Array<[key: string, text: string]> {
  const dir = path.join(__dirname, '..', '..', 'locales', language);
  const out: Array<[string, string]> = [];
  const walk = (value: Json, key: string) => {
    if (typeof value === 'string') out.push([key, value]);
    else for (const [k, v] of Object.entries(value)) walk(v, key.endsWith(':') ? key + k : `${key}.${k}`);
  };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    walk(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Json, file.replace(/\.json$/, ':'));
  }
  return out;
}

/** The keys whose text matches, with the match (empty when none does). */
const offenders = (language: Language, pattern: RegExp) =>
  values(language).flatMap(([key, text]) => [...text.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g'))].map((m) => `${key}: ${m[0]}`));

describe('Norwegian copy (locales/nb)', () => {
  it.each<[string, RegExp]>([
    ['"trykk", not "klikk"', /\bklikk\w*/giu],
    ['"steg", not "trinn"', /\btrinn\w*/giu],
    ['"registrere plasseringen", not "lokalisere"', /\blokalis\w*/giu],
    ['"har gått ut", not "utløpt"', /\butløp\w*/giu],
    ['one voice: the assistant says "jeg", never an organisational "vi"/"oss"/"vår"', /(?<![\p{L}])(vi|oss|vår|våre|vårt)(?![\p{L}])/giu],
    ['no promise of a step that does not exist', /får snart|snart mulighet|ett for ett/giu],
  ])('%s', (_rule, pattern) => {
    expect(offenders('nb', pattern)).toEqual([]);
  });

  it('names the confirm button «Bekreft kontoen» wherever it is quoted', () => {
    expect(offenders('nb', /«Bekreft(?! kontoen»)[^»]*»/gu)).toEqual([]);
    expect(values('nb').find(([key]) => key === 'email:confirmation.action')?.[1]).toBe('Bekreft kontoen');
  });
});

describe('English copy (locales/en)', () => {
  it.each<[string, RegExp]>([
    ['no jargon: "record the station\'s location", not "localize"', /\blocali[sz]\w*/giu],
    ['British spelling (-ise, -our, -re, licence)', /\b(organi|recogni|authori|finali|customi|priori|summari|categori|initiali|personali|minimi|maximi|optimi|utili|reali|apologi)z\w*|\b(color|favor|behavior|center|license|canceled|enroll)\w*/giu],
    ['no promise of a step that does not exist', /\bsoon be able|\bone at a time\b/giu],
  ])('%s', (_rule, pattern) => {
    expect(offenders('en', pattern)).toEqual([]);
  });

  it('names the confirm button "Confirm account" wherever it is quoted', () => {
    expect(offenders('en', /["“]Confirm(?! account["”])[^"”]*["”]/gu)).toEqual([]);
    expect(values('en').find(([key]) => key === 'email:confirmation.action')?.[1]).toBe('Confirm account');
  });
});

describe.each<Language>(['nb', 'en'])('the region in %s', (language) => {
  it('is never called "EU" (Norway is not in the EU): Europe and the UK', () => {
    expect(offenders(language, /\bEU\b/gu)).toEqual([]);
    const europe = values(language).find(([key]) => key === 'registration:region.global')?.[1];
    expect(europe).toBe(language === 'nb' ? 'Europa og Storbritannia' : 'Europe and the UK');
  });
});
