import { ActivityTypes, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  type DialogContext,
  type DialogTurnResult,
  DialogTurnStatus,
} from './dialogKit';
import { isTooLong, MAX_MESSAGE_LENGTH } from '../../domain/input';
import { type Region, suggestRegion } from '../../domain/journey';
import type { Installer } from '../../domain/installer';
import type { Language } from '../../domain/language';
import { FAQ_UNKNOWN, type FaqId } from '../../domain/faq';
import type { Expectation, GlobalIntent, Understanding } from '../../domain/understanding';
import { looksLikeQuestion } from '../../domain/understandingDecision';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { RegistrationService } from '../../services/installers/registrationService';
import type { Understander } from '../../services/understanding/understander';
import type { CourseJourney } from '../../services/courses/courseJourney';
import type { StationService } from '../../services/stations/stationService';
import { faqAnswer } from '../faqAnswer';
import { linksFor, renderStatus, sayNextStep } from '../journeyStatus';
import { progressThisTurn } from '../courseList';
import type { BotStates } from '../state';
import { type Phrases, setTurnLanguage, turnLanguage } from '../turnLanguage';
import { asPromptAnswer, isExpectingDialog, type PromptExpectation, setTurnUnderstanding, turnOffers } from '../turnUnderstanding';
import { maskEmail } from '../../domain/email';
import { choiceMessage } from '../cards';
import { choiceExpectation, chosenValue } from './questionDialog';
import { REGION_CHOICES, regionOfOpenRegistration, setRegionOfOpenRegistration } from './registrationDialog';
import type { SupportService } from '../../services/support/supportService';
import type { ConversationReferences } from '../../services/notify/conversationReferences';
import type { RecentMessages } from '../../services/support/recentMessages';
import { HumanHandoff } from '../handoff';
import { FORGET_RECENT_MESSAGES } from '../middleware/recordRecentMessages';
import { isProfileFormSubmit, PROFILE_DIALOG, type ProfileOptions } from './profileDialog';
import { profileFieldNamed } from '../../domain/profileFields';
import { hasReached } from '../../domain/journey';

export interface BaseDialogDeps {
  phrases: Phrases;
  states: BotStates;
  installers: InstallerRepository;
  registration: RegistrationService;
  understander: Understander;
  /** The progress per course, for status while the installer is in the courses. */
  courses?: Pick<CourseJourney, 'progressInTurn'>;
  support: SupportService;
  references: ConversationReferences;
  recentMessages: RecentMessages;
  /** The installer's stations (status counts them, a ticket lists the latest). */
  stations: Pick<StationService, 'localized' | 'localizedCount'>;
}

/** The answer "delete everything" to the delete confirmation (the button, or its words). */
const CONFIRM_DELETE = 'confirmDelete';

/** Intents that change or end something, send personal data or open a ticket for support: taken only when the reading is this sure, else offered as a guess. */
const CAREFUL_INTENTS: readonly GlobalIntent[] = ['language.nb', 'language.en', 'cancel', 'restart', 'deleteData', 'exportData', 'human'];
const CAREFUL_SCORE = 0.8;

/** Intents that at the very start of a conversation simply start it. */
const STARTS_THE_CONVERSATION: readonly GlobalIntent[] = ['cancel', 'restart', 'greeting', 'thanks', 'later'];

/** Intents that, said after a step ended (the conversation welcomed before), get their reply and start nothing. */
const REPLIES_AFTER_A_STEP: readonly GlobalIntent[] = ['thanks', 'later'];

/** "delete everything" must follow "delete my data" within this time. */
export const DELETE_CONFIRM_MS = 5 * 60 * 1000;

/**
 * Understanding, once, for every step below it (core-bot's CancelAndHelpDialog): each message is
 * understood once against what the open prompt expects. An answer goes to the prompt; a global
 * intent (help, cancel, restart, status, language, a person, delete/export my data, region,
 * greeting, thanks, "I have a question", "I'm on site", "I'll do it later") or a question from the guide interrupts it, and the prompt is
 * asked again afterwards (except after cancel, restart and "later").
 */
export abstract class BaseDialog extends ComponentDialog {
  private readonly handoff: HumanHandoff;

  constructor(
    id: string,
    protected readonly deps: BaseDialogDeps,
  ) {
    super(id);
    this.handoff = new HumanHandoff(deps);
  }

  protected async linkedInstaller(dc: DialogContext): Promise<Installer | undefined> {
    const profile = await this.deps.states.userProfile.get(dc.context, {});
    return profile.installerId ? this.deps.installers.get(profile.installerId) : undefined;
  }

  protected override async onBeginDialog(innerDc: DialogContext, options?: object): Promise<DialogTurnResult> {
    // an agent owns the conversation (its messages go to the ticket), or a support event: nothing else runs
    const handoff = await this.handoff.turn(innerDc);
    if (handoff === 'done') return { status: DialogTurnStatus.complete };
    // back from support (the message was for support: it is not read again), where the installer is
    if (handoff === 'resume') return super.onBeginDialog(innerDc, options);
    // a first message that is too long is answered so, and the conversation starts as it would
    if (await this.refusedTooLong(innerDc)) return super.onBeginDialog(innerDc, options);
    if (await this.refusedClosedForm(innerDc)) return { status: DialogTurnStatus.complete };
    const understanding = await this.understandTurn(innerDc);
    if (understanding?.kind === 'intent' && understanding.intent === 'changeProfile') {
      const request = await this.profileEditRequest(innerDc);
      if (request) return this.keepingOffers(innerDc, await super.onBeginDialog(innerDc, request));
    }
    if (this.confirmsDelete(understanding) && (await this.deletePending(innerDc))) {
      await this.deleteEverything(innerDc);
      return { status: DialogTurnStatus.complete };
    }
    if (understanding?.kind === 'faq') await this.answerQuestion(innerDc, understanding.question);
    if (understanding?.kind === 'intent' && REPLIES_AFTER_A_STEP.includes(understanding.intent) && (await this.deps.states.conversationData.get(innerDc.context, {})).welcomed) {
      // "takk for hjelpa" or "tar det senere" after a step ended ("ferdig"): a reply, not the step's question all over again
      await this.runIntent(innerDc, understanding.intent, undefined);
      return this.keepingOffers(innerDc, { status: DialogTurnStatus.complete });
    }
    if (understanding?.kind === 'intent' && !STARTS_THE_CONVERSATION.includes(understanding.intent)) {
      const proceed = await this.runIntent(innerDc, understanding.intent, undefined);
      if (!proceed) return this.keepingOffers(innerDc, { status: DialogTurnStatus.complete });
    }
    return this.keepingOffers(innerDc, await super.onBeginDialog(innerDc, options));
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const handoff = await this.handoff.turn(innerDc);
    if (handoff === 'done') return Dialog.EndOfTurn;
    if (handoff === 'resume') {
      // back from support: the question the installer was at, asked again
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (handoff === 'restart') {
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(this.initialDialogId);
    }
    if (await this.refusedTooLong(innerDc)) {
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (await this.refusedClosedForm(innerDc)) {
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const understanding = await this.understandTurn(innerDc);
    return this.keepingOffers(innerDc, await this.actOn(innerDc, understanding));
  }

  private async actOn(innerDc: DialogContext, understanding: Understanding | undefined): Promise<DialogTurnResult> {
    if (this.confirmsDelete(understanding) && (await this.deletePending(innerDc))) {
      await this.deleteEverything(innerDc);
      return { status: DialogTurnStatus.cancelled };
    }
    if (understanding?.kind === 'faq' || (understanding?.kind === 'none' && understanding.guesses.length === 0 && looksLikeQuestion(innerDc.context.activity.text ?? ''))) {
      await this.answerQuestion(innerDc, understanding.kind === 'faq' ? understanding.question : FAQ_UNKNOWN, this.activeTopic(innerDc));
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (understanding?.kind !== 'intent') return super.onContinueDialog(innerDc);
    if (understanding.intent === 'cancel') {
      await innerDc.cancelAllDialogs();
      await this.deps.phrases.send(innerDc.context, 'chat:command.cancelled');
      return { status: DialogTurnStatus.cancelled };
    }
    if (understanding.intent === 'restart') {
      await innerDc.cancelAllDialogs();
      await this.deps.phrases.send(innerDc.context, 'chat:command.restarting');
      return innerDc.beginDialog(this.initialDialogId);
    }
    if (understanding.intent === 'changeProfile') {
      // the profile step starts over the open question; the root routes on once it is saved
      const request = await this.profileEditRequest(innerDc);
      if (request) {
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(this.initialDialogId, request);
      }
    }
    const reprompt = await this.runIntent(innerDc, understanding.intent, this.activeTopic(innerDc));
    if (reprompt) await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }

  /** "endre profil", "change my phone": the profile step for the linked installer, once the address is confirmed. */
  private async profileEditRequest(dc: DialogContext): Promise<ProfileOptions | undefined> {
    const installer = await this.linkedInstaller(dc);
    if (!installer || !hasReached(installer.stage, 'confirmed')) return undefined;
    const context = dc.context;
    return { installerId: installer.id, edit: true, field: profileFieldNamed(context.activity.text ?? '', this.language(context)) };
  }

  /** A profile form's submit when the profile step is not open (it was saved, or left): a note, nothing else. */
  private async refusedClosedForm(dc: DialogContext): Promise<boolean> {
    if (!isProfileFormSubmit(dc.context) || this.activeTopic(dc) === PROFILE_DIALOG) return false;
    await this.deps.phrases.send(dc.context, 'profile:card.closed');
    return true;
  }

  /**
   * Understands the message once against what the open prompt expects (and the delete
   * confirmation, when one is pending), and keeps the result for the prompt. A tap on a "did you
   * mean" button is the guess it stands for.
   */
  private async understandTurn(dc: DialogContext): Promise<Understanding | undefined> {
    const context = dc.context;
    const { type, text } = context.activity;
    const conversation = await this.deps.states.conversationData.get(context, {});
    const offers = conversation.offers;
    if (offers) {
      conversation.offers = undefined;
      await this.deps.states.conversationData.set(context, conversation);
    }
    if (type !== ActivityTypes.Message || typeof text !== 'string' || !text.trim()) {
      setTurnUnderstanding(context, undefined);
      return undefined;
    }
    const prompt = this.activePrompt(dc);
    const tapped = offers?.find((offer) => offer.label === text.trim());
    let understanding = asPromptAnswer(
      tapped ? { ...tapped.guess, score: 1 } : await this.deps.understander.understand(text, await this.withDeleteConfirmation(dc, prompt?.expectation ?? {}), this.language(context)),
      prompt,
    );
    if (understanding.kind === 'intent' && CAREFUL_INTENTS.includes(understanding.intent) && understanding.score < CAREFUL_SCORE) {
      understanding = { kind: 'none', guesses: [understanding] };
    }
    // before the address is confirmed there is no profile: "firma" in an address is no request to change one (a clear "endre profil" is told so)
    if (understanding.kind === 'intent' && understanding.intent === 'changeProfile' && understanding.score < CAREFUL_SCORE && !(await this.profileEditRequest(dc))) {
      understanding = { kind: 'none', guesses: [] };
    }
    setTurnUnderstanding(context, understanding);
    return understanding;
  }

  /** The language messages are understood in (and ranked by): the chat's, Norwegian before it is known. */
  private language(context: TurnContext): Language {
    return turnLanguage(context) ?? 'nb';
  }

  /** What the question on screen expects, when it says. */
  private activePrompt(dc: DialogContext): PromptExpectation | undefined {
    let inner: DialogContext = dc;
    while (inner.child) inner = inner.child;
    const active = inner.activeDialog;
    const dialog = active ? inner.findDialog(active.id) : undefined;
    return active && isExpectingDialog(dialog) ? dialog.expects(inner.context, active.state) : undefined;
  }

  private async withDeleteConfirmation(dc: DialogContext, expectation: Expectation): Promise<Expectation> {
    if (!(await this.deletePending(dc))) return expectation;
    const { translator } = this.deps.phrases;
    const confirm = { value: CONFIRM_DELETE, utterances: { nb: [translator.t('nb', 'chat:delete.button')], en: [translator.t('en', 'chat:delete.button')] } };
    return { ...expectation, choices: [...(expectation.choices ?? []), confirm] };
  }

  private confirmsDelete(understanding: Understanding | undefined): boolean {
    return understanding?.kind === 'answer' && understanding.answer.kind === 'choice' && understanding.answer.value === CONFIRM_DELETE;
  }

  /** Keeps this turn's "did you mean" buttons for the next message. */
  private async keepingOffers(dc: DialogContext, result: DialogTurnResult): Promise<DialogTurnResult> {
    const offers = turnOffers(dc.context);
    if (offers) {
      const conversation = await this.deps.states.conversationData.get(dc.context, {});
      conversation.offers = offers;
      await this.deps.states.conversationData.set(dc.context, conversation);
    }
    return result;
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
    // what this chat said (kept for a support ticket) goes as well, this turn's words included
    dc.context.turnState.set(FORGET_RECENT_MESSAGES, true);
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

  /** The id of the innermost active dialog: the question the user is looking at. */
  private activeTopic(innerDc: DialogContext): string | undefined {
    let dc: DialogContext = innerDc;
    while (dc.child) dc = dc.child;
    return dc.activeDialog?.id;
  }

  /**
   * The guide's answer (or the honest "I don't know that"), with the links of the installer's region or the likely one;
   * the open step's own answer where it has one (`step`: the question on screen).
   */
  private async answerQuestion(dc: DialogContext, question: FaqId | typeof FAQ_UNKNOWN, step?: string): Promise<void> {
    const context = dc.context;
    const installer = await this.linkedInstaller(dc);
    const region: Region = installer?.region ?? regionOfOpenRegistration(dc).region ?? suggestRegion(context.activity.locale);
    const answerIn = (language: Language) => faqAnswer(this.deps.phrases.translator, question, language, region, step);
    const language = turnLanguage(context) ?? installer?.language;
    // before the chat's language is known, in both (as every text then)
    await context.sendActivity(this.deps.phrases.message(context, language ? answerIn(language) : `${answerIn('nb')}\n\n${answerIn('en')}`));
  }

  /** The region a "change region" message names ("region europa", "wrong region, I'm in Texas"), if any. */
  private async regionNamed(context: TurnContext): Promise<Region | undefined> {
    const { expectation } = choiceExpectation(this.deps.phrases.translator, REGION_CHOICES, ['region']);
    const reading = await this.deps.understander.understand(context.activity.text ?? '', expectation, this.language(context));
    if (reading.kind !== 'answer' || reading.score < 0.9) return undefined;
    const answer = reading.answer;
    if (answer.kind === 'region') return answer.region;
    return chosenValue(reading, REGION_CHOICES);
  }

  /** Carries out a global intent (not cancel or restart); true when the open question should be asked again. */
  private async runIntent(dc: DialogContext, intent: GlobalIntent, topic: string | undefined): Promise<boolean> {
    const { phrases } = this.deps;
    const context = dc.context;
    switch (intent) {
      case 'help': {
        const topicKey = `chat:help.topics.${topic ?? ''}`;
        const specific = topic && phrases.translator.has('nb', topicKey) ? phrases.text(context, topicKey) + '\n\n' : '';
        // a person is one tap away from help
        await context.sendActivity(choiceMessage(context, phrases, specific + phrases.text(context, 'chat:help.general'), [phrases.text(context, 'chat:guess.human')], { numbered: false }));
        return true;
      }
      case 'status': {
        // with a question open, the question asked again next is the next step: the status leaves it out
        const installer = await this.linkedInstaller(dc);
        const courses = installer?.stage === 'courses_in_progress' && this.deps.courses ? await progressThisTurn(context, this.deps.courses, installer.id) : undefined;
        const stations = installer ? await this.deps.stations.localizedCount(installer.id) : 0;
        await context.sendActivity(phrases.message(context, renderStatus(context, phrases, installer, topic === undefined, courses, stations)));
        return true;
      }
      case 'language': {
        const labels = [phrases.in('nb', 'chat:language.nb'), phrases.in('en', 'chat:language.en')];
        const question = `${phrases.in('nb', 'chat:language.question')}\n\n${phrases.in('en', 'chat:language.question')}`;
        // "Norsk"/"English" are commands anywhere: listed without numbers where there are no buttons
        await context.sendActivity(choiceMessage(context, phrases, question, labels, { numbered: false }));
        return false;
      }
      case 'language.nb':
      case 'language.en': {
        const language: Language = intent === 'language.nb' ? 'nb' : 'en';
        const already = turnLanguage(context) === language;
        const profile = await this.deps.states.userProfile.get(context, {});
        profile.language = language;
        profile.languageExplicit = true;
        await this.deps.states.userProfile.set(context, profile);
        // the pages and emails of the registration follow the chat's language from now on
        if (profile.installerId) await this.deps.installers.update(profile.installerId, (current) => ({ ...current, language }));
        setTurnLanguage(context, language);
        // "english" typed in an English chat (often an answer given too early): no switch to announce
        await phrases.send(context, already ? 'chat:language.already' : 'chat:language.switched');
        return true;
      }
      case 'changeRegion':
        return this.changeRegion(dc);
      case 'cancel':
      case 'restart':
        // handled by onContinueDialog; at the very start there is nothing to cancel or restart
        return true;
      case 'deleteData': {
        const conversation = await this.deps.states.conversationData.get(context, {});
        conversation.deleteRequestedAt = Date.now();
        await this.deps.states.conversationData.set(context, conversation);
        await context.sendActivity(choiceMessage(context, phrases, phrases.text(context, 'chat:delete.confirm'), [phrases.text(context, 'chat:delete.button')], { numbered: false }));
        return false;
      }
      case 'onSite': {
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
        return this.handoff.open(context, installer, regionOfOpenRegistration(dc).region);
      }
      case 'greeting':
        await phrases.send(context, 'chat:smalltalk.greeting');
        return true;
      case 'thanks':
        await phrases.send(context, 'chat:smalltalk.thanks');
        return true;
      case 'later': {
        // "tar det senere", "no time right now": fine, nothing is lost (the open step stays open, so the
        // next message carries on there). While the courses are prepared the chat says when they are ready.
        const installer = await this.linkedInstaller(dc);
        const waiting = installer?.stage === 'profile_complete' ? [phrases.text(context, 'chat:smalltalk.laterWhileCoursesPrepared')] : [];
        await context.sendActivity(phrases.message(context, [phrases.text(context, 'chat:smalltalk.later'), ...waiting].join('\n\n')));
        // The open question is not asked again: they are leaving, and a question now would ask for an
        // answer they just said they cannot give. It is asked again when they come back ("hei") or answered then.
        return false;
      }
      case 'askQuestion':
        // the question comes next (a guide question is answered, then the open question asked again); a person is one tap away.
        // The open question is not repeated now: it would ask for an answer when the user is about to ask something
        await context.sendActivity(choiceMessage(context, phrases, phrases.text(context, 'chat:smalltalk.askQuestion'), [phrases.text(context, 'chat:guess.human')], { numbered: false }));
        return false;
      case 'resend':
      case 'newCode':
      case 'newLink':
      case 'didntGetEmail':
        // the steps that send something take these as answers; anywhere else nothing is waiting to be sent
        await phrases.send(context, 'chat:notHere.resend');
        return true;
      case 'changeProfile': {
        // before the address is confirmed there is no profile to change yet (afterwards the profile step starts)
        const installer = await this.linkedInstaller(dc);
        const next = topic === undefined ? sayNextStep(context, phrases, installer?.stage ?? 'new') : '';
        await context.sendActivity(phrases.message(context, phrases.text(context, 'profile:notYet', { next }).trim()));
        return true;
      }
      case 'changeEmail': {
        // before an address is given it is asked for; once the account is confirmed, support changes it
        const installer = await this.linkedInstaller(dc);
        if (installer && installer.stage !== 'new' && installer.stage !== 'registered') {
          await phrases.send(context, 'chat:notHere.changeEmailSupport', { supportUrl: linksFor(installer).support[turnLanguage(context) ?? installer.language] });
        } else await phrases.send(context, 'chat:notHere.changeEmailLater');
        return true;
      }
    }
  }

  /** Shows the region (with a button to change it), or changes it when the message names one. */
  private async changeRegion(dc: DialogContext): Promise<boolean> {
    const { phrases } = this.deps;
    const context = dc.context;
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
    const region = await this.regionNamed(context);
    if (!region) {
      const other = current === 'na' ? 'global' : 'na';
      const button = `${phrases.text(context, 'chat:region.commandWord')} ${regionName(other)}`;
      // before anything is registered the region is only chosen, not registered
      const key = installer ? 'chat:region.current' : 'chat:region.chosen';
      const text = phrases.text(context, key, { region: regionName(current), change: button });
      await context.sendActivity(choiceMessage(context, phrases, text, [button], { numbered: false }));
      return false;
    }
    setRegionOfOpenRegistration(dc, region);
    if (installer) await this.deps.installers.update(installer.id, (record) => ({ ...record, region }));
    await phrases.send(context, 'chat:region.changed', { region: regionName(region) });
    return true;
  }
}
