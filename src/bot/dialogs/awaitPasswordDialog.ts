import { parseStatedPassword } from '../../domain/statedPassword';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { RegistrationService } from '../../services/installers/registrationService';
import { pageMessage } from '../cards';
import type { Phrases } from '../turnLanguage';
import { type Choice, choiceExpectation, chosenValue } from './questionDialog';
import { AWAIT_PASSWORD, CONTINUE } from './registrationIds';
import { addressChangeIn, CHANGE_EMAIL } from './registrationDialog';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { remindAfterMiss } from './missReply';

interface AwaitPasswordState {
  installerId: string;
  /** Messages in a row that were not understood. */
  misses?: number;
}

/**
 * What the step takes besides the password being set on the page: a new link, another address, or
 * "done" / "passordet er satt" (the installer telling that they set it: found playing it through,
 * "ferdig" cancelled the registration and "har satt passord" got the can't-log-in answer).
 * "Passordlenken har gått ut" is the new link too (it was read as the can't-log-in answer, or offered as "later").
 */
const PASSWORD_STEP: ReadonlyArray<Choice<'newLink' | 'done' | typeof CHANGE_EMAIL>> = [
  { value: 'newLink', label: 'registration:password.newLinkButton', intents: ['newLink', 'resend', 'newCode', 'didntGetEmail'], questions: ['passwordLink'] },
  { value: CHANGE_EMAIL, label: 'registration:confirm.option.change', intents: ['changeEmail'] },
  ...['doneWord', 'finishedWord', 'setPhrase', 'setOwnPhrase', 'isSetPhrase', 'isSetShortPhrase', 'chosenPhrase', 'savedPhrase'].map((key) => ({
    value: 'done' as const,
    label: `registration:password.${key}`,
  })),
];

/** The Adaptive Card action that opens the password page as a Teams dialog (task module). */
export const TEAMS_PASSWORD_ACTION = 'choosePassword';

/**
 * The password is never typed in the chat: this step gives a one-time link to the password
 * page (a Teams dialog in Teams, a browser tab elsewhere) and waits until the page reports the
 * password set (event onboarding.passwordSet through the notify path).
 */
export class AwaitPasswordDialog extends Dialog<AwaitPasswordState> implements ExpectingDialog {
  constructor(
    private readonly phrases: Phrases,
    private readonly registration: RegistrationService,
    private readonly installers: InstallerRepository,
  ) {
    super(AWAIT_PASSWORD);
  }

  expects(): PromptExpectation {
    return choiceExpectation(this.phrases.translator, PASSWORD_STEP, ['password', 'email']);
  }

  override async beginDialog(dc: DialogContext, options?: AwaitPasswordState): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { installerId: options!.installerId } satisfies AwaitPasswordState;
    await this.sendLink(dc.context, options!.installerId, 'registration:password.prompt');
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as AwaitPasswordState;
    const { installerId } = state;
    const installer = await this.installers.get(installerId);
    if (!installer) return dc.endDialog(CONTINUE);
    if (installer.stage !== 'new') {
      await this.phrases.send(dc.context, 'registration:password.saved');
      return dc.endDialog(CONTINUE);
    }
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const understanding = turnUnderstanding(dc.context);
    const typed = understanding?.kind === 'answer' && understanding.answer.kind === 'password' ? parseStatedPassword(dc.context.activity.text) : undefined;
    if (typed) {
      state.misses = 0;
      // never stored, never logged: only a hash, so the page refuses it
      await this.registration.rememberPasswordTypedInChat(installerId, typed);
      await this.sendLink(dc.context, installerId, 'registration:password.inChat');
      return Dialog.EndOfTurn;
    }
    // a wrong address ("feil e-post", or the right one typed): registration again, replacing this one
    const change = addressChangeIn(understanding, installerId);
    if (change) return dc.endDialog(change);
    const chosen = chosenValue(understanding, PASSWORD_STEP);
    if (chosen === 'newLink') {
      state.misses = 0;
      await this.sendLink(dc.context, installerId, 'registration:password.newLink', true);
      return Dialog.EndOfTurn;
    }
    if (chosen === 'done') {
      // "done", but the page has not reported a password (when it has, the step went on above): said plainly, with the same link
      state.misses = 0;
      await this.sendLink(dc.context, installerId, 'registration:password.notSetYet');
      return Dialog.EndOfTurn;
    }
    await remindAfterMiss(dc.context, this.phrases, state, 'registration:password.reminder');
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.sendLink(context, (instance.state as AwaitPasswordState).installerId, 'registration:password.prompt');
  }

  /** Shows the step's link (the same one again, so a page the installer has open keeps working); a new one only when asked. */
  private async sendLink(context: TurnContext, installerId: string, key: string, fresh = false): Promise<void> {
    const url = await this.registration.passwordLink(installerId, fresh);
    const text = this.phrases.text(context, key, { minutes: 30 });
    const button = { title: this.phrases.text(context, 'registration:password.button'), url: async () => url, teamsDialog: { action: TEAMS_PASSWORD_ACTION } };
    await context.sendActivity(await pageMessage(context, this.phrases, text, button));
  }
}
