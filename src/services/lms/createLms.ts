import type { Region } from '../../domain/journey';
import type { Logger } from '../../logger';
import type { CourseProgress, FormerLearner, Lms, LmsLearner, ProgressOptions } from './lmsPort';
import type { RetryPolicy } from './learnUponClient';
import { LearnUponLms, type CreateUserResult } from './learnUponLms';
import { LearnUponPoller } from './learnUponPoller';
import { learnUponSettingsFromConfig, type LearnUponEnvironment } from './learnUponSettings';

export interface CreateLmsDeps {
  /** The fallback for a region without a LearnUpon portal configured: the local LMS. */
  local: Lms;
  logger: Logger;
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The LMS the journey uses: each call goes to the learner's region's LearnUpon portal when one is
 * configured (LEARNUPON_<REGION>_PORTAL_URL + key + secret), otherwise to the local LMS.
 */
export class RegionalLms implements Lms {
  constructor(
    readonly learnUpon: Partial<Record<Region, LearnUponLms>>,
    private readonly local: Lms,
  ) {}

  forRegion(region: Region): Lms {
    return this.learnUpon[region] ?? this.local;
  }

  createUser(learner: LmsLearner, password: string): Promise<void> {
    return this.forRegion(learner.region).createUser(learner, password);
  }

  /**
   * createUser saying whether a LearnUpon portal already had the address ('existing': its
   * password was left as it is, so the installer signs in to the portal with the password they
   * had there). The local LMS always answers 'created'.
   */
  async createUserWithResult(learner: LmsLearner, password: string): Promise<CreateUserResult> {
    const learnUpon = this.learnUpon[learner.region];
    if (learnUpon) return learnUpon.createUserWithResult(learner, password);
    await this.local.createUser(learner, password);
    return 'created';
  }

  updateProfile(learner: LmsLearner): Promise<void> {
    return this.forRegion(learner.region).updateProfile(learner);
  }

  enrolInRegionCourses(learner: LmsLearner): Promise<void> {
    return this.forRegion(learner.region).enrolInRegionCourses(learner);
  }

  progress(learner: LmsLearner, options?: ProgressOptions): Promise<CourseProgress[]> {
    return this.forRegion(learner.region).progress(learner, options);
  }

  changeEmail(learner: LmsLearner, from: FormerLearner): Promise<void> {
    return this.forRegion(learner.region).changeEmail(learner, from);
  }
}

export function createLms(config: LearnUponEnvironment, deps: CreateLmsDeps): RegionalLms {
  const settings = learnUponSettingsFromConfig(config);
  const learnUpon: Partial<Record<Region, LearnUponLms>> = {};
  for (const regionSettings of Object.values(settings.regions)) {
    if (!regionSettings) continue;
    learnUpon[regionSettings.region] = new LearnUponLms({
      settings: regionSettings,
      logger: deps.logger,
      timeoutMs: settings.timeoutMs,
      customFieldLabels: settings.customFieldLabels,
      retry: deps.retry,
      sleep: deps.sleep,
    });
  }
  return new RegionalLms(learnUpon, deps.local);
}

/** The polling fallback over the LearnUpon regions of `lms`; undefined when none is configured or polling is off. */
export function createLearnUponPoller(config: LearnUponEnvironment, lms: RegionalLms, logger: Logger): LearnUponPoller | undefined {
  const { pollIntervalMs } = learnUponSettingsFromConfig(config);
  if (pollIntervalMs === 0 || Object.keys(lms.learnUpon).length === 0) return undefined;
  return new LearnUponPoller({ lms: lms.learnUpon, logger, intervalMs: pollIntervalMs });
}
