import { type WaterfallStepContext, WaterfallDialog, type DialogTurnResult } from 'botbuilder-dialogs';
import { isLanguage, type Language } from '../../domain/language';
import { turnLanguage, setTurnLanguage } from '../turnLanguage';
import { BaseDialog, type BaseDialogDeps } from './baseDialog';
import { ChoiceQuestion, YES_NO } from './questionDialog';

export const ROOT_DIALOG = 'root';
const MAIN = 'root.main';
export const LANGUAGE_QUESTION = 'language';
const START_QUESTION = 'start';

/**
 * The conversation's entry: makes sure a language is known, welcomes, and routes to the step
 * of the journey the installer is at.
 */
export class RootDialog extends BaseDialog {
  constructor(deps: BaseDialogDeps) {
    super(ROOT_DIALOG, deps);
    this.addDialog(
      new ChoiceQuestion<Language>(LANGUAGE_QUESTION, deps.phrases, 'chat:language.question', [
        { value: 'nb', label: 'chat:language.nb', synonyms: ['norsk', 'norwegian', 'bokmål', 'nb', 'no'] },
        { value: 'en', label: 'chat:language.en', synonyms: ['english', 'engelsk', 'en'] },
      ]),
    );
    this.addDialog(new ChoiceQuestion(START_QUESTION, deps.phrases, 'chat:root.startQuestion', YES_NO));
    this.addDialog(
      new WaterfallDialog(MAIN, [this.ensureLanguage.bind(this), this.welcome.bind(this), this.afterStart.bind(this)]),
    );
    this.initialDialogId = MAIN;
  }

  private async ensureLanguage(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (turnLanguage(step.context)) return step.next();
    return step.beginDialog(LANGUAGE_QUESTION);
  }

  private async welcome(step: WaterfallStepContext): Promise<DialogTurnResult> {
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
    return step.beginDialog(START_QUESTION);
  }

  private async afterStart(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result === 'yes') {
      await this.deps.phrases.send(step.context, 'chat:root.registrationNext');
    } else {
      await this.deps.phrases.send(step.context, 'chat:root.later');
    }
    return step.endDialog();
  }
}
