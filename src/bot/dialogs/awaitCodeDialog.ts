import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import { parseEmail } from '../../domain/email';
import { REGION_LINKS, type Region } from '../../domain/journey';
import { LINK_CODE_TTL_MS } from '../../domain/oneTimeCode';
import type { ChatLinkCodes, IssueCodeResult } from '../../services/installers/chatLinkCodes';
import { limitText } from '../../services/limits/waitText';
import { accountKey } from '../../services/notify/conversationReferences';
import { clientAddressOf } from '../turnClientAddress';
import { type Phrases, turnLanguage } from '../turnLanguage';
import { referenceOf } from './conversationReference';
import type { ParsedEmail } from './emailQuestion';
import { type Choice, choiceExpectation, choiceLabelOf, chosenValue, sendChoices } from './questionDialog';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { replyToMiss } from './missReply';
import { AWAIT_CODE } from './registrationIds';

export interface AwaitCodeOptions {
  email: ParsedEmail;
  region: Region;
}

interface AwaitCodeState extends AwaitCodeOptions {
  /** Messages in a row that were not understood. */
  misses?: number;
}

/** What the code step returns: the address is proved to be the user's, or they want another one. */
export type AwaitCodeResult = { kind: 'verified'; email: ParsedEmail } | { kind: 'otherAddress'; email?: ParsedEmail };

export const CODE_ACTIONS: ReadonlyArray<Choice<'newCode' | 'otherAddress'>> = [
  { value: 'newCode', label: 'registration:code.newCodeButton', intents: ['newCode', 'resend', 'newLink'] },
  { value: 'otherAddress', label: 'registration:code.otherAddressButton', intents: ['changeEmail'] },
];

/**
 * Besides the buttons: "ikke fått noen mail", "checked spam too, nothing there". Where the code went (a typo
 * in the address shows), what can be done and a person one tap away; no new code before they ask for it
 * (found playing it through: the spam remark was offered as "support links", and a new code went to the same address).
 */
const CODE_ANSWERS: ReadonlyArray<Choice<'newCode' | 'otherAddress' | 'nothingCame'>> = [
  ...CODE_ACTIONS,
  { value: 'nothingCame', label: 'registration:confirm.didntGetButton', intents: ['didntGetEmail'] },
];

const CHANNEL_NAMES: Record<string, string> = { msteams: 'msteams', webchat: 'webchat', directline: 'webchat', emulator: 'emulator' };

/** The chat account a code belongs to (channel + user): the code works only where it was asked for. */
export function chatAccountOf(context: TurnContext): string {
  return accountKey(referenceOf(context));
}

/**
 * "Type the code from the email": the same answer for every address, registered or not, so a
 * stranger learns nothing. A right code proves the person in this chat reads the mailbox.
 */
export class AwaitCodeDialog extends Dialog<AwaitCodeOptions> implements ExpectingDialog {
  constructor(
    private readonly phrases: Phrases,
    private readonly codes: ChatLinkCodes,
  ) {
    super(AWAIT_CODE);
  }

  expects(): PromptExpectation {
    return choiceExpectation(this.phrases.translator, CODE_ANSWERS, ['code', 'email']);
  }

  override async beginDialog(dc: DialogContext, options?: AwaitCodeOptions): Promise<DialogTurnResult> {
    dc.activeDialog!.state = { ...options! } satisfies AwaitCodeOptions;
    const issued = await this.issue(dc.context, options!);
    if (issued.kind !== 'sent') {
      await this.tellRefused(dc.context, issued);
      return dc.endDialog({ kind: 'otherAddress' } satisfies AwaitCodeResult);
    }
    await this.prompt(dc.context, 'registration:code.sent', options!.email.email);
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn;
    const state = dc.activeDialog!.state as AwaitCodeState;
    const understanding = turnUnderstanding(dc.context);
    const code = understanding?.kind === 'answer' && understanding.answer.kind === 'code' ? understanding.answer.code : undefined;
    if (!code) {
      const action = chosenValue(understanding, CODE_ANSWERS);
      if (action === 'nothingCame') {
        state.misses = 0;
        await this.prompt(dc.context, 'registration:code.nothingCame', state.email.email, true);
        return Dialog.EndOfTurn;
      }
      if (action === 'otherAddress') {
        await this.codes.forgetChat(chatAccountOf(dc.context));
        return dc.endDialog({ kind: 'otherAddress' } satisfies AwaitCodeResult);
      }
      if (action === 'newCode') {
        const issued = await this.issue(dc.context, state);
        if (issued.kind !== 'sent') await this.tellRefused(dc.context, issued);
        else await this.prompt(dc.context, 'registration:code.resent', state.email.email);
        return Dialog.EndOfTurn;
      }
      // a corrected address typed instead of the code ("oops, it's kari@firma.no"): a code goes there instead
      const corrected = understanding?.kind === 'answer' && understanding.answer.kind === 'email' ? parseEmail(understanding.answer.email) : undefined;
      if (corrected?.ok && corrected.id !== state.email.id) {
        await this.codes.forgetChat(chatAccountOf(dc.context));
        return dc.endDialog({ kind: 'otherAddress', email: { email: corrected.email, id: corrected.id } } satisfies AwaitCodeResult);
      }
      state.misses = (state.misses ?? 0) + 1;
      await replyToMiss(dc.context, this.phrases, {
        misses: state.misses,
        shape: 'typed',
        labelOf: (guess) => choiceLabelOf(dc.context, this.phrases, CODE_ANSWERS, guess),
        reask: () => this.prompt(dc.context, 'registration:code.question', state.email.email),
      });
      return Dialog.EndOfTurn;
    }
    state.misses = 0;
    const checked = await this.codes.verify(chatAccountOf(dc.context), code);
    if (checked.kind === 'ok' && checked.id === state.email.id) {
      return dc.endDialog({ kind: 'verified', email: state.email } satisfies AwaitCodeResult);
    }
    if (checked.kind === 'wrong') await this.phrases.send(dc.context, 'registration:code.wrong', { tries: checked.triesLeft });
    else if (checked.kind === 'locked') await this.phrases.send(dc.context, 'registration:code.locked');
    else await this.phrases.send(dc.context, 'registration:code.expired');
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await this.prompt(context, 'registration:code.question', (instance.state as AwaitCodeOptions).email.email);
  }

  private issue(context: TurnContext, options: AwaitCodeOptions): Promise<IssueCodeResult> {
    const language = turnLanguage(context) ?? 'nb';
    const channel = this.phrases.in(language, `email:channels.${CHANNEL_NAMES[context.activity.channelId] ?? 'other'}`);
    const mail = { language, channel, supportUrl: REGION_LINKS[options.region].support[language] };
    return this.codes.issue(chatAccountOf(context), options.email, mail, clientAddressOf(context.activity));
  }

  /** No code sent: enough went to that address this hour, or this chat (or its address) asked too often. */
  private async tellRefused(context: TurnContext, refused: Exclude<IssueCodeResult, { kind: 'sent' }>): Promise<void> {
    if (refused.kind === 'limited') return this.phrases.send(context, 'registration:code.limited', { minutes: refused.minutes });
    const language = turnLanguage(context) ?? 'nb';
    await context.sendActivity(this.phrases.message(context, limitText(this.phrases.translator, language, 'limits:sendLink', refused.retryAfterSeconds)));
  }

  /** The prompt with "New code" / "Other address" as buttons (typing works as well), and "Talk to a person" `withPerson`. */
  private async prompt(context: TurnContext, key: string, email: string, withPerson = false): Promise<void> {
    await sendChoices(context, this.phrases, this.phrases.text(context, key, { email, minutes: LINK_CODE_TTL_MS / 60000 }), CODE_ACTIONS, withPerson);
  }
}
