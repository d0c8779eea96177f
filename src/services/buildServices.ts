import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Translator } from './i18n/translator';
import { InstallerRepository } from './installers/installerRepository';
import { ChatLinkCodes } from './installers/chatLinkCodes';
import { PersonalDataErasers } from './privacy/personalDataErasers';
import { FormerAddresses } from './installers/formerAddresses';
import { RegistrationService } from './installers/registrationService';
import { type Limits, limitsFromConfig } from './limits/limits';
import { createMailer, type MailerDeps } from './mail/createMailer';
import type { Mailer } from './mail/mailer';
import { ConversationReferences } from './notify/conversationReferences';
import { Notifier } from './notify/notifier';
import type { AppJobs } from './jobs/appJobs';
import { createJobQueue, type JobQueueDeps } from './jobs/createJobQueue';
import type { JobQueue } from './jobs/jobQueue';
import { PasswordCheckPool } from './passwords/passwordCheckPool';
import { type AfterProfileSave, ProfileService } from './profile/profileService';
import { QrDecodePool } from './stations/qrDecodePool';
import { QrImageReader } from './stations/qrImageReader';
import { StationService } from './stations/stationService';
import { StationLocalizations } from './stations/stationLocalizations';
import { Invitations } from './account/invitations';
import { registerStationDeliveries } from './stations/stationDeliveryJobs';
import type { RetryPolicy } from './jobs/jobQueue';
import { LocalStationRegistry, type StationRegistry, WebhookStationRegistry } from './stations/stationRegistry';
import { createLocalizationSender } from './stations/stationWebhook';
import type { DocumentStore } from './store/documentStore';
import { createLinkTokens } from './tokens/hmacLinkTokens';
import type { LinkTokens } from './tokens/linkTokens';
import { loadTokenSecret } from './tokens/tokenSecret';
import { CourseJourney } from './courses/courseJourney';
import type { Lms } from './lms/lmsPort';
import { LocalLms } from './lms/localLms';
import { createLearnUponPoller, createLms, type CreateLmsDeps } from './lms/createLms';
import { type CourseJobs, registerCourseJobs } from './courses/courseJobs';
import { REGIONS } from '../domain/journey';
import { SupportService } from './support/supportService';
import { RecentMessages } from './support/recentMessages';
import { parseSupportHours } from '../domain/supportHours';

export interface Services {
  installers: InstallerRepository;
  tokens: LinkTokens;
  mailer: Mailer;
  /** Durable background jobs (started by app.start(), stopped by app.stop()). */
  jobs: JobQueue<AppJobs>;
  references: ConversationReferences;
  notifier: Notifier;
  registration: RegistrationService;
  linkCodes: ChatLinkCodes;
  /** What "delete my data" runs in every layer (bot state, web chat transcripts). */
  erasers: PersonalDataErasers;
  /** Corrected addresses → the installer's id now (reports that still name the old address find the installer). */
  formerAddresses: FormerAddresses;
  stations: StationService;
  qrReader: QrImageReader;
  /** Rate limits shared by every instance on the store. */
  limits: Limits;
  /** Decodes QR photos in worker threads (the scan page and the chat); closed when the app stops. */
  qrPool: QrDecodePool;
  /** Checks chosen passwords in a worker thread (the policy's dictionaries stay out of the main thread); closed when the app stops. */
  passwords: PasswordCheckPool;
  /** Certified → invitation email and chat; the invitation page sets up the installer account. */
  invitations: Invitations;
  /** Where localized stations go: the local registry, or (STATIONS_WEBHOOK_URL) also the signed webhook. */
  stationRegistry: StationRegistry;
  /** The LMS behind the university portals (the local one unless a remote LMS is configured). */
  lms: Lms;
  /** The local LMS when it is the one in use (its /dev/courses pages need it); undefined with a remote LMS. */
  localLms: LocalLms | undefined;
  /** The course step outside chat turns: enrolment after the profile, completions, certification. */
  courses: CourseJourney;
  /** The course step's durable jobs: enrolment after the profile, completions reported by the LMS. */
  courseJobs: CourseJobs;
  /** Human support: tickets, queue, the agent console's port (SupportDesk); started and stopped with the app. */
  support: SupportService;
  /** The last messages of each conversation (redacted), attached to a ticket. */
  recentMessages: RecentMessages;
  /** The installer's profile (saved on the installer record, then handed on by afterSave). */
  profile: ProfileService;
}

export interface ServicesDeps {
  config: Config;
  store: DocumentStore;
  translator: Translator;
  logger: Logger;
  /** Test hooks for the mail outbox (retry timing, transport). */
  mail?: Pick<MailerDeps, 'retry' | 'pollMs' | 'transport' | 'maxAttempts'>;
  /** Test hooks for the station webhook's queue (retry timing). */
  stationDelivery?: RetryPolicy;
  /** Test hooks for the job queue (timing). */
  jobs?: Pick<JobQueueDeps, 'pollMs' | 'leaseMs' | 'retry' | 'maxAttempts' | 'concurrency'>;
  /** Test hooks for LearnUpon's client (its retries inside one call, and how it waits between them). */
  lms?: Pick<CreateLmsDeps, 'retry' | 'sleep'>;
  /** Test hook: how often the support service polls the store (other instances' changes, overdue pickups). */
  supportPollMs?: number;
  /** Runs after a profile is saved (the LMS hand-off); default nothing. */
  afterProfileSave?: AfterProfileSave;
}

/** The services layer, wired once (the app and the dialog tests both use it). */
export function buildServices(deps: ServicesDeps): Services {
  const { config, store, translator, logger } = deps;
  const installers = new InstallerRepository(store);
  const tokens = createLinkTokens(store, loadTokenSecret(config));
  const mailer = createMailer({ config, store, translator, logger, ...deps.mail });
  const references = new ConversationReferences(store);
  const jobs = createJobQueue<AppJobs>({ store, logger, ...deps.jobs });
  const limits = limitsFromConfig(store, config);
  const linkCodes = new ChatLinkCodes({ store, mailer, limits });
  const erasers = new PersonalDataErasers();
  // first: the old address leads to the new id before any layer moves (a course job checks it after it wrote)
  const formerAddresses = new FormerAddresses(store);
  erasers.add(({ installerId }) => formerAddresses.erase(installerId), { move: ({ fromId, installer }) => formerAddresses.moved(fromId, installer.id) });
  const localizations = new StationLocalizations(store, installers);
  // a localization under way when the erasure starts is caught by the second pass (StationLocalizations.record)
  erasers.add(async ({ installerId }) => localizations.erase(installerId), { againAfterRecordGone: true, move: ({ fromId, installer }) => localizations.move(fromId, installer.id) });
  const notifier = new Notifier({ jobs, references, mailer, installers, publicUrl: config.PUBLIC_URL, logger });
  const registration = new RegistrationService({
    installers,
    tokens,
    mailer,
    references,
    notifier,
    codes: linkCodes,
    erasers,
    formerAddresses,
    stations: localizations,
    publicUrl: config.PUBLIC_URL,
    logger,
    limits,
  });
  const localRegistry = new LocalStationRegistry(store);
  const webhookUrl = config.STATIONS_WEBHOOK_URL;
  const stationDeliveries =
    webhookUrl && config.STATIONS_WEBHOOK_SECRET
      ? registerStationDeliveries({ jobs, logger, deliver: createLocalizationSender({ url: webhookUrl, secret: config.STATIONS_WEBHOOK_SECRET }), policy: deps.stationDelivery })
      : undefined;
  const stationRegistry = stationDeliveries ? new WebhookStationRegistry(localRegistry, stationDeliveries, installers) : localRegistry;
  // the deliveries not made yet (they name the person; a corrected address re-files them, naming the new one); one queued by a localization under way is caught by the second pass
  if (stationDeliveries) {
    erasers.add(async ({ installerId }) => void (await stationDeliveries.forget(installerId)), {
      againAfterRecordGone: true,
      move: async ({ fromId, installer }) => void (await stationDeliveries.move(fromId, installer)),
    });
  }
  const stations = new StationService({ installers, localizations, tokens, notifier, publicUrl: config.PUBLIC_URL, logger, registry: stationRegistry });
  const invitations = new Invitations({ installers, tokens, mailer, notifier, publicUrl: config.PUBLIC_URL, logger });
  const qrPool = new QrDecodePool({ logger });
  const qrReader = new QrImageReader(qrPool.decode);
  const passwords = new PasswordCheckPool();
  const localLms = new LocalLms({ store, tokens, publicUrl: config.PUBLIC_URL });
  // each region's LearnUpon portal when configured, else the local LMS
  const lms = createLms(config, { local: localLms, logger, ...deps.lms });
  registration.useLms(lms);
  const courses = new CourseJourney({
    store,
    installers,
    lms,
    notifier,
    // certified: the invitation email, and the chat's notice
    onCertified: async (installerId) => void (await invitations.send(installerId)),
    // a step that finds its record gone after it wrote: moved there (support corrected the address), or erased
    movedTo: (installerId) => formerAddresses.current(installerId),
    lmsData: localLms,
  });
  const courseJobs = registerCourseJobs({ jobs, courses, installers, poller: createLearnUponPoller(config, lms, logger) });
  // the course step's marks and progress, the local LMS's user and enrolments, the course jobs; a course
  // job under way in that moment is caught by its own check after writing and by the second pass
  erasers.add(
    async ({ installerId }) => {
      await courses.erase(installerId);
      await courseJobs.forget(installerId);
    },
    {
      againAfterRecordGone: true,
      move: async ({ fromId, fromEmail, installer }) => {
        await courses.move(fromId, installer);
        await courseJobs.move(fromId, installer.id);
        // the LMS user (LearnUpon's, outside the store) still has the old address: a job changes it; a
        // registration without a password has no LMS user (it is made on the password page)
        if (installer.passwordHash !== undefined) await courseJobs.changeLmsEmail(installer.id, { installerId: fromId, email: fromEmail });
      },
    },
  );
  const hours = parseSupportHours(config.SUPPORT_HOURS);
  const support = new SupportService({
    store,
    mailer,
    installers,
    account: registration,
    notify: (key, event, fallback) => notifier.notify(key, event, fallback),
    // after the closing notice has reached the chat
    forgetChat: async (key) => void (await notifier.forgetChatsAfterNotices(key)),
    logger,
    publicUrl: config.PUBLIC_URL,
    supportEmail: config.SUPPORT_EMAIL,
    hours: 'error' in hours ? {} : hours,
    pickupMinutes: config.SUPPORT_PICKUP_MINUTES,
    pollMs: deps.supportPollMs,
  });
  const recentMessages = new RecentMessages(store);
  // "delete my data": the tickets stay for statistics without anything personal; the chats' recent messages go
  erasers.add(
    async ({ installerId, chats }) => {
      await support.anonymise(installerId);
      for (const chat of chats) await recentMessages.erase({ channelId: chat.channelId, conversationId: chat.conversationId });
    },
    // the tickets follow a corrected address (the recent messages are the chats', which follow the registration)
    { move: ({ fromId, installer }) => support.moveTickets(fromId, installer) },
  );
  const profile = new ProfileService({ installers, logger, afterSave: deps.afterProfileSave ?? courseJobs.enrol });
  return { installers, tokens, mailer, jobs, references, notifier, registration, linkCodes, erasers, formerAddresses, stations, qrReader, qrPool, passwords, limits, invitations, stationRegistry, lms, localLms: Object.keys(lms.learnUpon).length < REGIONS.length ? localLms : undefined, courses, courseJobs, support, recentMessages, profile };
}
