import { TEAMS_DIALOG_HOST } from '../domain/links';
import type { TaskModuleResponse, TurnContext } from 'botbuilder';
import type { RegistrationService } from '../services/installers/registrationService';
import type { StationService } from '../services/stations/stationService';
import { TEAMS_PASSWORD_ACTION } from './dialogs/awaitPasswordDialog';
import { TEAMS_LOCATE_ACTION, TEAMS_SCAN_ACTION } from './dialogs/stationDialog';
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
    private readonly stations: StationService,
  ) {}

  async fetch(context: TurnContext, data: unknown): Promise<TaskModuleResponse> {
    const { action, mac } = (data ?? {}) as { action?: string; mac?: string };
    const installerId = (await this.states.userProfile.get(context, {})).installerId;
    const page = installerId ? await this.pageFor(installerId, action, mac) : undefined;
    if (!page) return { task: { type: 'message', value: this.phrases.text(context, 'chat:error.generic') } };
    const title = this.phrases.text(context, page.titleKey);
    return { task: { type: 'continue', value: { title, url: page.url, fallbackUrl: page.url, height: 'large', width: 'medium' } } };
  }

  private async pageFor(installerId: string, action: string | undefined, mac: string | undefined): Promise<{ url: string; titleKey: string } | undefined> {
    if (action === TEAMS_PASSWORD_ACTION) return { url: `${await this.registration.passwordLink(installerId)}&host=${TEAMS_DIALOG_HOST}`, titleKey: 'registration:password.button' };
    if (action === TEAMS_SCAN_ACTION) return { url: await this.stations.scanPageLink(installerId), titleKey: 'chat:station.scanButton' };
    if (action === TEAMS_LOCATE_ACTION && mac) return { url: await this.stations.locationPageLink(installerId, mac), titleKey: 'chat:station.locateButton' };
    return undefined;
  }

  async submit(_context: TurnContext, _data: unknown): Promise<TaskModuleResponse> {
    return {};
  }
}
