import { type TaskModuleRequest, type TaskModuleResponse, type TurnContext, TeamsActivityHandler, TurnContext as Turn } from 'botbuilder';
import { photosOf } from './photos';
import { DialogSet, DialogTurnStatus, type Dialog } from './dialogs/dialogKit';
import { type Logger, loggableId } from '../logger';
import { isEtagConflict } from '../services/store/documentStore';
import type { HeldLease } from '../services/store/leaseLock';
import { TURN_LEASE } from './middleware/serializeTurns';
import { NOTIFY_TURN, type NotifyTurn } from './notifyTurns';
import { STATION_DIALOG } from './dialogs/stationDialog';
import { isSupportChatKey } from '../services/support/ticketRecord';
import type { BotStates } from './state';
import type { TeamsTaskModules } from './teamsTaskModules';
import type { Phrases } from './turnLanguage';

const TURN_ATTEMPTS = 3;

/**
 * Thin bot: routes activities into the dialogs and saves state once per turn. A save that hits
 * a newer version written by another process (eTag conflict) reloads state and runs the turn
 * again, unless the turn has already sent something.
 */
export class OnboardingBot extends TeamsActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(
    private readonly states: BotStates,
    private readonly root: Dialog,
    private readonly phrases: Phrases,
    private readonly taskModules: TeamsTaskModules,
    private readonly logger: Logger,
  ) {
    super();
    this.dialogs = new DialogSet(states.dialogState);
    this.dialogs.add(root);

    this.onMessage(async (context, next) => {
      if (context.activity.text) Turn.removeRecipientMention(context.activity);
      const images = photosOf(context.activity);
      // a photo alone gets a short answer, unless the step reads photos or support owns the chat (then it goes to the ticket)
      if (images.length > 0 && !context.activity.text?.trim() && !(await this.stepTakesPhotos(context)) && !(await this.supportOwnsChat(context))) {
        for (const image of images) await this.phrases.send(context, 'chat:attachment.received', { name: image.name ?? '' });
      } else {
        await this.runDialogs(context);
      }
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      if (this.someoneJoined(context)) {
        const conversation = await states.conversationData.get(context, {});
        if (!conversation.welcomed) await this.runDialogs(context);
      }
      await next();
    });

    this.onEvent(async (context, next) => {
      const notified = context.turnState.get(NOTIFY_TURN) as NotifyTurn | undefined;
      if (notified) {
        // what the bot says on its own answers no message of the user's: a replyToId would name the
        // made-up id of this event, and Web Chat holds a reply back (about 5 s) waiting for it
        context.onSendActivities(async (_context, activities, nextSend) => {
          for (const activity of activities) delete activity.replyToId;
          return nextSend();
        });
        // a ticket's conversation is reached by the ticket's key: it links no installer
        if (!isSupportChatKey(notified.installerId)) await this.linkInstaller(context, notified.installerId);
        await this.runDialogs(context);
      } else if (context.activity.name?.startsWith('onboarding.')) {
        this.logger.warn({ channelId: loggableId(context.activity.channelId), name: loggableId(context.activity.name) }, 'ignored an onboarding event that did not come from the notify path');
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await super.run(context);
        // the commit point: a turn whose lease another instance took over saves nothing
        await (context.turnState.get(TURN_LEASE) as HeldLease | undefined)?.confirm();
        await this.states.conversationState.saveChanges(context);
        await this.states.userState.saveChanges(context);
        return;
      } catch (error) {
        // a turn that already replied is not run again (its replies would go out twice): the
        // conflict goes on to the error handler, which keeps the state and asks to send it again
        if (!isEtagConflict(error) || attempt >= TURN_ATTEMPTS || context.responded) throw error;
        this.logger.warn({ attempt, channelId: context.activity.channelId }, 'state changed under the turn; running it again');
        await this.states.conversationState.load(context, true);
        await this.states.userState.load(context, true);
      }
    }
  }

  protected override handleTeamsTaskModuleFetch(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return this.taskModules.fetch(context, request.data);
  }

  protected override handleTeamsTaskModuleSubmit(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return this.taskModules.submit(context, request.data);
  }

  /**
   * The notify path only reaches conversations linked to the installer (a conversation that
   * asked for an emailed link is linked once that link is followed): its user follows the installer.
   */
  private async linkInstaller(context: TurnContext, installerId: string): Promise<void> {
    const profile = await this.states.userProfile.get(context, {});
    if (profile.installerId !== installerId) {
      profile.installerId = installerId;
      await this.states.userProfile.set(context, profile);
    }
  }

  /** Whether the question open now reads photos (the on-site step reads a photographed QR code). */
  private async stepTakesPhotos(context: TurnContext): Promise<boolean> {
    let dc = await this.dialogs.createContext(context);
    while (dc.child) dc = dc.child;
    return dc.activeDialog?.id === STATION_DIALOG;
  }

  /** Whether the installer is waiting for or talking with support: what they send goes to the ticket. */
  private async supportOwnsChat(context: TurnContext): Promise<boolean> {
    const handoff = (await this.states.conversationData.get(context, {})).handoff;
    return handoff !== undefined && handoff.mode !== 'email';
  }

  async runDialogs(context: TurnContext): Promise<void> {
    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.root.id);
  }

  /**
   * Web chat and the Emulator announce the user joining; Teams personal chat announces the bot
   * being installed (and sends no locale then, so the root dialog asks for the language).
   */
  private someoneJoined(context: TurnContext): boolean {
    const botId = context.activity.recipient?.id;
    const added = context.activity.membersAdded ?? [];
    return context.activity.channelId === 'msteams' ? added.some((m) => m.id === botId) : added.some((m) => m.id !== botId);
  }
}
