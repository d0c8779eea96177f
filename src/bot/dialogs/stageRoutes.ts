import type { Installer } from '../../domain/installer';
import type { Stage } from '../../domain/journey';
import { AWAIT_INVITATION } from './awaitInvitationDialog';
import { COURSES_DIALOG } from './coursesDialog';
import { PROFILE_DIALOG } from './profileDialog';
import { AWAIT_CONFIRMATION, AWAIT_PASSWORD } from './registrationIds';
import { STATION_DIALOG } from './stationDialog';

/**
 * Where the root dialog sends an installer at a stage:
 * - `step`: the step dialog to begin, with `options(installer)` (default `{ installerId }`);
 * - `notReady`: no step yet, the chat says what comes next and that it cannot help with it here yet.
 * `announceConfirmed`: before it, "your account is confirmed" is said once per conversation
 * (the first turn the chat sees the installer past the confirmation).
 */
export type StageRoute =
  | { step: string; options?: (installer: Installer) => object; announceConfirmed?: boolean }
  | { notReady: true; announceConfirmed?: boolean };

/** One row per stage; a new step replaces its stage's row (and its dialog is added to the root). */
export type StageRoutes = Record<Stage, StageRoute>;

export const STAGE_ROUTES: StageRoutes = {
  new: { step: AWAIT_PASSWORD },
  registered: { step: AWAIT_CONFIRMATION },
  confirmed: { step: PROFILE_DIALOG, announceConfirmed: true },
  profile_complete: { step: COURSES_DIALOG, announceConfirmed: true },
  courses_in_progress: { step: COURSES_DIALOG, announceConfirmed: true },
  certified: { step: AWAIT_INVITATION, announceConfirmed: true },
  active: { step: STATION_DIALOG },
};

/** The options a step dialog is begun with: the row's own, or the installer's id. */
export function stepOptions(route: Extract<StageRoute, { step: string }>, installer: Installer): object {
  return route.options ? route.options(installer) : { installerId: installer.id };
}
