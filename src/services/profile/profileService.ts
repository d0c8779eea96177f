import type { Installer } from '../../domain/installer';
import type { Profile } from '../../domain/profile';
import { profileSchema } from '../../domain/profileFields';
import { errorSummary, type Logger } from '../../logger';
import type { InstallerRepository } from '../installers/installerRepository';

/** Runs after a profile is saved (the LMS hand-off); a failure is logged and never undoes the save. */
export type AfterProfileSave = (installerId: string) => Promise<void>;

export interface ProfileServiceDeps {
  installers: InstallerRepository;
  logger: Logger;
  afterSave?: AfterProfileSave;
}

export type SaveResult =
  /** `first`: the profile was saved for the first time (the journey moved on to profile_complete). */
  | { kind: 'saved'; first: boolean; installer: Installer }
  | { kind: 'refused' }
  | { kind: 'missing' };

/** The installer's profile: saved on the installer record, as the journey's 'profileSaved' event. */
export class ProfileService {
  private readonly afterSave: AfterProfileSave;

  constructor(private readonly deps: ProfileServiceDeps) {
    this.afterSave = deps.afterSave ?? (async () => undefined);
  }

  async get(installerId: string): Promise<Profile | undefined> {
    return (await this.deps.installers.get(installerId))?.profile;
  }

  /**
   * Saves a complete profile (checked again here, by the form's schemas for the installer's region)
   * and hands it on; refused before the email is confirmed. A profile the form would not take throws.
   */
  async save(installerId: string, profile: Profile): Promise<SaveResult> {
    const installer = await this.deps.installers.get(installerId);
    if (!installer) return { kind: 'missing' };
    const checked = profileSchema(installer.region).parse(profile);
    const result = await this.deps.installers.advance(installerId, 'profileSaved', (current) => ({ ...current, profile: checked }));
    if (result.kind === 'missing' || result.kind === 'refused') return { kind: result.kind };
    try {
      await this.afterSave(installerId);
    } catch (error) {
      this.deps.logger.warn({ err: errorSummary(error) }, 'after profile save failed');
    }
    return { kind: 'saved', first: result.kind === 'advanced', installer: result.installer };
  }
}
