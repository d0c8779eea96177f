import { ActivityTypes, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogInstance, type DialogTurnResult } from './dialogKit';
import type { Installer } from '../../domain/installer';
import type { Language } from '../../domain/language';
import type { CourseJourney } from '../../services/courses/courseJourney';
import type { InstallerRepository } from '../../services/installers/installerRepository';
import type { CourseProgress } from '../../services/lms/lmsPort';
import { linksMessage } from '../cards';
import { courseLines, courseTitle, progressThisTurn, sayUnavailable, unavailableSaid } from '../courseList';
import { knownProgressNote } from '../journeyStatus';
import { type Phrases, turnLanguage } from '../turnLanguage';
import { type ExpectingDialog, type PromptExpectation, turnUnderstanding } from '../turnUnderstanding';
import { remindAfterMiss } from './missReply';
import { type Choice, choiceExpectation, chosenValue } from './questionDialog';
import { CONTINUE } from './registrationIds';

/** The course step; the id is also its help topic (chat:help.topics.courses). */
export const COURSES_DIALOG = 'courses';

interface CoursesState {
  installerId: string;
  /** The course list has been shown in this step (before it: "your courses are being prepared"). */
  listed?: boolean;
  /** The courses known completed when the list was last shown (a newer completion is announced). */
  completed: string[];
  /** Messages in a row that were not understood. */
  misses?: number;
}

type Answer = 'show' | 'about' | 'links' | 'finished';

/**
 * "I've finished the courses" in phrases that name them (the labels of the locale keys): the course
 * step takes them, and so does the invitation step after it (where bare "ferdig"/"done" is not about the courses).
 */
export const COURSES_FINISHED_PHRASES = [
  'courses:chat.finishedPhrase',
  'courses:chat.completedPhrase',
  'courses:chat.allDonePhrase',
  'courses:chat.allCoursesPhrase',
  'courses:chat.finishedCoursesPhrase',
  'courses:chat.completedCoursesPhrase',
] as const;

/**
 * What the step takes as answers, each answered with the list and its links, under its own lead:
 * "show my courses", or the word the texts tell people to type («kurs», "my courses"); a question
 * about the courses ("courses", "how long does it take", "finner ikke kurset"), answered for where
 * the installer is (the guide's answer is written for before the step); a link that does not
 * work; "I've finished" ("ferdig", "done").
 */
const ANSWERS: ReadonlyArray<Choice<Answer>> = [
  { value: 'show', label: 'courses:chat.showButton' },
  { value: 'show', label: 'courses:chat.listWord' },
  { value: 'show', label: 'courses:chat.showPhrase' },
  { value: 'show', label: 'courses:chat.listNoun' },
  { value: 'show', label: 'courses:chat.listNounDefinite' },
  { value: 'about', label: 'chat:guess.faq.courses', questions: ['courses'] },
  // "the link doesn't work", "send the link again": the links are the course list's
  { value: 'links', label: 'courses:chat.linkTrouble', intents: ['newLink', 'resend', 'didntGetEmail'] },
  // "I've finished the course": what the LMS has reported (a completion it reported is announced before this)
  { value: 'finished', label: 'courses:chat.finishedWord', synonyms: ['finished', 'completed', 'fullfort'] },
  { value: 'finished', label: 'courses:chat.doneWord' },
  // all of them ("har fullført alt" was offered "start over"; "ferdig med kursene" was "cancel")
  ...COURSES_FINISHED_PHRASES.map((label) => ({ value: 'finished' as const, label })),
];

const LEADS: Record<Answer, string> = { show: 'courses:chat.list', about: 'courses:chat.about', links: 'courses:chat.linksAgain', finished: 'courses:chat.notCompletedYet' };

/** The progress a turn shows, and the note that it is the last known one (when it is). */
interface ShownProgress {
  courses: readonly CourseProgress[];
  note?: string;
}

/** The stages this step is for. */
function inCourses(installer: Installer | undefined): installer is Installer {
  return installer?.stage === 'profile_complete' || installer?.stage === 'courses_in_progress';
}

/**
 * The course step. At profile_complete the LMS is preparing the courses ("your courses are being
 * prepared"); at courses_in_progress the course list with a Start link for each course and its
 * progress. The notify events (coursesReady, courseCompleted) wake it, and so does any message:
 * each turn compares the LMS's progress with what was shown, so a completion is announced once
 * whichever turn notices it. When every course is completed the installer is certified and the
 * step hands back to the root.
 */
export class CoursesDialog extends Dialog<CoursesState> implements ExpectingDialog {
  constructor(
    private readonly phrases: Phrases,
    private readonly courses: Pick<CourseJourney, 'progressInTurn'>,
    private readonly installers: Pick<InstallerRepository, 'get'>,
  ) {
    super(COURSES_DIALOG);
  }

  expects(): PromptExpectation {
    return choiceExpectation(this.phrases.translator, ANSWERS);
  }

  override async beginDialog(dc: DialogContext, options?: { installerId: string }): Promise<DialogTurnResult> {
    const state: CoursesState = { installerId: options!.installerId, completed: [] };
    dc.activeDialog!.state = state;
    const installer = await this.installers.get(state.installerId);
    if (!inCourses(installer)) return dc.endDialog(CONTINUE);
    if (installer.stage === 'profile_complete') {
      await this.phrases.send(dc.context, 'courses:chat.preparing');
      return Dialog.EndOfTurn;
    }
    // the step begins with the courses already assigned (the LMS can be done before the turn that
    // saved the profile is): while none is started, they are news ("your courses are ready")
    const shown = await this.progress(dc.context, installer);
    if (shown) {
      const fresh = shown.courses.every((p) => p.status === 'not_started');
      await this.sendList(dc.context, state, installer, shown, this.phrases.text(dc.context, fresh ? 'courses:chat.ready' : 'courses:chat.list'));
    }
    return Dialog.EndOfTurn;
  }

  override async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const state = dc.activeDialog!.state as CoursesState;
    const context = dc.context;
    const installer = await this.installers.get(state.installerId);
    if (!inCourses(installer)) return dc.endDialog(CONTINUE);
    const isMessage = context.activity.type === ActivityTypes.Message;
    if (installer.stage === 'profile_complete') {
      if (!isMessage) return Dialog.EndOfTurn;
      // while the courses are prepared, a question about them gets the guide's answer (written for this moment)
      if (chosenValue(turnUnderstanding(context), ANSWERS) !== 'about') await remindAfterMiss(context, this.phrases, state, 'courses:chat.stillPreparing');
      else {
        await this.phrases.send(context, 'faq:courses');
        await this.phrases.send(context, 'courses:chat.stillPreparing');
      }
      return Dialog.EndOfTurn;
    }
    if (!state.listed) {
      // the courses became ready (the coursesReady event, or the first turn since)
      await this.showList(context, state, installer, 'courses:chat.ready');
      return Dialog.EndOfTurn;
    }
    const shown = await this.progress(context, installer);
    if (!shown) return Dialog.EndOfTurn;
    const newlyCompleted = shown.courses.filter((p) => p.status === 'completed' && !state.completed.includes(p.course.id));
    if (newlyCompleted.length > 0) {
      // a completion (the courseCompleted event, or noticed on this message): said once, with the list
      const language = this.language(context, installer);
      const said = newlyCompleted.map((p) => this.phrases.text(context, 'courses:chat.courseCompleted', { title: courseTitle(p, language) }));
      state.misses = 0;
      await this.sendList(context, state, installer, shown, said.join('\n\n'));
      return Dialog.EndOfTurn;
    }
    if (!isMessage) return Dialog.EndOfTurn;
    const chosen = chosenValue(turnUnderstanding(context), ANSWERS);
    if (chosen) {
      state.misses = 0;
      await this.sendList(context, state, installer, shown, this.phrases.text(context, LEADS[chosen]));
      return Dialog.EndOfTurn;
    }
    await remindAfterMiss(context, this.phrases, state, 'courses:chat.reminder');
    return Dialog.EndOfTurn;
  }

  override async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    const state = instance.state as CoursesState;
    const installer = await this.installers.get(state.installerId);
    if (!inCourses(installer)) return;
    if (installer.stage === 'profile_complete') await this.phrases.send(context, 'courses:chat.stillPreparing');
    else await this.showList(context, state, installer, 'courses:chat.list');
  }

  private language(context: TurnContext, installer: Installer): Language {
    return turnLanguage(context) ?? installer.language;
  }

  /**
   * The progress to show, read within the turn's deadline: the LMS's now, or (when it is slow or
   * fails) what it last reported, with a note saying so; undefined, and the user told
   * (courses:chat.unavailable), when neither is there. The step's state is left as it was then, so
   * the next message tries again.
   */
  private async progress(context: TurnContext, installer: Installer): Promise<ShownProgress | undefined> {
    const read = await progressThisTurn(context, this.courses, installer.id);
    if (!read) return { courses: [] };
    if (read.kind === 'unavailable') {
      // said once a turn (status, then the list asked again, says it in the status)
      if (!unavailableSaid(context)) await context.sendActivity(this.phrases.message(context, sayUnavailable(context, this.phrases)));
      return undefined;
    }
    if (read.kind === 'live') return { courses: read.courses };
    return { courses: read.courses, note: knownProgressNote(context, this.phrases, read.at, this.language(context, installer)) };
  }

  private async showList(context: TurnContext, state: CoursesState, installer: Installer, headingKey: string): Promise<void> {
    const shown = await this.progress(context, installer);
    if (shown) await this.sendList(context, state, installer, shown, this.phrases.text(context, headingKey));
  }

  /** The lead, the courses with their progress, (the last known progress said so), what to do, and one Start (or Continue) button per course not completed. */
  private async sendList(context: TurnContext, state: CoursesState, installer: Installer, shown: ShownProgress, lead: string): Promise<void> {
    const language = this.language(context, installer);
    const progress = shown.courses;
    const paragraphs = [lead, courseLines(context, this.phrases, progress, language).join('\n'), ...(shown.note ? [shown.note] : []), this.phrases.text(context, 'courses:chat.next')];
    const text = paragraphs.join('\n\n');
    const links = progress
      .filter((p) => p.status !== 'completed')
      .map((p) => ({
        title: this.phrases.text(context, p.status === 'in_progress' ? 'courses:chat.continueButton' : 'courses:chat.startButton', { title: courseTitle(p, language) }),
        url: p.startUrl,
      }));
    await context.sendActivity(linksMessage(context, this.phrases, text, links));
    state.listed = true;
    state.completed = progress.filter((p) => p.status === 'completed').map((p) => p.course.id);
  }
}
