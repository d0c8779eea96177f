import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogTurnResult } from './dialogKit';
import type { Region } from '../../domain/journey';
import type { Language } from '../../domain/language';
import { parsePlace, type PlaceAnswer, type PlaceRef } from '../../domain/place';
import { placeIndex } from '../../domain/data/places';
import type { TranslationVars } from '../../services/i18n/translator';
import { type Phrases, turnLanguage } from '../turnLanguage';
import type { Understanding } from '../../domain/understanding';
import { turnUnderstanding } from '../turnUnderstanding';
import { ChoiceQuestion, type ChoiceQuestionOptions, type Parsed } from './questionDialog';
import { REGION_CHOICES } from './registrationDialog';

/** Builds the place index now, if it isn't built yet. */
function warmPlaceIndex(): void {
  try {
    placeIndex();
  } catch {
    // built again (and its error met in a turn, which answers it) when a place is read
  }
}

/**
 * The region question: a choice, or a place ("Texas", "jobber i Trondheim", "I'm in Manchester,
 * UK"). A place in one region answers it, and the chat says which region it took; a name found in
 * more than one region ("London") is asked about; a place outside both gets an honest answer.
 */
export class RegionQuestion extends ChoiceQuestion<Region> {
  constructor(id: string, phrases: Phrases) {
    super(id, phrases, 'registration:region.question', REGION_CHOICES, 'chat:question.pickOne', ['region']);
  }

  protected override async ask(context: TurnContext, options: ChoiceQuestionOptions | undefined): Promise<void> {
    await super.ask(context, options);
    // the place data loads once (about 150 ms) while the person reads the question, not in the turn that answers it
    setImmediate(warmPlaceIndex);
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const place = this.placeAnswer(dc.context, turnUnderstanding(dc.context));
    // say which region the place stands for before the question ends (and the next one is asked)
    if (place?.kind === 'region') await dc.context.sendActivity(this.phrases.message(dc.context, this.placeText(dc.context, place.place, place.region)));
    return super.continueDialog(dc);
  }

  protected override parse(context: TurnContext, options: ChoiceQuestionOptions, understanding: Understanding | undefined): Parsed<Region> {
    const chosen = super.parse(context, options, understanding);
    const place = chosen.ok ? undefined : this.placeAnswer(context, understanding);
    if (!place) return chosen;
    if (place.kind === 'region') return { ok: true, value: place.region };
    const language = this.language(context);
    if (place.kind === 'ambiguous') {
      const example = place.candidates.find((c) => c.kind !== 'country') ?? place.candidates[0]!;
      const candidates = new Intl.ListFormat(language, { type: 'disjunction' }).format(place.candidates.map((c) => this.placeLabel(language, c)));
      return { ok: false, sure: true, reason: 'registration:region.ambiguous', vars: { place: this.nameOf(language, example), country: this.countryOf(language, example), candidates } };
    }
    const regions = { na: this.phrases.in(language, 'registration:region.na'), global: this.phrases.in(language, 'registration:region.global') };
    return { ok: false, sure: true, reason: 'registration:region.outside', vars: { place: this.placeLabel(language, place.place), ...regions } };
  }

  /** A place named in a message that is no choice (understood as a region, or a place the message names outside or in both). */
  private placeAnswer(context: TurnContext, understanding: Understanding | undefined): Exclude<PlaceAnswer, { kind: 'unknown' }> | undefined {
    const text = context.activity.text;
    if (!text || understanding?.kind === 'intent' || understanding?.kind === 'faq') return undefined;
    if (understanding?.kind === 'answer' && understanding.answer.kind !== 'region') return undefined;
    const answer = parsePlace(text);
    return answer.kind === 'unknown' ? undefined : answer;
  }

  /** "Trondheim ligger i Norge, så jeg velger Europa og Storbritannia." */
  private placeText(context: TurnContext, place: PlaceRef, region: Region): string {
    const language = this.language(context);
    const vars: TranslationVars = { place: this.nameOf(language, place), country: this.countryOf(language, place), region: this.phrases.in(language, `registration:region.${region}`) };
    return this.phrases.in(language, place.kind === 'country' ? 'registration:region.fromCountry' : 'registration:region.fromPlace', vars);
  }

  private placeLabel(language: Language, place: PlaceRef): string {
    if (place.kind === 'country') return this.countryOf(language, place);
    return this.phrases.in(language, 'registration:region.placeInCountry', { place: place.name, country: this.countryOf(language, place) });
  }

  private nameOf(language: Language, place: PlaceRef): string {
    return place.kind === 'country' ? this.countryOf(language, place) : place.name;
  }

  private countryOf(language: Language, place: PlaceRef): string {
    return placeIndex().countryName(place.country, language);
  }

  /** The question is asked once the chat's language is known (the root dialog asks it first). */
  private language(context: TurnContext): Language {
    return turnLanguage(context) ?? 'nb';
  }
}
