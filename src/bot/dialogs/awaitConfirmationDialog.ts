import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogReason, type DialogTurnResult } from './dialogKit';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { RegistrationService } from '../../services/installers/registrationService';
import { choiceMessage } from '../cards';
import type { Phrases } from '../turnLanguage';
import { type Choice, type ChoiceQuestionOptions, choiceExpectation, chosenValue } from './questionDialog';
import { sendWithLead } from '../leadText';
import { addressChangeIn, CHANGE_EMAIL, type ChangeAddressRequest, sendResendOutcome } from './registrationDialog';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { remindAfterMiss } from './missReply';
import { AWAIT_CONFIRMATION, CONFIRM_OPTIONS, CONTINUE } from './registrationIds';

interface AwaitConfirmationState {
  installerId: string;
  /** What the child dialog that is open was asked for. */
  asking?: 'options';
  /** Messages in a row that were not understood. */
  misses?: number;
}

export type ConfirmOption = 'resend' | 'change' | 'wait';

export const CONFIRM_OPTION_CHOICES: ReadonlyArray<Choice<ConfirmOption>> = [
  { value: 'resend', label: 'registration:confirm.option.resend', intents: ['resend', 'newLink', 'newCode'] },
  { value: CHANGE_EMAIL, label: 'registration:confirm.option.change', intents: ['changeEmail'] },
  { value: 'wait', label: 'registration:confirm.option.wait', synonyms: ['vent', 'venter', 'wait', 'ok'] },
];

/**
 * What the step takes besides the confirmation itself: "didn't get the email", resend, another address;
 * and "passordlenken har gått ut": the password link, used up once the password is saved (it was read as "send it again",
 * and the confirmation email went out again).
 */
const CHECK_INBOX: ReadonlyArray<Choice<'didntGet' | 'resend' | 'passwordLink' | typeof CHANGE_EMAIL>> = [
  { value: 'didntGet', label: 'registration:confirm.didntGetButton', intents: ['didntGetEmail'] },
  { value: 'resend', label: 'registration:confirm.option.resend', intents: ['resend', 'newLink', 'newCode'] },
  { value: CHANGE_EMAIL, label: 'registration:confirm.option.change', intents: ['changeEmail'] },
  { value: 'passwordLink', label: 'registration:confirm.passwordLinkButton', synonyms: ['passordlenka', 'passordlinken'], questions: ['passwordLink'] },
  // named inside a message ("passordlenken sier at den har gått ut", "the password link says it expired")
  { value: 'passwordLink', label: 'registration:confirm.passwordLinkPhrase' },
];

/**
 * "Check your inbox": waits for the confirmation link to be followed (event
 * onboarding.emailConfirmed), and helps when the email does not come: spam-folder hint,
 * resend (limited), or correcting the address (the step ends and the registration starts again
 * for the new address, replacing this one).
 */
export class AwaitConfirmationDialog extends Dialog<AwaitConfirmationState> implements ExpectingDialog {
  constructor(
    private readonly phrases: Phrases,
    private readonly registration: RegistrationService,
    private readonly installers: InstallerRepository,
  ) {
    super(AWAIT_CONFIRMATION);
  }

  expects(): PromptExpectation {
    return choiceExpectation(this.phrases.translator, CHECK_INBOX, ['email']);
  }

  override async beginDialog(dc: DialogContext, options?: AwaitConfirmationState): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { installerId: options!.installerId } satisfies AwaitConfirmationState;
    await this.sendCheckInbox(dc.context, options!.installerId);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as AwaitConfirmationState;
    if (await this.confirmed(state.installerId)) return dc.endDialog(CONTINUE);
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const understanding = turnUnderstanding(dc.context);
    const said = chosenValue(understanding, CHECK_INBOX);
    if (said === 'resend') {
      state.misses = 0;
      return this.resend(dc, state);
    }
    if (said === 'didntGet') {
      // where it went (a typo in the address shows), what can be done, and a person one tap away
      state.misses = 0;
      state.asking = 'options';
      const installer = await this.installers.get(state.installerId);
      return dc.beginDialog(CONFIRM_OPTIONS, { vars: { email: installer?.email ?? '' }, withPerson: true } satisfies ChoiceQuestionOptions);
    }
    if (said === 'passwordLink') {
      // the password is saved (this step comes after it), so its link is used up: nothing to send, the confirmation is next.
      // Not a new password link: a LearnUpon portal keeps the password its user was made with, so a second one would not reach it.
      state.misses = 0;
      const saved = this.phrases.text(dc.context, 'registration:confirm.passwordSaved');
      await sendWithLead(dc.context, this.phrases, saved, () => this.sendCheckInbox(dc.context, state.installerId));
      return Dialog.EndOfTurn;
    }
    // a wrong address ("feil e-post", or the right one typed): registration again, replacing this one
    const change = addressChangeIn(understanding, state.installerId);
    if (change) return dc.endDialog(change);
    await remindAfterMiss(dc.context, this.phrases, state, 'registration:confirm.reminder');
    return Dialog.EndOfTurn;
  }

  override async resumeDialog(dc: DialogContext, _reason: DialogReason, result?: unknown): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as AwaitConfirmationState;
    const asking = state.asking;
    state.asking = undefined;
    if (await this.confirmed(state.installerId)) return dc.endDialog(CONTINUE);
    if (asking === 'options') {
      if (result === 'resend') return this.resend(dc, state);
      if (result === CHANGE_EMAIL) return dc.endDialog({ changeAddress: true, installerId: state.installerId } satisfies ChangeAddressRequest);
      await this.phrases.send(dc.context, 'registration:confirm.waiting');
      return Dialog.EndOfTurn;
    }
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.sendCheckInbox(context, (instance.state as AwaitConfirmationState).installerId);
  }

  private async confirmed(installerId: string): Promise<boolean> {
    const installer = await this.installers.get(installerId);
    return !installer || installer.stage !== 'registered';
  }

  private async resend(dc: DialogContext, state: AwaitConfirmationState): Promise<DialogTurnResult> {
    const installer = await this.installers.get(state.installerId);
    const result = await this.registration.resendConfirmation(state.installerId);
    await sendResendOutcome(dc.context, this.phrases, result, installer?.email ?? '');
    return Dialog.EndOfTurn;
  }

  private async sendCheckInbox(context: TurnContext, installerId: string): Promise<void> {
    const installer = await this.installers.get(installerId);
    const text = this.phrases.text(context, 'registration:confirm.checkInbox', { email: installer?.email ?? '' });
    await context.sendActivity(choiceMessage(context, this.phrases, text, [this.phrases.text(context, 'registration:confirm.didntGetButton')]));
  }
}
