import { FAQ_UNKNOWN, type FaqId, faqLinks } from '../domain/faq';
import type { Region } from '../domain/journey';
import type { Language } from '../domain/language';
import type { Translator } from '../services/i18n/translator';

/** The answer to a question from the guide (or FAQ_UNKNOWN's honest "I don't know"), with the region's links. */
export function faqAnswer(translator: Translator, id: FaqId | typeof FAQ_UNKNOWN, language: Language, region: Region): string {
  return translator.t(language, `faq:${id}`, faqLinks(region, language));
}
