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
  if (!locale) return undefined;
  const primary = locale.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'nb' || primary === 'no' || primary === 'nn') return 'nb';
  if (primary === 'en') return 'en';
  return undefined;
}

/** The BCP-47 locale a channel (Web Chat, emails, pages) should use for a language. */
export function localeOf(language: Language): string {
  return language === 'nb' ? 'nb-NO' : 'en-US';
}
