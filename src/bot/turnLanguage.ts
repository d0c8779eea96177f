import { type Activity, ActivityTypes, type TurnContext } from 'botbuilder';
import type { Language } from '../domain/language';
import type { TranslationVars, Translator } from '../services/i18n/translator';

const TURN_LANGUAGE = Symbol('turnLanguage');

export function setTurnLanguage(context: TurnContext, language: Language | undefined): void {
  context.turnState.set(TURN_LANGUAGE, language);
}

/** The language of this turn; undefined until the user or the channel has told us. */
export function turnLanguage(context: TurnContext): Language | undefined {
  return context.turnState.get(TURN_LANGUAGE) as Language | undefined;
}

/** Renders and sends localized text in the turn's language. */
export class Phrases {
  constructor(readonly translator: Translator) {}

  /** The text in the turn language; before a language is known, Norwegian and English together. */
  text(context: TurnContext, key: string, vars?: TranslationVars): string {
    const language = turnLanguage(context);
    if (language) return this.translator.t(language, key, vars);
    const [nb, en] = [this.translator.t('nb', key, vars), this.translator.t('en', key, vars)];
    return nb === en ? nb : `${nb}\n\n${en}`;
  }

  in(language: Language, key: string, vars?: TranslationVars): string {
    return this.translator.t(language, key, vars);
  }

  async send(context: TurnContext, key: string, vars?: TranslationVars): Promise<void> {
    await context.sendActivity(this.message(context, this.text(context, key, vars)));
  }

  message(context: TurnContext, text: string): Partial<Activity> {
    const language = turnLanguage(context);
    return { type: ActivityTypes.Message, text, locale: language === 'en' ? 'en-US' : language === 'nb' ? 'nb-NO' : undefined };
  }
}
