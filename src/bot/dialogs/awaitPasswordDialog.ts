import { parseStatedPassword } from '../../domain/statedPassword';
import { VOCABULARY } from '../../domain/vocabulary';
import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { RegistrationService } from '../../services/installers/registrationService';
import { pageMessage } from '../cards';
import type { Phrases } from '../turnLanguage';
import { type Choice, matchChoice } from './questionDialog';
import { AWAIT_PASSWORD, CONTINUE } from './registrationIds';
import { addressChangeIn } from './registrationDialog';

interface AwaitPasswordState {
  installerId: string;
}

const NEW_LINK: ReadonlyArray<Choice<'newLink'>> = [
  {
    value: 'newLink',
    label: 'registration:password.newLinkButton',
    synonyms: VOCABULARY.newLink,
  },
];

/** The Adaptive Card action that opens the password page as a Teams dialog (task module). */
export const TEAMS_PASSWORD_ACTION = 'choosePassword';

/**
 * The password is never typed in the chat: this step gives a one-time link to the password
 * page (a Teams dialog in Teams, a browser tab elsewhere) and waits until the page reports the
 * password set (event onboarding.passwordSet through the notify path).
 */
export class AwaitPasswordDialog extends Dialog<AwaitPasswordState> {
  constructor(
    private readonly phrases: Phrases,
    private readonly registration: RegistrationService,
    private readonly installers: InstallerRepository,
  ) {
    super(AWAIT_PASSWORD);
  }

  override async beginDialog(dc: DialogContext, options?: AwaitPasswordState): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { installerId: options!.installerId } satisfies AwaitPasswordState;
    await this.sendLink(dc.context, options!.installerId, 'registration:password.prompt');
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const { installerId } = dc.activeDialog!.state as AwaitPasswordState;
    const installer = await this.installers.get(installerId);
    if (!installer) return dc.endDialog(CONTINUE);
    if (installer.stage !== 'new') {
      await this.phrases.send(dc.context, 'registration:password.saved');
      return dc.endDialog(CONTINUE);
    }
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const typed = parseStatedPassword(dc.context.activity.text);
    if (typed) {
      // never stored, never logged: only a hash, so the page refuses it
      await this.registration.rememberPasswordTypedInChat(installerId, typed);
      await this.sendLink(dc.context, installerId, 'registration:password.inChat');
      return Dialog.EndOfTurn;
    }
    // a wrong address ("feil e-post", or the right one typed): registration again, replacing this one
    const change = addressChangeIn(dc.context.activity.text, installerId);
    if (change) return dc.endDialog(change);
    if (matchChoice(dc.context.activity.text, NEW_LINK, (k) => this.phrases.translator.all(k))) {
      await this.sendLink(dc.context, installerId, 'registration:password.newLink', true);
    } else {
      await this.phrases.send(dc.context, 'registration:password.reminder');
    }
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
