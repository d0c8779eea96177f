import type { TaskModuleResponse, TurnContext } from 'botbuilder';
import type { RegistrationService } from '../services/installers/registrationService';
import { TEAMS_PASSWORD_ACTION } from './dialogs/awaitPasswordDialog';
import type { BotStates } from './state';
import type { Phrases } from './turnLanguage';

/**
 * Pages that open as Teams dialogs (task modules). task/fetch answers with the page URL;
 * the page calls dialog.url.submit() when done, which arrives here as task/submit. What the page
 * did (password saved) reaches the conversation through the notify path, so submit only closes.
 */
export class TeamsTaskModules {
  constructor(
    private readonly phrases: Phrases,
    private readonly states: BotStates,
    private readonly registration: RegistrationService,
  ) {}

  async fetch(context: TurnContext, data: unknown): Promise<TaskModuleResponse> {
    const action = (data as { action?: string } | undefined)?.action;
    const profile = await this.states.userProfile.get(context, {});
    if (action === TEAMS_PASSWORD_ACTION && profile.installerId) {
      const url = await this.registration.passwordLink(profile.installerId);
      return {
        task: {
          type: 'continue',
          value: { title: this.phrases.text(context, 'registration:password.button'), url, fallbackUrl: url, height: 'large', width: 'medium' },
        },
      };
    }
    return { task: { type: 'message', value: this.phrases.text(context, 'chat:error.generic') } };
  }

  async submit(_context: TurnContext, _data: unknown): Promise<TaskModuleResponse> {
    return {};
  }
}
