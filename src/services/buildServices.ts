import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Translator } from './i18n/translator';
import { InstallerRepository } from './installers/installerRepository';
import { ChatLinkCodes } from './installers/chatLinkCodes';
import { PersonalDataErasers } from './privacy/personalDataErasers';
import { RegistrationService } from './installers/registrationService';
import { type Limits, limitsFromConfig } from './limits/limits';
import { createMailer, type MailerDeps } from './mail/createMailer';
import type { Mailer } from './mail/mailer';
import { ConversationReferences } from './notify/conversationReferences';
import { type ContinueConversation, Notifier } from './notify/notifier';
import { PasswordCheckPool } from './passwords/passwordCheckPool';
import { QrDecodePool } from './stations/qrDecodePool';
import { QrImageReader } from './stations/qrImageReader';
import { StationService } from './stations/stationService';
import type { DocumentStore } from './store/documentStore';
import { createLinkTokens } from './tokens/hmacLinkTokens';
import type { LinkTokens } from './tokens/linkTokens';
import { loadTokenSecret } from './tokens/tokenSecret';

export interface Services {
  installers: InstallerRepository;
  tokens: LinkTokens;
  mailer: Mailer;
  references: ConversationReferences;
  notifier: Notifier;
  registration: RegistrationService;
  linkCodes: ChatLinkCodes;
  /** What "delete my data" runs in every layer (bot state, web chat transcripts). */
  erasers: PersonalDataErasers;
  stations: StationService;
  qrReader: QrImageReader;
  /** Rate limits shared by every instance on the store. */
  limits: Limits;
  /** Decodes QR photos in worker threads (the scan page and the chat); closed when the app stops. */
  qrPool: QrDecodePool;
  /** Checks chosen passwords in a worker thread (the policy's dictionaries stay out of the main thread); closed when the app stops. */
  passwords: PasswordCheckPool;
}

export interface ServicesDeps {
  config: Config;
  store: DocumentStore;
  translator: Translator;
  logger: Logger;
  /** How the notify path continues a conversation (the adapter's continueConversation). */
  continueConversation: ContinueConversation;
  /** Test hooks for the mail outbox (retry timing, transport). */
  mail?: Pick<MailerDeps, 'retry' | 'pollMs' | 'transport' | 'maxAttempts'>;
}

/** The services layer, wired once (the app and the dialog tests both use it). */
export function buildServices(deps: ServicesDeps): Services {
  const { config, store, translator, logger } = deps;
  const installers = new InstallerRepository(store);
  const tokens = createLinkTokens(store, loadTokenSecret(config));
  const mailer = createMailer({ config, store, translator, logger, ...deps.mail });
  const references = new ConversationReferences(store);
  const limits = limitsFromConfig(store, config);
  const linkCodes = new ChatLinkCodes({ store, mailer, limits });
  const erasers = new PersonalDataErasers();
  const notifier = new Notifier(deps.continueConversation, references, mailer, logger);
  const registration = new RegistrationService({
    installers,
    tokens,
    mailer,
    references,
    notifier,
    codes: linkCodes,
    erasers,
    publicUrl: config.PUBLIC_URL,
    logger,
    limits,
  });
  const stations = new StationService({ installers, tokens, notifier, publicUrl: config.PUBLIC_URL, logger });
  const qrPool = new QrDecodePool({ logger });
  const qrReader = new QrImageReader(qrPool.decode);
  const passwords = new PasswordCheckPool();
  return { installers, tokens, mailer, references, notifier, registration, linkCodes, erasers, stations, qrReader, qrPool, passwords, limits };
}
