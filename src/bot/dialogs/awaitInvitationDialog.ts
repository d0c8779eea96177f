import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import type { Stage } from '../../domain/journey';
import type { Invitations } from '../../services/account/invitations';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { NotifyEvent } from '../../services/notify/events';
import { NOTIFY_TURN, type NotifyTurn } from '../notifyTurns';
import { choiceMessage } from '../cards';
import type { Phrases } from '../turnLanguage';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { remindAfterMiss } from './missReply';
import { type Choice, choiceExpectation, chosenValue } from './questionDialog';
import { CONTINUE, STOP } from './registrationIds';
import { COURSES_FINISHED_PHRASES } from './coursesDialog';
import { sendWithLead } from '../leadText';

export const AWAIT_INVITATION = 'awaitInvitation';

interface AwaitInvitationState {
  installerId: string;
  /** Messages in a row that were not understood. */
  misses?: number;
}

/**
 * "I didn't get the invitation", "send it again", "new link", in any words: a new invitation.
 * "ferdig med kursene", "finished the courses": they are, and the invitation is what comes next.
 * "har satt opp kontoen", "done with the account", "I've accepted the invitation": the installer
 * telling that the account is set up (found playing it through: they got the reminder, or "did you mean Cancel?").
 */
const INVITATION_CHOICES: ReadonlyArray<Choice<'resend'>> = [
  { value: 'resend', label: 'account:invitation.didntGetButton', intents: ['didntGetEmail', 'resend', 'newLink'] },
];
const SET_UP_PHRASES = ['setUpPhrase', 'setUpOwnPhrase', 'doneWithPhrase', 'isSetUpPhrase', 'acceptedPhrase', 'createdPhrase', 'doneWord', 'finishedWord'] as const;
const ANSWERS: ReadonlyArray<Choice<'resend' | 'coursesDone' | 'setUp'>> = [
  ...INVITATION_CHOICES,
  ...COURSES_FINISHED_PHRASES.map((label) => ({ value: 'coursesDone' as const, label })),
  ...SET_UP_PHRASES.map((key) => ({ value: 'setUp' as const, label: `account:invitation.${key}` })),
];

/** The event of this turn when the notify path runs it. */
function notifiedEvent(context: TurnContext): NotifyEvent['name'] | undefined {
  return (context.turnState.get(NOTIFY_TURN) as NotifyTurn | undefined)?.event.name;
}

/**
 * Whether the root opens this step: at `certified`, and on the turn that tells the chat the
 * installer account is set up (whatever was open then), which says what to do on site.
 */
export function opensAwaitInvitation(context: TurnContext, stage: Stage): boolean {
  return stage === 'certified' || (stage === 'active' && notifiedEvent(context) === 'accountActivated');
}

/**
 * Certified: "check your email for the invitation", with a new invitation on request (limited).
 * The step ends by itself when the invitation page has set up the installer account (event
 * onboarding.accountActivated): it then says what to do on site, and "station" / "jeg er på
 * stedet" starts the station step.
 */
export class AwaitInvitationDialog extends Dialog<AwaitInvitationState> implements ExpectingDialog {
  constructor(
    private readonly phrases: Phrases,
    private readonly invitations: Invitations,
    private readonly installers: InstallerRepository,
  ) {
    super(AWAIT_INVITATION);
  }

  expects(): PromptExpectation {
    return choiceExpectation(this.phrases.translator, ANSWERS);
  }

  override async beginDialog(dc: DialogContext, options?: { installerId: string }): Promise<DialogTurnResult> {
    const installerId = options!.installerId;
    dc.activeDialog!.state = { installerId } satisfies AwaitInvitationState;
    const installer = await this.installers.get(installerId);
    if (installer?.stage === 'active') return this.activated(dc);
    if (notifiedEvent(dc.context) === 'certified') await this.phrases.send(dc.context, 'account:invitation.certified');
    await this.sendCheckInbox(dc.context, installerId);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as AwaitInvitationState;
    const installer = await this.installers.get(state.installerId);
    if (installer?.stage === 'active') return this.activated(dc);
    if (!installer || installer.stage !== 'certified') return dc.endDialog(CONTINUE);
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const chosen = chosenValue(turnUnderstanding(dc.context), ANSWERS);
    if (chosen === 'coursesDone') {
      // the courses are done (this step comes after them): said so, with the invitation step's own words and button
      state.misses = 0;
      await sendWithLead(dc.context, this.phrases, this.phrases.text(dc.context, 'account:invitation.coursesDone'), () => this.sendCheckInbox(dc.context, state.installerId));
      return Dialog.EndOfTurn;
    }
    if (chosen === 'setUp') {
      // "done", but the invitation page has not reported the account (when it has, the step went on above): said plainly, with the invitation's button again
      state.misses = 0;
      await sendWithLead(dc.context, this.phrases, this.phrases.text(dc.context, 'account:invitation.notSetUpYet'), () => this.sendCheckInbox(dc.context, state.installerId));
      return Dialog.EndOfTurn;
    }
    if (chosen === 'resend') {
      state.misses = 0;
      const result = await this.invitations.resend(state.installerId);
      if (result.kind === 'sent') await this.phrases.send(dc.context, 'account:invitation.resent', { email: installer.email });
      else if (result.kind === 'limited') await this.phrases.send(dc.context, 'account:invitation.limited', { minutes: result.minutes });
      return Dialog.EndOfTurn;
    }
    await remindAfterMiss(dc.context, this.phrases, state, 'account:invitation.reminder');
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.sendCheckInbox(context, (instance.state as AwaitInvitationState).installerId);
  }

  /** The installer account is ready: what to do on site; the chat waits for "station" / "I'm on site". */
  private async activated(dc: DialogContext): Promise<DialogTurnResult> {
    await this.phrases.send(dc.context, 'account:activated');
    return dc.endDialog(STOP);
  }

  private async sendCheckInbox(context: TurnContext, installerId: string): Promise<void> {
    const installer = await this.installers.get(installerId);
    const text = this.phrases.text(context, 'account:invitation.checkInbox', { email: installer?.email ?? '' });
    await context.sendActivity(choiceMessage(context, this.phrases, text, [this.phrases.text(context, 'account:invitation.didntGetButton')]));
  }
}
