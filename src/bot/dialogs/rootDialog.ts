import { type DialogTurnResult, WaterfallDialog, type WaterfallStepContext } from './dialogKit';
import { isLanguage, type Language } from '../../domain/language';
import type { ChatLinkCodes } from '../../services/installers/chatLinkCodes';
import type { RegistrationService } from '../../services/installers/registrationService';
import type { QrImageReader } from '../../services/stations/qrImageReader';
import type { Limits } from '../../services/limits/limits';
import type { StationService } from '../../services/stations/stationService';
import { StationDialog } from './stationDialog';
import { STAGE_ROUTES, type StageRoutes, stepOptions } from './stageRoutes';
import { CoursesDialog } from './coursesDialog';
import type { CourseJourney } from '../../services/courses/courseJourney';
import { nextStepSaid, sayNextStep } from '../journeyStatus';
import { setTurnLanguage, turnLanguage } from '../turnLanguage';
import { AwaitConfirmationDialog, CONFIRM_OPTION_CHOICES } from './awaitConfirmationDialog';
import { AwaitPasswordDialog } from './awaitPasswordDialog';
import { AWAIT_INVITATION, AwaitInvitationDialog, opensAwaitInvitation } from './awaitInvitationDialog';
import type { Invitations } from '../../services/account/invitations';
import { BaseDialog, type BaseDialogDeps } from './baseDialog';
import { EmailCheckQuestion } from './emailCheckQuestion';
import { EmailQuestion } from './emailQuestion';
import { ChoiceQuestion, YES_NO } from './questionDialog';
import { AwaitCodeDialog } from './awaitCodeDialog';
import { type ChangeAddressRequest, isChangeAddressRequest, RegistrationDialog, type RegistrationOptions } from './registrationDialog';
import { RegionQuestion } from './regionQuestion';
import { isProfileEditRequest, PROFILE_DIALOG, ProfileDialog } from './profileDialog';
import type { ProfileService } from '../../services/profile/profileService';
import {
  CONFIRM_OPTIONS,
  CONTINUE,
  EMAIL_CHECK,
  EMAIL_QUESTION,
  REGION_QUESTION,
  REGISTRATION,
} from './registrationIds';

export const ROOT_DIALOG = 'root';
const MAIN = 'root.main';
export const LANGUAGE_QUESTION = 'language';
export const START_QUESTION = 'start';

export interface RootDialogDeps extends BaseDialogDeps {
  registration: RegistrationService;
  linkCodes: ChatLinkCodes;
  stations: StationService;
  qrReader: QrImageReader;
  limits: Pick<Limits, 'takeAll'>;
  /** Stage → step (tests may route differently); STAGE_ROUTES by default. */
  routes?: StageRoutes;
  invitations: Invitations;
  courses: CourseJourney;
  profile: ProfileService;
}

/**
 * The conversation's entry: makes sure a language is known, welcomes once, and routes to the
 * step of the journey the linked installer is at, by the table in stageRoutes.ts. A step that finishes returns CONTINUE and the
 * root routes again, so events (password set, email confirmed) move the conversation on.
 */
export class RootDialog extends BaseDialog {
  private readonly routes: StageRoutes;

  constructor(deps: RootDialogDeps) {
    super(ROOT_DIALOG, deps);
    this.routes = deps.routes ?? STAGE_ROUTES;
    const { phrases, states, installers, registration, linkCodes, stations, qrReader, invitations, courses } = deps;
    this.addDialog(
      new ChoiceQuestion<Language>(LANGUAGE_QUESTION, phrases, 'chat:language.question', [
        { value: 'nb', label: 'chat:language.nb', intents: ['language.nb'] },
        { value: 'en', label: 'chat:language.en', intents: ['language.en'] },
      ]),
    );
    // "start" (what the chat says to type to go on) is a yes here; "later" ("senere", "har ikke tid nå") is its no
    this.addDialog(new ChoiceQuestion(START_QUESTION, phrases, 'chat:root.startQuestion', [{ ...YES_NO[0]!, synonyms: ['start'] }, { ...YES_NO[1]!, intents: ['later'] }]));
    this.addDialog(new RegionQuestion(REGION_QUESTION, phrases));
    this.addDialog(new EmailQuestion(EMAIL_QUESTION, phrases));
    this.addDialog(new EmailCheckQuestion(EMAIL_CHECK, phrases));
    this.addDialog(new AwaitCodeDialog(phrases, linkCodes));
    this.addDialog(new ChoiceQuestion(CONFIRM_OPTIONS, phrases, 'registration:confirm.options', CONFIRM_OPTION_CHOICES));
    this.addDialog(new RegistrationDialog({ phrases, states, registration }));
    this.addDialog(new AwaitPasswordDialog(phrases, registration, installers));
    this.addDialog(new AwaitConfirmationDialog(phrases, registration, installers));
    this.addDialog(new StationDialog(phrases, stations, qrReader, deps.limits));
    this.addDialog(new AwaitInvitationDialog(phrases, invitations, installers));
    this.addDialog(new CoursesDialog(phrases, courses, installers));
    this.addDialog(new ProfileDialog(phrases, deps.profile, installers));
    this.addDialog(new WaterfallDialog(MAIN, [
        this.ensureLanguage.bind(this),
        this.route.bind(this),
        this.afterStep.bind(this),
        this.afterRegistration.bind(this),
      ]));
    this.initialDialogId = MAIN;
  }

  private async ensureLanguage(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (turnLanguage(step.context)) return step.next();
    return step.beginDialog(LANGUAGE_QUESTION);
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { states, phrases } = this.deps;
    if (isLanguage(step.result)) {
      const profile = await states.userProfile.get(step.context, {});
      profile.language = step.result;
      profile.languageExplicit = true;
      await states.userProfile.set(step.context, profile);
      setTurnLanguage(step.context, step.result);
    }
    const conversation = await states.conversationData.get(step.context, {});
    if (!conversation.welcomed) {
      conversation.welcomed = true;
      await states.conversationData.set(step.context, conversation);
      await phrases.send(step.context, 'chat:root.welcome');
    }
    if (isChangeAddressRequest(step.options)) {
      // registration again for another address (same region), replacing this one once the new address is proved
      const replacing = await this.deps.installers.get(step.options.installerId);
      const options: RegistrationOptions = { region: replacing?.region, email: step.options.email, replacing: step.options.installerId };
      return step.beginDialog(REGISTRATION, options);
    }
    // "endre profil" / "change my phone" at any later point
    if (isProfileEditRequest(step.options)) return step.beginDialog(PROFILE_DIALOG, step.options);
    const installer = await this.linkedInstaller(step);
    if (!installer) return step.beginDialog(START_QUESTION);
    // the turn the invitation page set the account up: the invitation step says what to do on site first
    if (opensAwaitInvitation(step.context, installer.stage)) return step.beginDialog(AWAIT_INVITATION, { installerId: installer.id });
    const route = this.routes[installer.stage];
    if (route.announceConfirmed && conversation.confirmationAnnouncedFor !== installer.id) {
      conversation.confirmationAnnouncedFor = installer.id;
      await states.conversationData.set(step.context, conversation);
      await phrases.send(step.context, 'registration:confirm.done');
    }
    if ('step' in route) return step.beginDialog(route.step, stepOptions(route, installer));
    // no step yet: one message, what comes next (unless this turn's status just said it) and where it is done
    const next = nextStepSaid(step.context) ? [] : [sayNextStep(step.context, phrases, installer.stage)];
    await step.context.sendActivity(phrases.message(step.context, [...next, phrases.text(step.context, 'chat:root.nextStepNotReady')].join('\n\n')));
    return step.endDialog();
  }

  private async afterStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === 'yes') return step.beginDialog(REGISTRATION);
    if (step.result === 'no') {
      await this.deps.phrases.send(step.context, 'chat:root.later');
      return step.endDialog();
    }
    if (step.result === CONTINUE) return step.replaceDialog(MAIN);
    if (isChangeAddressRequest(step.result)) return this.changeAddress(step, step.result);
    return step.endDialog();
  }

  /** After the registration (or the password step it turned into). */
  private async afterRegistration(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (isChangeAddressRequest(step.result)) return this.changeAddress(step, step.result);
    return step.result === CONTINUE ? step.replaceDialog(MAIN) : step.endDialog();
  }

  /** Another address before confirmation: the root starts again with the registration for it (see route). */
  private async changeAddress(step: WaterfallStepContext, request: ChangeAddressRequest): Promise<DialogTurnResult> {
    return step.replaceDialog(MAIN, request);
  }
}
