import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource } from 'i18next';
import { projectRoot } from '../../config';
import { LANGUAGES, type Language } from '../../domain/language';

export type TranslationVars = Record<string, string | number | undefined>;

/** Every user-visible string comes through here, from locales/<lang>/<namespace>.json. */
export interface Translator {
  t(language: Language, key: string, vars?: TranslationVars): string;
  has(language: Language, key: string): boolean;
  /** Every language's rendering of a key (for input that must be recognised in both). */
  all(key: string): string[];
}

/** More distinct keys than the locales hold would mean keys built from input: stop caching then. */
const PLAIN_CACHE_LIMIT = 10_000;

export function localesDir(): string {
  return path.join(projectRoot(), 'locales');
}

/** Reads locales/<lang>/*.json; each file is one i18next namespace named after the file. */
export function readLocaleResources(dir = localesDir()): Resource {
  const resources: Resource = {};
  for (const language of LANGUAGES) {
    resources[language] = {};
    for (const file of fs.readdirSync(path.join(dir, language)).filter((f) => f.endsWith('.json'))) {
      resources[language][file.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(dir, language, file), 'utf8'));
    }
  }
  return resources;
}

export async function createTranslator(dir = localesDir()): Promise<Translator> {
  const resources = readLocaleResources(dir);
  const instance: i18n = i18next.createInstance();
  await instance.init({
    resources,
    lng: 'nb',
    fallbackLng: false,
    ns: Object.keys(resources.nb ?? {}),
    defaultNS: 'chat',
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  // The resources never change after init, so a text without variables is looked up once per
  // language and key (the keys are the code's own, so the cache stays as small as the locales).
  const plain = new Map<string, string>();
  const translate = (language: Language, key: string): string => {
    const cacheKey = `${language}\u0000${key}`;
    let text = plain.get(cacheKey);
    if (text === undefined) {
      text = instance.t(key, { lng: language });
      if (plain.size < PLAIN_CACHE_LIMIT) plain.set(cacheKey, text);
    }
    return text;
  };
  return {
    t: (language, key, vars) => (vars === undefined ? translate(language, key) : instance.t(key, { lng: language, ...vars })),
    has: (language, key) => instance.exists(key, { lng: language }),
    all: (key) => LANGUAGES.map((language) => translate(language, key)),
  };
}
