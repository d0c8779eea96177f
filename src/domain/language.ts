export const LANGUAGES = ['nb', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return value === 'nb' || value === 'en';
}

/**
 * The language a channel locale asks for: Norwegian in any form (nb, no, nn, with or without a
 * region) → bokmål; any English → en; anything else or nothing → undefined (ask the user).
 */
export function languageFromLocale(locale: string | undefined | null): Language | undefined {
  if (!locale || typeof locale !== 'string') return undefined;
  const primary = locale.trim().split(/[-_]/, 1)[0]!.toLowerCase();
  if (primary === 'nb' || primary === 'no' || primary === 'nn') return 'nb';
  if (primary === 'en') return 'en';
  return undefined;
}

/** The BCP-47 locale a channel (Web Chat, emails, pages) should use for a language. */
export function localeOf(language: Language): string {
  return language === 'nb' ? 'nb-NO' : 'en-US';
}

const MAX_LANGUAGE_RANGES = 32;

/** The first language of an Accept-Language header we speak, by preference. */
export function languageFromAcceptLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  // browsers send a handful of ranges; more than this is not a browser (and is not worth sorting)
  const ranked = header
    .split(',', MAX_LANGUAGE_RANGES)
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const weight = q === undefined ? 1 : Number(q.slice(2));
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const entry of ranked) {
    const language = languageFromLocale(entry.tag);
    if (language) return language;
  }
  return undefined;
}
