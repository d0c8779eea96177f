import type { TurnContext } from 'botbuilder';
import { type DialogContext, type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from './dialogKit';
import type { Understanding } from '../../domain/understanding';
import { parseEmail } from '../../domain/email';
import { REGIONS, type Region, suggestRegion } from '../../domain/journey';
import type { RegistrationService } from '../../services/installers/registrationService';
import type { BotStates } from '../state';
import { type Phrases, turnLanguage } from '../turnLanguage';
import type { ParsedEmail } from './emailQuestion';
import type { Choice, ChoiceQuestionOptions } from './questionDialog';
import type { AwaitCodeOptions, AwaitCodeResult } from './awaitCodeDialog';
import { AWAIT_CODE, AWAIT_PASSWORD, CONTINUE, EMAIL_CHECK, EMAIL_QUESTION, REGION_QUESTION, REGISTRATION } from './registrationIds';
import type { EmailCheckAnswer, EmailCheckOptions } from './emailCheckQuestion';
import { referenceOf } from './conversationReference';
import { clientAddressOf } from '../turnClientAddress';

export const REGION_CHOICES: ReadonlyArray<Choice<Region>> = [
  { value: 'global', label: 'registration:region.global', synonyms: ['europa', 'europe', 'global', 'europa/storbritannia', 'europe/uk'] },
  { value: 'na', label: 'registration:region.na', synonyms: ['nord-amerika', 'nordamerika', 'amerika', 'america'] },
];

export interface RegistrationOptions {
  region?: Region;
  /** An address to show back without asking for it (typed instead of the code, or at the check). */
  email?: ParsedEmail;
  /** The question for the address when it is asked again. */
  emailQuestionKey?: string;
  /** This chat's registration whose address is being corrected (before confirmation): replaced once the new one is proved. */
  replacing?: string;
}

/** What a later step returns when the installer wants another address: registration again, replacing theirs. */
export interface ChangeAddressRequest {
  changeAddress: true;
  installerId: string;
  /** The new address, when it was typed straight away ("oops, it should be kari@firma.no"). */
  email?: ParsedEmail;
}

export function isChangeAddressRequest(value: unknown): value is ChangeAddressRequest {
  return typeof value === 'object' && value !== null && (value as Partial<ChangeAddressRequest>).changeAddress === true;
}

/** The choice value of "another address" at the later steps (password, confirmation); the changeEmail intent picks it. */
export const CHANGE_EMAIL = 'change';

/**
 * A message at a later step (password, confirmation) that asks for another address: "feil e-post",
 * "wrong email" (the CHANGE_EMAIL choice), or simply another address typed ("oops it should be kari@firma.no").
 */
export function addressChangeIn(understanding: Understanding | undefined, installerId: string): ChangeAddressRequest | undefined {
  if (understanding?.kind !== 'answer') return undefined;
  const answer = understanding.answer;
  if (answer.kind === 'choice' && answer.value === CHANGE_EMAIL) return { changeAddress: true, installerId };
  if (answer.kind !== 'email') return undefined;
  const typed = parseEmail(answer.email);
  if (!typed.ok || typed.id === installerId) return undefined;
  return { changeAddress: true, installerId, email: { email: typed.email, id: typed.id } };
}

interface RegistrationValues {
  region?: Region;
  email?: ParsedEmail;
}

/** The registration dialog open in this conversation, if any (its waterfall state). */
function openRegistration(dc: DialogContext): { values?: RegistrationValues; options?: RegistrationOptions } | undefined {
  return dc.stack.find((instance) => instance.id === REGISTRATION)?.state as { values?: RegistrationValues; options?: RegistrationOptions } | undefined;
}

/** Whether a registration is under way here, and its region once chosen ("region" before anything is registered). */
export function regionOfOpenRegistration(dc: DialogContext): { open: boolean; region?: Region } {
  const state = openRegistration(dc);
  return { open: state !== undefined, region: state?.values?.region };
}

/** Changes the region of the registration under way (the "region" command before anything is registered); false when none is. */
export function setRegionOfOpenRegistration(dc: DialogContext, region: Region): boolean {
  const state = openRegistration(dc);
  if (!state?.values?.region) return false;
  state.values.region = region;
  return true;
}

export interface RegistrationDialogDeps {
  phrases: Phrases;
  states: BotStates;
  registration: RegistrationService;
}

/**
 * Region → email → the address shown back ("Er kari@firma.no riktig?", with a suggested fix for a
 * misspelt provider) → the code emailed there, typed here → the registration is created and the
 * password link is given (awaitPassword), or, for an address registered before, this chat is
 * linked to that registration and carries on where it was. Started with `replacing`, the new
 * registration replaces the chat's earlier one (a wrong address corrected before confirmation).
 */
export class RegistrationDialog extends WaterfallDialog {
  constructor(private readonly deps: RegistrationDialogDeps) {
    super(REGISTRATION);
    this.addStep(this.askRegion.bind(this));
    this.addStep(this.askEmail.bind(this));
    this.addStep(this.checkEmail.bind(this));
    this.addStep(this.askCode.bind(this));
    this.addStep(this.register.bind(this));
  }

  private values(step: WaterfallStepContext): RegistrationValues {
    return step.values as RegistrationValues;
  }

  private options(step: WaterfallStepContext): RegistrationOptions {
    return (step.options as RegistrationOptions | undefined) ?? {};
  }

  /** Starts over at the address (the region and what is being replaced are kept). */
  private again(step: WaterfallStepContext, more: Pick<RegistrationOptions, 'email' | 'emailQuestionKey'>): Promise<DialogTurnResult> {
    const { replacing } = this.options(step);
    return step.replaceDialog(REGISTRATION, { region: this.values(step).region, replacing, ...more } satisfies RegistrationOptions);
  }

  private async askRegion(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const given = this.options(step).region;
    if (given) return step.next(given);
    const suggested = suggestRegion(step.context.activity.locale);
    // the region's name is rendered whenever the question is shown (a language switch re-asks it in the other language)
    return step.beginDialog(REGION_QUESTION, { textVars: { suggested: `registration:region.${suggested}` } } satisfies ChoiceQuestionOptions);
  }

  private async askEmail(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const region = step.result as Region;
    this.values(step).region = REGIONS.includes(region) ? region : 'global';
    const { email, emailQuestionKey, replacing } = this.options(step);
    if (email) return step.next(email);
    const questionKey = emailQuestionKey ?? (replacing ? 'registration:confirm.newEmailQuestion' : undefined);
    return step.beginDialog(EMAIL_QUESTION, questionKey ? { questionKey } : undefined);
  }

  /** Nothing is sent to an address before the installer has seen it written out. */
  private async checkEmail(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.beginDialog(EMAIL_CHECK, { email: step.result as ParsedEmail } satisfies EmailCheckOptions);
  }

  private async askCode(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { phrases, states } = this.deps;
    const answer = step.result as EmailCheckAnswer;
    if (answer.kind === 'retype') return this.again(step, { emailQuestionKey: 'registration:email.retype' });
    if (answer.kind === 'other') return this.again(step, { email: answer.email });
    const email = answer.email;
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
    if (outcome?.kind !== 'verified') return this.again(step, { email: outcome?.kind === 'otherAddress' ? outcome.email : undefined });
    const { replacing } = this.options(step);
    const result = await registration.start(
      { ...outcome.email, region: values.region ?? 'global', language: turnLanguage(step.context) ?? 'nb' },
      referenceOf(step.context),
      { replacing, clientAddress: clientAddressOf(step.context.activity) },
    );
    const profile = await states.userProfile.get(step.context, {});
    profile.installerId = result.installer.id;
    await states.userProfile.set(step.context, profile);
    if (replacing) {
      // the old address's links now say "replaced"; the step the registration is at follows
      await phrases.send(step.context, 'registration:email.replaced', { email: result.installer.email });
      return step.endDialog(CONTINUE);
    }
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
