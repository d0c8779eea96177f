import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isLoopbackUrl } from './loopback';
import { parseRateLimits } from './services/limits/limits';
import { parseTrustedProxies } from './services/limits/clientAddress';
import { parseProfileFieldLabels } from './services/lms/learnUponSettings';
import { parseSupportHours } from './domain/supportHours';

/** The folder holding package.json, wherever this file runs from (src/ under ts-jest, dist/src/ when built). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

const emptyToUndefined = (value: unknown): unknown => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const booleanFlag = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
    .optional()
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
);
const url = (protocols: string[]) =>
  z
    .string()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `expected a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);

/** A LearnUpon portal's address: https, or http on this machine (a local stand-in). */
const portalUrl = z.string().refine((v) => {
  try {
    const parsed = new URL(v);
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopbackUrl(v));
  } catch {
    return false;
  }
}, 'expected the portal URL, e.g. https://cpinstaller.learnupon.com (http only on this machine)');

const portalUrlVariable = z.preprocess(emptyToUndefined, portalUrl.optional());
const courseIdsVariable = z.preprocess(
  emptyToUndefined,
  z.string().regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'expected course ids separated by commas, e.g. 1234,5678').optional(),
);

/**
 * Every environment variable the app reads. README.md documents each one;
 * test/unit/config.test.ts checks that the README table and this schema agree.
 */
export const environmentSchema = z.object({
  NODE_ENV: optionalString,
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).default(3978)),
  PUBLIC_URL: z.preprocess(emptyToUndefined, url(['http:', 'https:']).optional()),
  DATA_DIR: optionalString,
  DATA_URL: z.preprocess(emptyToUndefined, url(['sqlite:', 'redis:', 'rediss:', 'postgres:', 'postgresql:']).optional()),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  LOG_TRANSCRIPTS: booleanFlag,
  TOKEN_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'expected at least 32 characters').optional()),
  SMTP_URL: z.preprocess(emptyToUndefined, url(['smtp:', 'smtps:']).optional()),
  MAIL_FROM: z.preprocess(emptyToUndefined, z.string().default('ChargePoint installer assistant <no-reply@localhost>')),
  SUPPORT_EMAIL: z.preprocess(emptyToUndefined, z.email({ message: 'expected an email address' }).optional()),
  DIRECT_LINE_SECRET: optionalString,
  DIRECT_LINE_TOKEN_URL: z.preprocess(
    emptyToUndefined,
    url(['https:', 'http:']).default('https://directline.botframework.com/v3/directline/tokens/generate'),
  ),
  MicrosoftAppType: z.preprocess(emptyToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppTenantId: optionalString,
  ALLOW_ANONYMOUS: booleanFlag,
  DEV_MAILBOX: booleanFlag,
  DEV_COURSES: booleanFlag,
  TRUSTED_PROXIES: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        const parsed = parseTrustedProxies(v);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      }),
  ),
  RATE_LIMITS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        const parsed = parseRateLimits(v);
        if (parsed !== 'off' && 'error' in parsed) ctx.addIssue({ code: 'custom', message: String(parsed.error) });
      }),
  ),
  SUPPORT_HOURS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        const parsed = parseSupportHours(v);
        if ('error' in parsed) ctx.addIssue({ code: 'custom', message: String(parsed.error) });
      }),
  ),
  SUPPORT_PICKUP_MINUTES: z.preprocess(emptyToUndefined, z.coerce.number().positive().max(24 * 60).default(10)),
  STORE_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(60000).default(3000)),
  STORE_PURGE_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(600000)),
  LEARNUPON_NA_PORTAL_URL: portalUrlVariable,
  LEARNUPON_NA_API_KEY: optionalString,
  LEARNUPON_NA_API_SECRET: optionalString,
  LEARNUPON_NA_COURSE_IDS: courseIdsVariable,
  LEARNUPON_NA_WEBHOOK_SECRET: optionalString,
  LEARNUPON_GLOBAL_PORTAL_URL: portalUrlVariable,
  LEARNUPON_GLOBAL_API_KEY: optionalString,
  LEARNUPON_GLOBAL_API_SECRET: optionalString,
  LEARNUPON_GLOBAL_COURSE_IDS: courseIdsVariable,
  LEARNUPON_GLOBAL_WEBHOOK_SECRET: optionalString,
  LEARNUPON_TIMEOUT_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(100).max(120000).default(10000)),
  LEARNUPON_PROFILE_FIELDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        const parsed = parseProfileFieldLabels(v);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      }),
  ),
  LMS_POLL_INTERVAL_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).default(900000)),
  STATIONS_WEBHOOK_URL: z.preprocess(emptyToUndefined, url(['https:', 'http:']).optional()),
  STATIONS_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'expected at least 32 characters').optional()),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface Config extends Environment {
  PUBLIC_URL: string;
  DATA_DIR: string;
  DATA_URL: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super('Invalid configuration:\n' + problems.map((p) => '  - ' + p).join('\n'));
    this.name = 'ConfigError';
  }
}

/** Parses the environment; a bad value throws a ConfigError naming the variable and what is expected. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const values = parsed.data;
  const dataDir = path.resolve(projectRoot(), values.DATA_DIR ?? '.data');
  const problems: string[] = [];
  if (values.MicrosoftAppId && values.MicrosoftAppType !== 'UserAssignedMSI' && !values.MicrosoftAppPassword) {
    problems.push('MicrosoftAppPassword: required when MicrosoftAppId is set (unless MicrosoftAppType=UserAssignedMSI)');
  }
  if (values.MicrosoftAppType === 'SingleTenant' && !values.MicrosoftAppTenantId) {
    problems.push('MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant');
  }
  if (values.NODE_ENV === 'production') {
    // the localhost default would open the development doors (and a mailbox nobody reads) in a container
    if (!values.PUBLIC_URL) problems.push('PUBLIC_URL: required when NODE_ENV=production (the address users reach the app at, used in every link)');
    if (!values.SMTP_URL && !values.DEV_MAILBOX) {
      problems.push('SMTP_URL: required when NODE_ENV=production (without it emails are never delivered); set DEV_MAILBOX=true to keep them in the local mailbox at /dev/mail instead');
    }
  }
  const publicUrl = (values.PUBLIC_URL ?? `http://localhost:${values.PORT}`).replace(/\/+$/, '');
  if (!values.SMTP_URL && !values.DEV_MAILBOX && !isLoopbackUrl(publicUrl) && values.NODE_ENV !== 'production') {
    problems.push(
      'SMTP_URL: required when PUBLIC_URL is not on this machine (without it emails are never delivered); set DEV_MAILBOX=true to keep them in the local mailbox at /dev/mail instead',
    );
  }
  for (const region of ['NA', 'GLOBAL'] as const) {
    if (values[`LEARNUPON_${region}_PORTAL_URL`] && !(values[`LEARNUPON_${region}_API_KEY`] && values[`LEARNUPON_${region}_API_SECRET`])) {
      problems.push(`LEARNUPON_${region}_API_KEY: required (with LEARNUPON_${region}_API_SECRET) when LEARNUPON_${region}_PORTAL_URL is set`);
    }
    if (!values[`LEARNUPON_${region}_PORTAL_URL`] && (values[`LEARNUPON_${region}_COURSE_IDS`] || values[`LEARNUPON_${region}_WEBHOOK_SECRET`])) {
      problems.push(`LEARNUPON_${region}_PORTAL_URL: required when LEARNUPON_${region}_COURSE_IDS or LEARNUPON_${region}_WEBHOOK_SECRET is set (they belong to that portal)`);
    }
  }
  if (values.STATIONS_WEBHOOK_URL && !values.STATIONS_WEBHOOK_SECRET) {
    problems.push('STATIONS_WEBHOOK_SECRET: required when STATIONS_WEBHOOK_URL is set (the localizations are signed with it)');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    ...values,
    PUBLIC_URL: publicUrl,
    DATA_DIR: dataDir,
    DATA_URL: values.DATA_URL ?? 'sqlite://' + path.join(dataDir, 'onboarding.sqlite'),
  };
}
