import type { Region } from '../../domain/journey';

/** The profile fields that LearnUpon keeps only as custom user data (its user has no such fields). */
export const CUSTOM_PROFILE_FIELDS = ['company', 'phone', 'country', 'postalCode'] as const;
export type CustomProfileField = (typeof CUSTOM_PROFILE_FIELDS)[number];

/** One region's LearnUpon portal, as configured. */
export interface LearnUponRegionSettings {
  region: Region;
  /** e.g. https://cpinstaller.learnupon.com (no trailing slash) */
  portalUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The region's courses, in order; undefined → every published course of the portal (GET /courses). */
  courseIds?: string[];
  /** The portal's webhook v2 signing secret; undefined → webhooks from this portal are refused. */
  webhookSecret?: string;
}

export interface LearnUponSettings {
  regions: Partial<Record<Region, LearnUponRegionSettings>>;
  timeoutMs: number;
  pollIntervalMs: number;
  /** Profile field → the label of the portal's custom user data field it is written to. */
  customFieldLabels: Partial<Record<CustomProfileField, string>>;
}

/**
 * LEARNUPON_PROFILE_FIELDS: `company=Company,phone=Phone,country=Country,postalCode=Postal code`
 * (profile field = the portal's custom user data label). Returns the map, or a sentence saying
 * what is wrong.
 */
export function parseProfileFieldLabels(value: string | undefined): Partial<Record<CustomProfileField, string>> | string {
  const labels: Partial<Record<CustomProfileField, string>> = {};
  if (value === undefined || value.trim() === '') return labels;
  for (const part of value.split(',')) {
    const [field, label] = part.split('=').map((s) => s.trim());
    if (!field || !label || !(CUSTOM_PROFILE_FIELDS as readonly string[]).includes(field)) {
      return `expected ${CUSTOM_PROFILE_FIELDS.join('|')}=<custom field label>, separated by commas (got "${part.trim()}")`;
    }
    labels[field as CustomProfileField] = label;
  }
  return labels;
}

/** The config values this module reads (a subset of Config, so tests can pass a plain object). */
export type LearnUponEnvironment = {
  [K in `LEARNUPON_${'NA' | 'GLOBAL'}_${'PORTAL_URL' | 'API_KEY' | 'API_SECRET' | 'COURSE_IDS' | 'WEBHOOK_SECRET'}`]?: string | undefined;
} & { LEARNUPON_TIMEOUT_MS?: number; LMS_POLL_INTERVAL_MS?: number; LEARNUPON_PROFILE_FIELDS?: string | undefined };

const REGION_PREFIX: Record<Region, 'NA' | 'GLOBAL'> = { na: 'NA', global: 'GLOBAL' };

/** The LearnUpon portals configured (a region needs portal URL, key and secret). */
export function learnUponSettingsFromConfig(config: LearnUponEnvironment): LearnUponSettings {
  const regions: Partial<Record<Region, LearnUponRegionSettings>> = {};
  for (const region of Object.keys(REGION_PREFIX) as Region[]) {
    const prefix = REGION_PREFIX[region];
    const portalUrl = config[`LEARNUPON_${prefix}_PORTAL_URL`];
    const apiKey = config[`LEARNUPON_${prefix}_API_KEY`];
    const apiSecret = config[`LEARNUPON_${prefix}_API_SECRET`];
    if (!portalUrl || !apiKey || !apiSecret) continue;
    const courseIds = config[`LEARNUPON_${prefix}_COURSE_IDS`]
      ?.split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    regions[region] = {
      region,
      portalUrl: portalUrl.replace(/\/+$/, ''),
      apiKey,
      apiSecret,
      courseIds: courseIds && courseIds.length > 0 ? courseIds : undefined,
      webhookSecret: config[`LEARNUPON_${prefix}_WEBHOOK_SECRET`] || undefined,
    };
  }
  const labels = parseProfileFieldLabels(config.LEARNUPON_PROFILE_FIELDS);
  return {
    regions,
    timeoutMs: config.LEARNUPON_TIMEOUT_MS ?? 10000,
    pollIntervalMs: config.LMS_POLL_INTERVAL_MS ?? 900000,
    customFieldLabels: typeof labels === 'string' ? {} : labels,
  };
}
