import { ActivityTypes } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  type DialogContext,
  type DialogTurnResult,
  DialogTurnStatus,
} from './dialogKit';
import { type Command, recognizeCommand } from '../../domain/commands';
import { isTooLong, MAX_MESSAGE_LENGTH } from '../../domain/input';
import type { Installer } from '../../domain/installer';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { RegistrationService } from '../../services/installers/registrationService';
import { linksFor, renderStatus, sayNextStep } from '../journeyStatus';
import type { BotStates } from '../state';
import { type Phrases, setTurnLanguage, turnLanguage } from '../turnLanguage';
import { maskEmail } from '../../domain/email';
import { choiceMessage } from '../cards';
import { regionOfOpenRegistration, setRegionOfOpenRegistration } from './registrationDialog';

export interface BaseDialogDeps {
  phrases: Phrases;
  states: BotStates;
  installers: InstallerRepository;
  registration: RegistrationService;
}

/** "delete everything" must follow "delete my data" within this time. */
export const DELETE_CONFIRM_MS = 5 * 60 * 1000;

/**
 * The global commands, once, for every step below it (core-bot's CancelAndHelpDialog):
 * help/hjelp, cancel/avbryt, restart/start på nytt, status/fremdrift, language/språk,
 * English/norsk and agent/menneske. They interrupt whatever question is open and, except
 * cancel and restart, ask it again afterwards.
 */
export abstract class BaseDialog extends ComponentDialog {
  constructor(
    id: string,
    protected readonly deps: BaseDialogDeps,
  ) {
    super(id);
  }

  /** The id of the question that asks for the language (answers there are not commands). */
  protected abstract readonly languageQuestionId: string;

  protected async linkedInstaller(dc: DialogContext): Promise<Installer | undefined> {
    const profile = await this.deps.states.userProfile.get(dc.context, {});
    return profile.installerId ? this.deps.installers.get(profile.installerId) : undefined;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    // a first message that is too long is answered so, and the conversation starts as it would
    if (await this.refusedTooLong(innerDc)) return super.onBeginDialog(innerDc, options);
    const command = this.commandIn(innerDc);
    if (command?.kind === 'confirmDelete' && (await this.deletePending(innerDc))) {
      await this.deleteEverything(innerDc);
      return { status: DialogTurnStatus.complete };
    }
    if (command && command.kind !== 'cancel' && command.kind !== 'restart') {
      const proceed = await this.runCommand(innerDc, command, undefined);
      if (!proceed) return { status: DialogTurnStatus.complete };
    }
    return super.onBeginDialog(innerDc, options);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    if (await this.refusedTooLong(innerDc)) {
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const command = this.commandIn(innerDc);
    const topic = this.activeTopic(innerDc);
    // "English"/"norsk" typed to the language question is its answer, not an interruption
    if (!command || (command.kind === 'setLanguage' && topic === this.languageQuestionId)) return super.onContinueDialog(innerDc);
    if (command.kind === 'cancel') {
      await innerDc.cancelAllDialogs();
      await this.deps.phrases.send(innerDc.context, 'chat:command.cancelled');
      return { status: DialogTurnStatus.cancelled };
    }
    if (command.kind === 'confirmDelete' && (await this.deletePending(innerDc))) {
      await this.deleteEverything(innerDc);
      return { status: DialogTurnStatus.cancelled };
    }
    if (command.kind === 'restart') {
      await innerDc.cancelAllDialogs();
      await this.deps.phrases.send(innerDc.context, 'chat:command.restarting');
      return innerDc.beginDialog(this.initialDialogId);
    }
    const reprompt = await this.runCommand(innerDc, command, topic);
    if (reprompt) await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }

  private async deletePending(dc: DialogContext): Promise<boolean> {
    const requestedAt = (await this.deps.states.conversationData.get(dc.context, {})).deleteRequestedAt;
    return requestedAt !== undefined && Date.now() - requestedAt <= DELETE_CONFIRM_MS;
  }

  /** Deletes the installer's registration and everything this bot keeps about the user, then ends. */
  private async deleteEverything(dc: DialogContext): Promise<void> {
    const { states, registration, phrases } = this.deps;
    const profile = await states.userProfile.get(dc.context, {});
    if (profile.installerId) await registration.deleteInstaller(profile.installerId);
    await dc.cancelAllDialogs();
    await states.userState.delete(dc.context);
    await states.conversationState.delete(dc.context);
    await phrases.send(dc.context, 'chat:delete.done');
  }

  /**
   * Every message enters the dialogs here, before any command or answer is parsed: one longer
   * than the assistant reads is answered "too long" (in the user's language) and goes no further.
   */
  private async refusedTooLong(dc: DialogContext): Promise<boolean> {
    const activity = dc.context.activity;
    // a text that is not a string (only a forged activity has one) is read as an empty message
    if (activity.text !== undefined && activity.text !== null && typeof activity.text !== 'string') activity.text = '';
    if (activity.type !== ActivityTypes.Message || !isTooLong(activity.text)) return false;
    await this.deps.phrases.send(dc.context, 'input:tooLong', { max: MAX_MESSAGE_LENGTH });
    return true;
  }

  private commandIn(dc: DialogContext): Command | undefined {
    const { type, text } = dc.context.activity;
    return type === ActivityTypes.Message ? recognizeCommand(text) : undefined;
  }

  /** The id of the innermost active dialog: the question the user is looking at. */
  private activeTopic(innerDc: DialogContext): string | undefined {
    let dc: DialogContext = innerDc;
    while (dc.child) dc = dc.child;
    return dc.activeDialog?.id;
  }

  /** Carries out a non-ending command; true when the open question should be asked again. */
  private async runCommand(dc: DialogContext, command: Command, topic: string | undefined): Promise<boolean> {
    const { phrases } = this.deps;
    const context = dc.context;
    switch (command.kind) {
      case 'help': {
        const topicKey = `chat:help.topics.${topic ?? ''}`;
        const specific = topic && phrases.translator.has('nb', topicKey) ? phrases.text(context, topicKey) + '\n\n' : '';
        await context.sendActivity(phrases.message(context, specific + phrases.text(context, 'chat:help.general')));
        return true;
      }
      case 'status': {
        // with a question open, the question asked again next is the next step: the status leaves it out
        await context.sendActivity(phrases.message(context, renderStatus(context, phrases, await this.linkedInstaller(dc), topic === undefined)));
        return true;
      }
      case 'language': {
        const labels = [phrases.in('nb', 'chat:language.nb'), phrases.in('en', 'chat:language.en')];
        const question = `${phrases.in('nb', 'chat:language.question')}\n\n${phrases.in('en', 'chat:language.question')}`;
        // "Norsk"/"English" are commands anywhere: listed without numbers where there are no buttons
        await context.sendActivity(choiceMessage(context, phrases, question, labels, { numbered: false }));
        return false;
      }
      case 'setLanguage': {
        const profile = await this.deps.states.userProfile.get(context, {});
        profile.language = command.language;
        profile.languageExplicit = true;
        await this.deps.states.userProfile.set(context, profile);
        // the pages and emails of the registration follow the chat's language from now on
        if (profile.installerId) await this.deps.installers.update(profile.installerId, (current) => ({ ...current, language: command.language }));
        setTurnLanguage(context, command.language);
        await phrases.send(context, 'chat:language.switched');
        return true;
      }
      case 'region': {
        // the registered region, or the one chosen for the registration under way (its address not proved yet)
        const installer = await this.linkedInstaller(dc);
        const open = regionOfOpenRegistration(dc);
        const current = open.region ?? installer?.region;
        if (!current) {
          // the region question itself is on screen: it is simply asked again
          if (!open.open) await phrases.send(context, 'chat:region.notYet');
          return true;
        }
        const regionName = (region: string) => phrases.text(context, `registration:region.${region}`);
        if (!command.region) {
          const other = current === 'na' ? 'global' : 'na';
          const button = `${phrases.text(context, 'chat:region.commandWord')} ${regionName(other)}`;
          // before anything is registered the region is only chosen, not registered
          const key = installer ? 'chat:region.current' : 'chat:region.chosen';
          const text = phrases.text(context, key, { region: regionName(current), change: button });
          await context.sendActivity(choiceMessage(context, phrases, text, [button], { numbered: false }));
          return false;
        }
        const region = command.region;
        setRegionOfOpenRegistration(dc, region);
        if (installer) await this.deps.installers.update(installer.id, (record) => ({ ...record, region }));
        await phrases.send(context, 'chat:region.changed', { region: regionName(region) });
        return true;
      }
      case 'cancel':
      case 'restart':
        // handled by onContinueDialog; at the very start there is nothing to cancel or restart
        return true;
      case 'deleteData':
      case 'confirmDelete': {
        const conversation = await this.deps.states.conversationData.get(context, {});
        conversation.deleteRequestedAt = Date.now();
        await this.deps.states.conversationData.set(context, conversation);
        await context.sendActivity(choiceMessage(context, phrases, phrases.text(context, 'chat:delete.confirm'), [phrases.text(context, 'chat:delete.button')], { numbered: false }));
        return false;
      }
      case 'station': {
        // an installer with an account is in the station step already (the question is asked again);
        // before that, say what has to come first
        const installer = await this.linkedInstaller(dc);
        if (installer?.stage !== 'active') {
          const next = topic === undefined ? sayNextStep(context, phrases, installer?.stage ?? 'new') : '';
          await context.sendActivity(phrases.message(context, phrases.text(context, 'chat:station.notYet', { next }).trim()));
        }
        return true;
      }
      case 'exportData': {
        const installer = await this.linkedInstaller(dc);
        const exported = installer ? await this.deps.registration.exportData(installer.id) : undefined;
        if (exported) await phrases.send(context, 'chat:export.sent', { email: maskEmail(exported.email) });
        else await phrases.send(context, 'chat:export.none');
        return true;
      }
      case 'human': {
        const installer = await this.linkedInstaller(dc);
        await phrases.send(context, 'chat:human.contact', { supportUrl: linksFor(installer).support[turnLanguage(context) ?? installer?.language ?? 'nb'] });
        return true;
      }
    }
  }
}
