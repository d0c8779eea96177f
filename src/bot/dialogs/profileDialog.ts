import { randomUUID } from 'node:crypto';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import type { Region } from '../../domain/journey';
import type { Language } from '../../domain/language';
import { countryName, regionCountries } from '../../domain/profileCountries';
import {
  completeProfile,
  isClearlyNoAnswer,
  isProfileFieldId,
  missingFields,
  parseField,
  PREFERRED_LANGUAGE_CHOICES,
  PROFILE_FIELD_IDS,
  PROFILE_FIELD_WORDS,
  PROFILE_FIELDS,
  phoneCountry,
  profileField,
  profileFieldNamed,
  type FieldResult,
  type ProfileFieldId,
  type ProfileValues,
  readCardValues,
  refusedValues,
} from '../../domain/profileFields';
import type { Choice as ExpectedChoice, Guess, Understanding } from '../../domain/understanding';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { ProfileService } from '../../services/profile/profileService';
import type { TranslationVars } from '../../services/i18n/translator';
import { choiceMessage, type Form, formMessage, showsForms } from '../cards';
import { sendWithLead } from '../leadText';
import { type Phrases, turnLanguage } from '../turnLanguage';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { replyToMiss } from './missReply';
import { CONTINUE } from './registrationIds';

export const PROFILE_DIALOG = 'profile';

/** What the root passes: whose profile, and for a later change, which field (or none: the whole profile). */
export interface ProfileOptions {
  installerId: string;
  /** A saved profile is being changed ("endre profil", "change my phone"). */
  edit?: boolean;
  field?: ProfileFieldId;
}

/** A request, from anywhere in the chat, to change the saved profile (the root starts the profile step for it). */
export function isProfileEditRequest(value: unknown): value is ProfileOptions & { edit: true } {
  const request = value as Partial<ProfileOptions> | undefined;
  return typeof request?.installerId === 'string' && request.edit === true;
}

/** The stamp a profile form carries in its submit: which form (one per run of this step) and which showing of it. */
interface FormStamp {
  profileForm: string;
  version: number;
}

/** Whether a message is a profile form's submit (its value carries a stamp). */
export function isProfileFormSubmit(context: TurnContext): boolean {
  const value = context.activity.value as Partial<FormStamp> | undefined;
  return context.activity.type === ActivityTypes.Message && typeof value?.profileForm === 'string';
}

type Phase = 'fields' | 'summary' | 'pickField';

interface ProfileState {
  installerId: string;
  region: Region;
  edit: boolean;
  values: ProfileValues;
  phase: Phase;
  /** The field asked now (phase 'fields'). */
  field?: ProfileFieldId;
  /** Why fields of a submitted card were not taken; each is asked again alone, with its reason. */
  problems: Partial<Record<ProfileFieldId, { problem: string; vars?: Record<string, string> }>>;
  /** After one field is changed, the summary comes back (instead of the next missing field). */
  backToSummary: boolean;
  formId: string;
  /** The newest showing of the form (0: none shown). */
  formVersion: number;
  /** Showings whose submit was taken. */
  formsTaken: number[];
  /** Misses in a row at the open question. */
  misses: number;
}

/** Choice values of the summary and of "what do you want to change?" besides the fields. */
const SAVE = 'save';
/** Fields whose parser takes only a well-formed value: a known phrase it reads ("no", Norway's code) is that value. */
const STRICT_FIELDS: readonly ProfileFieldId[] = ['country'];
const CHANGE = 'change';

/**
 * The profile step: every required field of the form (domain/profileFields.ts), as an Adaptive
 * Card where the channel shows one and question by question everywhere (and for anyone who types
 * instead). A card's fields are each checked: a wrong one gets its reason and is asked again alone,
 * the others are kept. An older or already used card is ignored with a note. A summary comes before
 * saving; one field can be changed there, or later from anywhere ("endre telefon"). Ends with
 * CONTINUE once saved, so the root routes on.
 */
export class ProfileDialog extends Dialog<ProfileOptions> implements ExpectingDialog {
  constructor(
    private readonly phrases: Phrases,
    private readonly profiles: ProfileService,
    private readonly installers: InstallerRepository,
  ) {
    super(PROFILE_DIALOG);
  }

  override async beginDialog(dc: DialogContext, options?: ProfileOptions): Promise<DialogTurnResult> {
    const installer = options ? await this.installers.get(options.installerId) : undefined;
    if (!options || !installer) return dc.endDialog();
    // the preferred language is asked too (courses in English with a chat in Norwegian is fine); the form suggests the chat's
    const values: ProfileValues = { ...installer.profile };
    const state: ProfileState = {
      installerId: installer.id,
      region: installer.region,
      edit: options.edit === true && installer.profile !== undefined,
      values,
      phase: 'fields',
      problems: {},
      backToSummary: false,
      formId: randomUUID(),
      formVersion: 0,
      formsTaken: [],
      misses: 0,
    };
    dc.activeDialog!.state = state;
    const context = dc.context;
    if (state.edit && options.field) {
      state.backToSummary = true;
      await this.askField(context, state, options.field);
    } else if (state.edit) {
      state.phase = 'summary';
      if (showsForms(context)) await this.showForm(context, state, this.phrases.text(context, 'profile:editCard'));
      await this.askSummary(context, state);
    } else if (showsForms(context)) {
      state.field = missingFields(values)[0];
      await this.showForm(context, state, `${this.phrases.text(context, 'profile:introCard')}\n\n${this.fieldQuestion(context, state.field ?? 'firstName')}`);
    } else {
      await this.phrases.send(context, 'profile:intro');
      await this.next(context, state);
    }
    return Dialog.EndOfTurn;
  }

  expects(context: TurnContext, stateValue: unknown): PromptExpectation {
    const state = stateValue as ProfileState;
    const edit = { changeProfile: CHANGE };
    if (state.phase === 'summary') {
      return {
        expectation: { choices: [...this.fieldChoices(), this.choice(SAVE, 'profile:summary.save', 'profile:summary.saveWord', 'profile:summary.doneWord'), this.choice(CHANGE, 'profile:summary.change')], kinds: ['yesNo'] },
        intents: edit,
      };
    }
    if (state.phase === 'pickField') return { expectation: { choices: this.fieldChoices() }, intents: edit };
    if (state.field === 'language') return { expectation: { choices: PREFERRED_LANGUAGE_CHOICES, kinds: ['text'] }, intents: { ...edit, 'language.nb': 'nb', 'language.en': 'en' } };
    // a sentence about something else is no name: the understanding reads it as a command or a question
    const field = state.field ?? missingFields(state.values)[0] ?? 'firstName';
    return { expectation: { kinds: ['text'], notTextAnswer: (text) => isClearlyNoAnswer(field, text) }, intents: edit };
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const context = dc.context;
    if (context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const state = dc.activeDialog!.state as ProfileState;
    // the region may have been changed meanwhile ("region North America"): the countries follow it
    state.region = (await this.installers.get(state.installerId))?.region ?? state.region;
    if (isProfileFormSubmit(context)) return this.onFormSubmit(dc, state);
    const understanding = turnUnderstanding(context);
    if (state.phase === 'summary') return this.onSummaryAnswer(dc, state, understanding);
    if (state.phase === 'pickField') return this.onPickedField(dc, state, understanding);
    return this.onFieldAnswer(dc, state, understanding);
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as ProfileState;
    // before anything is answered, the form is shown again (a newer one: the one shown before is then old)
    if (state.phase === 'fields' && state.formVersion > 0 && state.formsTaken.length === 0 && state.field === missingFields(state.values)[0] && !state.edit) {
      await this.showForm(context, state, `${this.phrases.text(context, 'profile:introCard')}\n\n${this.fieldQuestion(context, state.field ?? 'firstName')}`);
      return;
    }
    // "hjelp" / "?" at a question (the general help is said already): what this field takes, then the question
    const understanding = turnUnderstanding(context);
    if (state.phase === 'fields' && understanding?.kind === 'intent' && understanding.intent === 'help') {
      const field = state.field ?? missingFields(state.values)[0] ?? 'firstName';
      await sendWithLead(context, this.phrases, this.fieldHelp(context, state, field), () => this.askField(context, state, field));
      return;
    }
    await this.askAgain(context, state);
  }

  // --- answers ---

  private async onFieldAnswer(dc: DialogContext, state: ProfileState, understanding: Understanding | undefined): Promise<DialogTurnResult> {
    const context = dc.context;
    const field = state.field ?? missingFields(state.values)[0] ?? 'firstName';
    if (this.chose(understanding) === CHANGE) {
      // "endre telefon" while the questions are asked: that field now
      const named = this.fieldNamedIn(context);
      if (named) {
        state.backToSummary = missingFields(state.values).length === 0;
        await this.askField(context, state, named);
      } else await this.askAgain(context, state);
      return Dialog.EndOfTurn;
    }
    const text = context.activity.text ?? '';
    const chosen = this.chose(understanding);
    // a known phrase that is a well-formed value all the same ("no", Norway's code, at the country): that value
    const strict = understanding?.kind === 'none' && STRICT_FIELDS.includes(field) ? parseField(field, text, state.region, state.values) : undefined;
    let result: FieldResult;
    if (field === 'language' && (chosen === 'nb' || chosen === 'en')) result = { ok: true, value: chosen };
    else if (understanding?.kind === 'answer' && understanding.answer.kind === 'text') result = parseField(field, text, state.region, state.values);
    else if (strict?.ok) result = strict;
    else if (isClearlyNoAnswer(field, text)) {
      // a sentence about something else that the understanding found no command or question in: taken as a wrong
      // answer (the parser's reason where it has one, "nei vent, firmaet er feil" names the field to change)
      const parsed = parseField(field, text, state.region, state.values);
      result = parsed.ok ? { ok: false, problem: 'sentence' } : parsed;
    } else {
      // a known phrase that is no answer here ("nei" at the name question)
      await this.miss(context, state, field, undefined);
      return Dialog.EndOfTurn;
    }
    if (!result.ok) {
      // no answer to this question, but about one already answered ("actually change the company"): that one now
      const named = this.fieldNamedIn(context);
      if (named && named !== field && state.values[named] !== undefined) {
        state.backToSummary = missingFields(state.values).length === 0;
        await this.askField(context, state, named);
        return Dialog.EndOfTurn;
      }
      await this.miss(context, state, field, this.problemText(context, state, field, result, text));
      return Dialog.EndOfTurn;
    }
    const lead = this.take(context, state, field, result.value, text);
    await this.next(context, state, lead);
    return Dialog.EndOfTurn;
  }

  private async onSummaryAnswer(dc: DialogContext, state: ProfileState, understanding: Understanding | undefined): Promise<DialogTurnResult> {
    const context = dc.context;
    const chosen = this.chose(understanding);
    const yes = understanding?.kind === 'answer' && understanding.answer.kind === 'yesNo' ? understanding.answer.yes : undefined;
    if (chosen === SAVE || yes === true) return this.save(dc, state);
    // "endre telefon", and also "nei, telefonen er feil": a field named at the summary is the one to change
    const field = isProfileFieldId(chosen) ? chosen : this.fieldNamedIn(context);
    if (field) {
      state.backToSummary = true;
      await this.askField(context, state, field);
      return Dialog.EndOfTurn;
    }
    if (chosen === CHANGE || yes === false) {
      state.phase = 'pickField';
      state.misses = 0;
      await this.askPickField(context);
      return Dialog.EndOfTurn;
    }
    state.misses += 1;
    await replyToMiss(context, this.phrases, {
      misses: state.misses,
      shape: 'choices',
      reason: this.phrases.text(context, 'chat:question.pickOne'),
      labelOf: (guess) => this.labelOfGuess(context, guess),
      reask: () => this.askSummary(context, state),
    });
    return Dialog.EndOfTurn;
  }

  private async onPickedField(dc: DialogContext, state: ProfileState, understanding: Understanding | undefined): Promise<DialogTurnResult> {
    const context = dc.context;
    const chosen = this.chose(understanding);
    const field = isProfileFieldId(chosen) ? chosen : this.fieldNamedIn(context);
    if (field) {
      state.backToSummary = true;
      await this.askField(context, state, field);
      return Dialog.EndOfTurn;
    }
    state.misses += 1;
    await replyToMiss(context, this.phrases, {
      misses: state.misses,
      shape: 'choices',
      reason: this.phrases.text(context, 'chat:question.pickOne'),
      labelOf: (guess) => this.labelOfGuess(context, guess),
      reask: () => this.askPickField(context),
    });
    return Dialog.EndOfTurn;
  }

  private async onFormSubmit(dc: DialogContext, state: ProfileState): Promise<DialogTurnResult> {
    const context = dc.context;
    const submitted = context.activity.value as Record<string, unknown> & Partial<FormStamp>;
    const stale = submitted.profileForm !== state.formId || submitted.version !== state.formVersion;
    const twice = !stale && state.formsTaken.includes(state.formVersion);
    if (stale || twice) {
      await sendWithLead(context, this.phrases, this.phrases.text(context, stale ? 'profile:card.stale' : 'profile:card.twice'), () => this.askAgain(context, state));
      return Dialog.EndOfTurn;
    }
    state.formsTaken.push(state.formVersion);
    const { values, problems } = readCardValues(submitted, state.region, state.values);
    state.values = values;
    state.problems = Object.fromEntries(Object.entries(problems).map(([id, p]) => [id, { problem: p.problem, vars: { ...p.vars, value: String(submitted[id] ?? '').slice(0, 60) } }]));
    state.backToSummary = false;
    this.dropValuesOfOtherCountry(state);
    const hasProblems = Object.keys(state.problems).length > 0 || missingFields(state.values).length > 0;
    await this.next(context, state, hasProblems && Object.keys(state.problems).length === 0 ? this.phrases.text(context, 'profile:card.partly') : undefined);
    return Dialog.EndOfTurn;
  }

  /** Stores a field's value; returns a note to say with the next question (how a name or number was read). */
  private take(context: TurnContext, state: ProfileState, field: ProfileFieldId, value: string, text: string): string | undefined {
    state.misses = 0;
    delete state.problems[field];
    let note: string | undefined;
    // "Kari Nordmann" at the first name: the last word is the surname, when that is not given yet
    const words = value.split(' ');
    if (field === 'firstName' && words.length >= 2 && state.values.lastName === undefined && !state.edit) {
      const last = words.pop()!;
      const first = words.join(' ');
      state.values.firstName = first;
      state.values.lastName = last;
      note = this.phrases.text(context, 'profile:namesSplit', { first, last });
    } else state.values[field] = value;
    if (field === 'country') this.dropValuesOfOtherCountry(state);
    // a local number read for a country: say which, so a foreign number is written with its code
    if (field === 'phone' && !/^\s*(\+|00)/.test(text)) {
      const country = phoneCountry({ region: state.region, country: state.values.country });
      if (state.values.country === undefined) note = this.phrases.text(context, 'profile:phoneInCountry', { country: countryName(country, this.language(context)) });
    }
    return note;
  }

  /** A value valid only for the country (a postal code given for another one) is asked again once the country changes. */
  private dropValuesOfOtherCountry(state: ProfileState): void {
    const context = { region: state.region, country: state.values.country };
    for (const field of PROFILE_FIELDS.filter((f) => f.forCountry)) {
      const value = state.values[field.id];
      if (value === undefined || state.problems[field.id] || field.schema(context).safeParse(value).success) continue;
      delete state.values[field.id];
      state.backToSummary = false;
    }
  }

  /** What comes next: a field with a problem (with its reason), a missing field, or the summary. */
  private async next(context: TurnContext, state: ProfileState, lead?: string): Promise<void> {
    const withProblem = PROFILE_FIELD_IDS.find((id) => state.problems[id] !== undefined);
    const missing = missingFields(state.values)[0];
    const field = state.backToSummary && !withProblem && !missing ? undefined : (withProblem ?? missing);
    if (!field) {
      state.backToSummary = false;
      if (lead) await sendWithLead(context, this.phrases, lead, () => this.askSummary(context, state));
      else await this.askSummary(context, state);
      state.phase = 'summary';
      return;
    }
    const problem = state.problems[field];
    const reason = problem ? this.problemText(context, state, field, { ok: false, problem: problem.problem, vars: problem.vars }, problem.vars?.value ?? '') : undefined;
    const leads = [lead, reason].filter((l): l is string => Boolean(l));
    if (leads.length) await sendWithLead(context, this.phrases, leads.join('\n\n'), () => this.askField(context, state, field));
    else await this.askField(context, state, field);
  }

  private async miss(context: TurnContext, state: ProfileState, field: ProfileFieldId, reason: string | undefined): Promise<void> {
    state.misses += 1;
    const why = reason ?? this.phrases.text(context, 'profile:problem.notAnAnswer');
    await replyToMiss(context, this.phrases, {
      misses: state.misses,
      shape: (this.expects(context, state).expectation.choices ?? []).length > 0 ? 'choices' : 'typed',
      // a second wrong answer in a row: what the field takes, with the reason
      reason: state.misses >= 2 ? `${why}\n\n${this.fieldHelp(context, state, field)}` : why,
      reasonFirst: reason !== undefined,
      labelOf: (guess) => this.labelOfGuess(context, guess),
      reask: () => this.askField(context, state, field),
    });
  }

  private async save(dc: DialogContext, state: ProfileState): Promise<DialogTurnResult> {
    const context = dc.context;
    const profile = completeProfile(state.values, state.region);
    if (!profile) {
      // a value the form no longer takes (a country of another region, since the region was changed) is asked again, with its reason
      for (const [id, refused] of Object.entries(refusedValues(state.values, state.region))) {
        if (!isProfileFieldId(id)) continue;
        state.problems[id] = { problem: refused.problem, vars: { ...refused.vars, value: state.values[id] ?? '' } };
        delete state.values[id];
      }
      state.phase = 'fields';
      state.backToSummary = false;
      await this.next(context, state);
      return Dialog.EndOfTurn;
    }
    const result = await this.profiles.save(state.installerId, profile);
    if (result.kind !== 'saved') {
      await this.phrases.send(context, 'profile:saveFailed');
      return dc.endDialog();
    }
    await this.phrases.send(context, result.first ? 'profile:saved' : 'profile:updated');
    return dc.endDialog(CONTINUE);
  }

  // --- questions ---

  private async askField(context: TurnContext, state: ProfileState, field: ProfileFieldId): Promise<void> {
    state.phase = 'fields';
    state.field = field;
    const question = this.fieldQuestion(context, field);
    if (field === 'language') {
      await context.sendActivity(choiceMessage(context, this.phrases, question, [this.phrases.text(context, 'profile:languages.nb'), this.phrases.text(context, 'profile:languages.en')]));
    } else await context.sendActivity(this.phrases.message(context, question));
  }

  private async askSummary(context: TurnContext, state: ProfileState): Promise<void> {
    state.phase = 'summary';
    const lines = PROFILE_FIELDS.map((f) => `${this.label(context, f.id)}: ${this.display(context, f.id, state.values[f.id])}`).join('\n');
    const question = this.phrases.text(context, 'profile:summary.question', { lines });
    await context.sendActivity(choiceMessage(context, this.phrases, question, [this.phrases.text(context, 'profile:summary.save'), this.phrases.text(context, 'profile:summary.change')]));
  }

  private async askPickField(context: TurnContext): Promise<void> {
    await context.sendActivity(choiceMessage(context, this.phrases, this.phrases.text(context, 'profile:pickField'), PROFILE_FIELD_IDS.map((id) => this.label(context, id))));
  }

  private async askAgain(context: TurnContext, state: ProfileState): Promise<void> {
    if (state.phase === 'summary') await this.askSummary(context, state);
    else if (state.phase === 'pickField') await this.askPickField(context);
    else await this.askField(context, state, state.field ?? missingFields(state.values)[0] ?? 'firstName');
  }

  /** Shows the form (a new showing: the one before it is old from now on) with the text above it. */
  private async showForm(context: TurnContext, state: ProfileState, text: string): Promise<void> {
    state.formVersion += 1;
    const language = this.language(context);
    const form: Form = {
      title: this.phrases.text(context, 'profile:card.title'),
      submit: this.phrases.text(context, state.edit ? 'profile:card.submitEdit' : 'profile:card.submit'),
      stamp: { profileForm: state.formId, version: state.formVersion },
      inputs: PROFILE_FIELDS.map((field) => ({
        id: field.id,
        label: this.label(context, field.id),
        placeholder: this.phrases.text(context, field.keys.placeholder),
        value: field.id === 'phone' ? this.display(context, 'phone', state.values.phone, '') : field.id === 'language' ? (state.values.language ?? language) : state.values[field.id],
        maxLength: field.maxLength,
        kind: field.input === 'tel' ? 'tel' : field.input === 'text' ? 'text' : 'choice',
        choices:
          field.input === 'country'
            ? regionCountries(state.region, language).map((code) => ({ title: countryName(code, language), value: code }))
            : field.input === 'language'
              ? (['nb', 'en'] as const).map((l) => ({ title: this.phrases.text(context, `profile:languages.${l}`), value: l }))
              : undefined,
      })),
    };
    await context.sendActivity(formMessage(context, this.phrases, text, form));
  }

  // --- texts ---

  private language(context: TurnContext): Language {
    return turnLanguage(context) ?? 'nb';
  }

  private label(context: TurnContext, field: ProfileFieldId): string {
    return this.phrases.text(context, profileField(field).keys.label);
  }

  private fieldQuestion(context: TurnContext, field: ProfileFieldId): string {
    return this.phrases.text(context, profileField(field).keys.question);
  }

  /** What a field takes, with examples (for the country of the profile where that matters). */
  private fieldHelp(context: TurnContext, state: ProfileState, field: ProfileFieldId): string {
    const country = state.values.country ?? phoneCountry({ region: state.region });
    return this.phrases.text(context, profileField(field).keys.help, { country: countryName(country, this.language(context)) });
  }

  /** A stored value as the installer reads it: the country's name, the number grouped, the language's name. */
  private display(context: TurnContext, field: ProfileFieldId, value: string | undefined, missing = '–'): string {
    if (value === undefined) return missing;
    if (field === 'country') return countryName(value, this.language(context));
    if (field === 'language') return this.phrases.text(context, `profile:languages.${value}`);
    if (field === 'phone') return parsePhoneNumberFromString(value)?.formatInternational() ?? value;
    return value;
  }

  /** The reason a value was not taken, in the chat's words. */
  private problemText(context: TurnContext, state: ProfileState, field: ProfileFieldId, result: FieldResult & { ok: false }, given: string): string {
    const language = this.language(context);
    const label = this.label(context, field);
    const country = phoneCountry({ region: state.region, country: state.values.country });
    const vars: TranslationVars = {
      label,
      labelLower: language === 'nb' ? label.toLocaleLowerCase('nb') : label.toLowerCase(),
      max: profileField(field).maxLength,
      value: given.trim().slice(0, 60),
      example: this.phrases.text(context, profileField(field).keys.placeholder),
      country: countryName(field === 'phone' ? country : (state.values.country ?? country), language),
      region: this.phrases.text(context, `registration:region.${state.region}`),
    };
    if (result.problem === 'otherRegion' && result.vars?.country) vars.country = countryName(result.vars.country, language);
    if (field === 'language') return this.phrases.text(context, 'profile:problem.language');
    return this.phrases.text(context, `profile:problem.${result.problem}`, vars);
  }

  // --- understanding ---

  /** A choice by its label and other words for it ("lagre", "ferdig" at the summary), in both languages. */
  private choice(value: string, ...labelKeys: string[]): ExpectedChoice {
    const { translator } = this.phrases;
    return { value, utterances: { nb: labelKeys.map((key) => translator.t('nb', key)), en: labelKeys.map((key) => translator.t('en', key)) } };
  }

  /** The fields as choices: their labels in both languages and the words people use for them. */
  private fieldChoices(): ExpectedChoice[] {
    const { translator } = this.phrases;
    return PROFILE_FIELDS.map(({ id, keys }) => ({
      value: id,
      utterances: {
        nb: [translator.t('nb', keys.label), ...PROFILE_FIELD_WORDS[id].nb],
        en: [translator.t('en', keys.label), ...PROFILE_FIELD_WORDS[id].en],
      },
    }));
  }

  private chose(understanding: Understanding | undefined): string | undefined {
    return understanding?.kind === 'answer' && understanding.answer.kind === 'choice' ? understanding.answer.value : undefined;
  }

  private fieldNamedIn(context: TurnContext): ProfileFieldId | undefined {
    return profileFieldNamed(context.activity.text ?? '', this.language(context));
  }

  private labelOfGuess(context: TurnContext, guess: Guess): string | undefined {
    if (guess.kind !== 'answer' || guess.answer.kind !== 'choice') return undefined;
    const value = guess.answer.value;
    if (isProfileFieldId(value)) return this.label(context, value);
    if (value === SAVE) return this.phrases.text(context, 'profile:summary.save');
    if (value === CHANGE) return this.phrases.text(context, 'profile:summary.change');
    return undefined;
  }
}
