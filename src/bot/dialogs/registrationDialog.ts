import { VOCABULARY } from '../../domain/vocabulary';
import type { TurnContext } from 'botbuilder';
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { REGIONS, type Region, suggestRegion } from '../../domain/journey';
import { maskEmail } from '../../domain/email';
import type { RegistrationService } from '../../services/installers/registrationService';
import type { BotStates } from '../state';
import { type Phrases, turnLanguage } from '../turnLanguage';
import type { ParsedEmail } from './emailQuestion';
import type { Choice, ChoiceQuestionOptions } from './questionDialog';
import { AWAIT_PASSWORD, CONTINUE, EMAIL_QUESTION, REGION_QUESTION, REGISTRATION, STOP, TAKEN_CHOICE } from './registrationIds';
import { referenceOf } from './conversationReference';

export const REGION_CHOICES: ReadonlyArray<Choice<Region>> = [
  { value: 'global', label: 'registration:region.global', synonyms: VOCABULARY.regionGlobal },
  { value: 'na', label: 'registration:region.na', synonyms: VOCABULARY.regionNorthAmerica },
];

export const TAKEN_CHOICES: ReadonlyArray<Choice<'link' | 'other'>> = [
  { value: 'link', label: 'registration:email.taken.sendLink', synonyms: VOCABULARY.sendLink },
  { value: 'other', label: 'registration:email.taken.other', synonyms: VOCABULARY.otherAddress },
];

interface RegistrationOptions {
  region?: Region;
}

interface RegistrationValues {
  region?: Region;
  email?: ParsedEmail;
}

export interface RegistrationDialogDeps {
  phrases: Phrases;
  states: BotStates;
  registration: RegistrationService;
}

/** Region → email → the registration is created and the password link is given (awaitPassword). */
export class RegistrationDialog extends WaterfallDialog {
  constructor(private readonly deps: RegistrationDialogDeps) {
    super(REGISTRATION);
    this.addStep(this.askRegion.bind(this));
    this.addStep(this.askEmail.bind(this));
    this.addStep(this.register.bind(this));
    this.addStep(this.afterTaken.bind(this));
  }

  private values(step: WaterfallStepContext): RegistrationValues {
    return step.values as RegistrationValues;
  }

  private async askRegion(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const given = (step.options as RegistrationOptions | undefined)?.region;
    if (given) return step.next(given);
    const suggested = suggestRegion(step.context.activity.locale);
    // the region's name is rendered whenever the question is shown (a language switch re-asks it in the other language)
    return step.beginDialog(REGION_QUESTION, { textVars: { suggested: `registration:region.${suggested}` } } satisfies ChoiceQuestionOptions);
  }

  private async askEmail(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const region = step.result as Region;
    this.values(step).region = REGIONS.includes(region) ? region : 'global';
    return step.beginDialog(EMAIL_QUESTION);
  }

  private async register(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { phrases, states, registration } = this.deps;
    const email = step.result as ParsedEmail;
    const values = this.values(step);
    values.email = email;
    const profile = await states.userProfile.get(step.context, {});
    const result = await registration.start(
      { ...email, region: values.region ?? 'global', language: turnLanguage(step.context) ?? 'nb' },
      referenceOf(step.context),
      profile.installerId,
    );
    if (result.kind === 'created') {
      profile.installerId = result.installer.id;
      await states.userProfile.set(step.context, profile);
      return step.replaceDialog(AWAIT_PASSWORD, { installerId: result.installer.id });
    }
    if (result.kind === 'yours') {
      await phrases.send(step.context, 'registration:email.yours');
      return step.endDialog(CONTINUE);
    }
    return step.beginDialog(TAKEN_CHOICE, { vars: { email: email.email } });
  }

  private async afterTaken(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { phrases, registration } = this.deps;
    const values = this.values(step);
    if (step.result === 'other') return step.replaceDialog(REGISTRATION, { region: values.region } satisfies RegistrationOptions);
    const email = values.email!;
    const sent = await registration.requestContinueLink(email.id, referenceOf(step.context));
    await sendResendOutcome(step.context, phrases, sent, maskEmail(email.email));
    return step.endDialog(STOP);
  }
}

/** The chat's answer to a (re)send: sent, limited, or nothing to send. */
export async function sendResendOutcome(
  context: TurnContext,
  phrases: Phrases,
  result: { kind: 'sent' } | { kind: 'limited'; minutes: number } | { kind: 'not_needed' },
  email: string,
): Promise<void> {
  if (result.kind === 'sent') await phrases.send(context, 'registration:confirm.resent', { email });
  else if (result.kind === 'limited') await phrases.send(context, 'registration:confirm.limited', { minutes: result.minutes });
}
