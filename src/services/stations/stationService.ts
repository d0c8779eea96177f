import { stationLocationUrl, stationScanUrl } from '../../domain/links';
import type { Language } from '../../domain/language';
import type { Position, StationLocalization } from '../../domain/station';
import type { Logger } from '../../logger';
import type { InstallerRepository } from '../installers/installerRepository';
import type { Notifier } from '../notify/notifier';
import { type LinkTokens, STATION_LINK_TTL_MS } from '../tokens/linkTokens';
import type { StationActions } from './stationActions';
import type { StationRegistry } from './stationRegistry';

export interface StationServiceDeps {
  installers: InstallerRepository;
  tokens: LinkTokens;
  notifier: Notifier;
  publicUrl: string;
  logger: Logger;
  /** Where each localization also goes (the local registry, or the signed webhook); absent → the installer's record only. */
  registry?: StationRegistry;
  now?: () => Date;
}

/** On-site localization: stations are recorded on the installer, any number of them. */
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
    const advanced = await this.deps.installers.advance(installerId, 'stationLocalized', (current) => ({
      ...current,
      stationsLocalized: [...current.stationsLocalized.filter((s) => s.mac !== mac), entry],
    }));
    if (advanced.kind === 'missing') throw new Error('localize: no such installer');
    // only an installer with an account set up localizes stations (the step and the pages open only then)
    if (advanced.kind === 'refused') throw new Error(`localize: refused at stage ${advanced.installer.stage}`);
    const updated = advanced.installer;
    await this.deps.registry?.record(updated, entry);
    this.deps.logger.info({ stations: updated.stationsLocalized.length }, 'station localized');
    if (notifyChat) await this.deps.notifier.notify(installerId, { name: 'stationLocalized' });
  }
}
