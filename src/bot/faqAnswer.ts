import { FAQ_UNKNOWN, type FaqId, faqLinks } from '../domain/faq';
import type { Region } from '../domain/journey';
import type { Language } from '../domain/language';
import type { Translator } from '../services/i18n/translator';
import { STATION_DIALOG } from './dialogs/stationDialog';

/**
 * Questions whose general answer is wrong at the step where they are asked: at the station step,
 * "how do I send the position?" wants the button and what to do without GPS, not "once your
 * installer account is ready, type «stasjon»". Keyed by the step's dialog id.
 */
const ANSWERS_AT_STEP: Readonly<Record<string, Partial<Record<FaqId, string>>>> = {
  [STATION_DIALOG]: { localization: 'chat:station.howToPosition' },
};

/**
 * The answer to a question from the guide (or FAQ_UNKNOWN's honest "I don't know"), with the
 * region's links; at a step with its own answer to the question (`step`: the open dialog's id), that one.
 */
export function faqAnswer(translator: Translator, id: FaqId | typeof FAQ_UNKNOWN, language: Language, region: Region, step?: string): string {
  const atStep = step && id !== FAQ_UNKNOWN ? ANSWERS_AT_STEP[step]?.[id] : undefined;
  return translator.t(language, atStep ?? `faq:${id}`, faqLinks(region, language));
}
