import { transition } from '../../domain/journeyTransitions';
import { stationLocationUrl, stationScanUrl } from '../../domain/links';
import type { Language } from '../../domain/language';
import { lastLocalizationWithin } from '../../domain/sameSpot';
import type { Position, StationLocalization } from '../../domain/station';
import type { Logger } from '../../logger';
import type { InstallerRepository } from '../installers/installerRepository';
import type { Notifier } from '../notify/notifier';
import { type LinkTokens, STATION_LINK_TTL_MS } from '../tokens/linkTokens';
import type { StationActions } from './stationActions';
import type { StationLocalizations } from './stationLocalizations';
import type { StationRegistry } from './stationRegistry';

export interface StationServiceDeps {
  installers: InstallerRepository;
  /** Where the stations are kept (apart from the installer record). */
  localizations: StationLocalizations;
  tokens: LinkTokens;
  notifier: Notifier;
  publicUrl: string;
  logger: Logger;
  /** Where each localization also goes (the local registry, or the signed webhook); absent → the installer's record only. */
  registry?: StationRegistry;
  now?: () => Date;
}

/** On-site localization: any number of stations per installer, each kept in its own document. */
export class StationService implements StationActions {
  constructor(private readonly deps: StationServiceDeps) {}

  async scanPageLink(installerId: string): Promise<string> {
    const token = await this.deps.tokens.current('station', installerId, STATION_LINK_TTL_MS);
    return stationScanUrl(this.deps.publicUrl, token);
  }

  async locationPageLink(installerId: string, mac: string): Promise<string> {
    const token = await this.deps.tokens.current('station', installerId, STATION_LINK_TTL_MS);
    return stationLocationUrl(this.deps.publicUrl, token, mac);
  }

  /** The installer's stations, newest last. */
  localized(installerId: string): Promise<StationLocalization[]> {
    return this.deps.localizations.list(installerId);
  }

  /** How many stations the installer localized (without reading each one). */
  localizedCount(installerId: string): Promise<number> {
    return this.deps.localizations.count(installerId);
  }

  /**
   * The station the installer localized last, other than `exceptMac` (the one being localized), if
   * within the last few hours: the position "same spot as the last one" reuses.
   */
  async lastLocalizedRecently(installerId: string, exceptMac: string): Promise<StationLocalization | undefined> {
    const others = (await this.localized(installerId)).filter((s) => s.mac !== exceptMac);
    return lastLocalizationWithin(others, this.deps.now?.() ?? new Date());
  }

  async describe(installerId: string): Promise<{ email: string; language: Language } | undefined> {
    const installer = await this.deps.installers.get(installerId);
    return installer ? { email: installer.email, language: installer.language } : undefined;
  }

  /**
   * Records the station (a station localized again gets its new position). `notifyChat` is false
   * when the chat itself recorded it (it answers in the same turn); the pages continue the chat.
   */
  async localize(installerId: string, mac: string, position: Position, notifyChat = true): Promise<void> {
    const entry: StationLocalization = { mac, ...position, localizedAt: (this.deps.now?.() ?? new Date()).toISOString() };
    const installer = await this.deps.installers.get(installerId);
    if (!installer) throw new Error('localize: no such installer');
    // only an installer with an account set up localizes stations (the step and the pages open only then)
    const decided = transition(installer.stage, 'stationLocalized');
    if (!decided.ok) throw new Error(`localize: refused at stage ${installer.stage}`);
    // the record is written only when the journey moves on: a station is not a change of the installer record
    const advanced = decided.changed ? await this.deps.installers.advance(installerId, 'stationLocalized') : undefined;
    if (advanced?.kind === 'missing') throw new Error('localize: no such installer');
    if (advanced?.kind === 'refused') throw new Error(`localize: refused at stage ${advanced.installer.stage}`);
    await this.deps.localizations.record(installerId, entry);
    await this.deps.registry?.record(advanced?.installer ?? installer, entry);
    this.deps.logger.info('station localized');
    if (notifyChat) await this.deps.notifier.notify(installerId, { name: 'stationLocalized' });
  }
}
