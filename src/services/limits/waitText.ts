import { type Language, LANGUAGES } from '../../domain/language';
import type { Translator } from '../i18n/translator';

/** "try again in …": seconds under two minutes, whole minutes (rounded up) above. */
export function waitText(translator: Translator, language: Language, retryAfterSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return seconds < 120
    ? translator.t(language, 'limits:wait.seconds', { count: seconds })
    : translator.t(language, 'limits:wait.minutes', { count: Math.ceil(seconds / 60) });
}

/** A `limits:` sentence with its wait filled in. */
export function limitText(translator: Translator, language: Language, key: string, retryAfterSeconds: number): string {
  return translator.t(language, key, { wait: waitText(translator, language, retryAfterSeconds) });
}

/** The same in the chat's language, or, before it is known, in every language (one paragraph each). */
export function limitTextFor(translator: Translator, language: Language | undefined, key: string, retryAfterSeconds: number): string {
  return (language ? [language] : LANGUAGES).map((l) => limitText(translator, l, key, retryAfterSeconds)).join('\n\n');
}
