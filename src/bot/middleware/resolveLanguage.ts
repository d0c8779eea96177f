import type { Middleware, TurnContext } from 'botbuilder';
import { languageFromLocale } from '../../domain/language';
import type { BotStates } from '../state';
import { setTurnLanguage } from '../turnLanguage';

/**
 * Decides the turn's language: the user's explicit choice wins and is remembered; otherwise
 * the channel's locale (nb/no/nn → bokmål, en-* → English) and it is remembered as a guess;
 * otherwise the last guess; otherwise unknown (the root dialog asks).
 */
export class ResolveLanguageMiddleware implements Middleware {
  constructor(private readonly states: BotStates) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    // both states are read in every turn: at once here (two store reads in parallel), the turn then finds them loaded
    await Promise.all([this.states.userState.load(context), this.states.conversationState.load(context)]);
    const profile = await this.states.userProfile.get(context, {});
    const fromLocale = languageFromLocale(context.activity.locale);
    if (!profile.languageExplicit && fromLocale && profile.language !== fromLocale) {
      profile.language = fromLocale;
      await this.states.userProfile.set(context, profile);
    }
    setTurnLanguage(context, profile.language);
    await next();
  }
}
