import fs from 'node:fs';
import path from 'node:path';
import { faqAnswer } from '../../src/bot/faqAnswer';
import { projectRoot } from '../../src/config';
import { FAQ_IDS, FAQ_UNKNOWN, type FaqId } from '../../src/domain/faq';
import { REGION_LINKS, REGIONS, STATION_SITE_URL } from '../../src/domain/journey';
import { LANGUAGES } from '../../src/domain/language';
import { LINK_CODE_TTL_MS } from '../../src/domain/oneTimeCode';
import { createTranslator, type Translator } from '../../src/services/i18n/translator';
import { localeText } from '../helpers/localeText';

/** Every URL of the regional link table (and the mobile site of the guide): no answer may name another. */
const TABLE_URLS = new Set([
  ...Object.values(REGION_LINKS).flatMap((links) => [links.faq, ...Object.values(links.support)]),
  STATION_SITE_URL,
]);
const urlsIn = (text: string) => text.match(/https?:\/\/\S+/g) ?? [];
const ANSWERS: ReadonlyArray<FaqId | typeof FAQ_UNKNOWN> = [...FAQ_IDS, FAQ_UNKNOWN];

describe('FAQ answers from the guide, as data in both languages', () => {
  let translator: Translator;
  beforeAll(async () => {
    translator = await createTranslator();
  });

  it('locales/nb/faq.json and locales/en/faq.json hold exactly one answer per id, and "unknown"', () => {
    for (const language of LANGUAGES) {
      const file = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'locales', language, 'faq.json'), 'utf8')) as Record<string, unknown>;
      expect(Object.keys(file).sort()).toEqual([...ANSWERS].sort());
    }
  });

  describe.each(LANGUAGES.flatMap((language) => REGIONS.map((region) => [language, region] as const)))('in %s for region %s', (language, region) => {
    const links = REGION_LINKS[region];
    const vars = {
      faqUrl: links.faq,
      supportUrl: links.support[language],
      stationSiteUrl: 'https://m.chargepoint.com/',
      // how long the chat's code works ("where's the code" is answered with it)
      codeMinutes: String(LINK_CODE_TTL_MS / 60000),
    };

    it.each(ANSWERS)('%s: the locale text with every variable filled, and only links from the table', (id) => {
      const answer = faqAnswer(translator, id, language, region);
      // one path: the chat registers people, no answer sends them to the portals' own sign-up pages
      expect(answer).not.toContain('sign_up');
      expect(answer).toBe(localeText(language, `faq:${id}`, vars));
      expect(answer).not.toMatch(/\{\{|\}\}/);
      for (const url of urlsIn(answer)) expect(TABLE_URLS).toContain(url);
    });

    it('the region\'s own support and FAQ links, never the other region\'s (only "which portal" names both portals)', () => {
      const other = REGION_LINKS[region === 'na' ? 'global' : 'na'];
      const foreign = [other.faq, ...Object.values(other.support), other.signUp].filter((url) => !Object.values(vars).includes(url));
      for (const id of ANSWERS) {
        const answer = faqAnswer(translator, id, language, region);
        for (const url of foreign) expect({ id, names: answer.includes(url) }).toEqual({ id, names: false });
      }
      expect(faqAnswer(translator, 'supportLinks', language, region)).toContain(links.support[language]);
      expect(faqAnswer(translator, 'supportLinks', language, region)).toContain(links.faq);
      expect(faqAnswer(translator, FAQ_UNKNOWN, language, region)).toContain(links.support[language]);
    });
  });

  it('every question has a "did you mean" label in both languages (the fuzz found "where is the fa" offered as the key guess.faq.codeArrival)', () => {
    for (const language of LANGUAGES) for (const id of FAQ_IDS) expect(() => localeText(language, `chat:guess.faq.${id}`)).not.toThrow();
  });

  it('the answers keep to the guide: the MAC format of the guide, no invented place for the label', () => {
    for (const language of LANGUAGES) {
      expect(localeText(language, 'faq:macAddress', { supportUrl: 'x' })).toContain('0024:B100:0002:9F81');
      for (const id of ['qrCode', 'macAddress']) expect(localeText(language, `faq:${id}`, { supportUrl: 'x' })).not.toMatch(/\b(bottom|side|back|front|door|underside|bunn|siden|baksiden|forsiden|luke)\b/i);
    }
  });

  it('natural bokmål: "trykk", "steg", "registrere plasseringen", never "klikk" or "lokalisere"', () => {
    const all = ANSWERS.map((id) => localeText('nb', `faq:${id}`, { signUpUrl: 'u', faqUrl: 'u', supportUrl: 'u', naSignUpUrl: 'u', globalSignUpUrl: 'u', stationSiteUrl: 'u', codeMinutes: '10' })).join('\n');
    expect(all).not.toMatch(/klikk|lokalis/i);
    expect(all).toMatch(/trykk/);
    expect(all).toMatch(/registrere plasseringen/);
    expect(all).toMatch(/Europa og Storbritannia/);
  });
});
