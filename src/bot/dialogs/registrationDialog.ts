import { VOCABULARY } from '../../domain/vocabulary';
import type { TurnContext } from 'botbuilder';
import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from './dialogKit';
import { REGIONS, type Region, suggestRegion } from '../../domain/journey';
import type { RegistrationService } from '../../services/installers/registrationService';
import type { BotStates } from '../state';
import { type Phrases, turnLanguage } from '../turnLanguage';
import type { ParsedEmail } from './emailQuestion';
import type { Choice, ChoiceQuestionOptions } from './questionDialog';
import type { AwaitCodeOptions, AwaitCodeResult } from './awaitCodeDialog';
import { AWAIT_CODE, AWAIT_PASSWORD, CONTINUE, EMAIL_QUESTION, REGION_QUESTION, REGISTRATION } from './registrationIds';
import { referenceOf } from './conversationReference';

export const REGION_CHOICES: ReadonlyArray<Choice<Region>> = [
  { value: 'global', label: 'registration:region.global', synonyms: VOCABULARY.regionGlobal },
  { value: 'na', label: 'registration:region.na', synonyms: VOCABULARY.regionNorthAmerica },
];

interface RegistrationOptions {
  region?: Region;
  /** An address typed instead of the code: asked for again without the question. */
  email?: ParsedEmail;
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

/**
 * Region → email → the code emailed there, typed here → the registration is created and the
 * password link is given (awaitPassword), or, for an address registered before, this chat is
 * linked to that registration and carries on where it was.
 */
export class RegistrationDialog extends WaterfallDialog {
  constructor(private readonly deps: RegistrationDialogDeps) {
    super(REGISTRATION);
    this.addStep(this.askRegion.bind(this));
    this.addStep(this.askEmail.bind(this));
    this.addStep(this.askCode.bind(this));
    this.addStep(this.register.bind(this));
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
    const given = (step.options as RegistrationOptions | undefined)?.email;
    return given ? step.next(given) : step.beginDialog(EMAIL_QUESTION);
  }

  private async askCode(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { phrases, states } = this.deps;
    const email = step.result as ParsedEmail;
    const values = this.values(step);
    values.email = email;
    const profile = await states.userProfile.get(step.context, {});
    if (profile.installerId === email.id) {
      // this chat is already linked to that registration: nothing to prove
      await phrases.send(step.context, 'registration:email.yours');
      return step.endDialog(CONTINUE);
    }
    return step.beginDialog(AWAIT_CODE, { email, region: values.region ?? 'global' } satisfies AwaitCodeOptions);
  }

  private async register(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { phrases, states, registration } = this.deps;
    const values = this.values(step);
    const outcome = step.result as AwaitCodeResult | undefined;
    if (outcome?.kind !== 'verified') {
      return step.replaceDialog(REGISTRATION, { region: values.region, email: outcome?.kind === 'otherAddress' ? outcome.email : undefined } satisfies RegistrationOptions);
    }
    const result = await registration.start(
      { ...outcome.email, region: values.region ?? 'global', language: turnLanguage(step.context) ?? 'nb' },
      referenceOf(step.context),
    );
    const profile = await states.userProfile.get(step.context, {});
    profile.installerId = result.installer.id;
    await states.userProfile.set(step.context, profile);
    if (result.kind === 'created') return step.replaceDialog(AWAIT_PASSWORD, { installerId: result.installer.id });
    await phrases.send(step.context, 'registration:code.linked');
    return step.endDialog(CONTINUE);
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
