import { createHash } from 'node:crypto';
import type { StationLocalization } from '../../domain/station';
import type { InstallerRepository } from '../installers/installerRepository';
import { type DocumentStore, isEtagConflict } from '../store/documentStore';

/**
 * The installer's part in a key: a hash of the id (the id is the email address), as the job keys
 * do (jobRecords.ts keyedJobId), so no key names the person.
 */
function installerPart(installerId: string): string {
  return createHash('sha256').update(`stations\u0000${installerId}`).digest('hex').slice(0, 40);
}

/** The set (DocumentStore addToSet) of the MACs the installer localized, in the order first localized. */
export const localizedMacsKey = (installerId: string) => `stations/${installerPart(installerId)}`;
/** One localization: the station's latest position as this installer recorded it. */
export const localizationKey = (installerId: string, mac: string) => `stations/${installerPart(installerId)}/${mac}`;

/**
 * The stations an installer localized, kept apart from the installer record so that localizing
 * never contends on it: each station is one document (localizing a MAC again replaces just that
 * one) and the installer's MACs are a set, which writers add to without a conflict.
 *
 * An earlier version kept them as an array on the installer record (`stationsLocalized`). Reading
 * folds that array into this layout, then drops from the record only the entries it folded (an
 * instance of the earlier version may append meanwhile: that entry stays for the next read), so an
 * upgrade loses no localization.
 */
export class StationLocalizations {
  constructor(
    private readonly store: DocumentStore,
    private readonly installers: InstallerRepository,
  ) {}

  /** Records one localization; the caller has checked the installer may localize stations. */
  async record(installerId: string, localization: StationLocalization): Promise<void> {
    await this.store.put(localizationKey(installerId, localization.mac), localization);
    await this.store.addToSet(localizedMacsKey(installerId), [localization.mac]);
    // the installer's data was deleted while this was written: nothing stays behind. Looking only
    // after writing is what makes "delete my data" complete: if the record is still there, both
    // writes are done before it is deleted, and the erasure's pass after the record is gone
    // (PersonalDataErasers, againAfterRecordGone) finds them
    if (!(await this.installers.get(installerId))) await this.erase(installerId);
  }

  /** The installer's localizations, newest last (a station localized again counts as of then). */
  async list(installerId: string): Promise<StationLocalization[]> {
    const legacy = (await this.installers.get(installerId))?.stationsLocalized ?? [];
    if (legacy.length > 0) await this.fold(installerId, legacy);
    const macs = await this.store.setMembers(localizedMacsKey(installerId));
    const stored = await Promise.all(macs.map(async (mac) => (await this.store.get<StationLocalization>(localizationKey(installerId, mac)))?.value));
    // sort is stable: of two at the same moment, the one first localized stays first
    return stored.filter((s): s is StationLocalization => s !== undefined).sort((a, b) => a.localizedAt.localeCompare(b.localizedAt));
  }

  /** How many stations the installer localized: the set's size, once an earlier version's array is folded (the station step asks at every turn). */
  async count(installerId: string): Promise<number> {
    const legacy = (await this.installers.get(installerId))?.stationsLocalized ?? [];
    if (legacy.length > 0) return (await this.list(installerId)).length;
    return (await this.store.setMembers(localizedMacsKey(installerId))).length;
  }

  /** Moves them to another id (support corrected the email address, which is the id). */
  async move(fromId: string, toId: string): Promise<void> {
    const localizations = await this.list(fromId);
    for (const localization of localizations) await this.keepNewer(toId, localization);
    await this.store.addToSet(localizedMacsKey(toId), localizations.map((s) => s.mac));
    await this.erase(fromId);
  }

  /** "Delete my data": every localization of the installer and the set naming them. */
  async erase(installerId: string): Promise<void> {
    const macs = await this.store.setMembers(localizedMacsKey(installerId));
    for (const mac of macs) await this.store.delete(localizationKey(installerId, mac));
    await this.store.removeFromSet(localizedMacsKey(installerId), macs);
  }

  private async fold(installerId: string, legacy: StationLocalization[]): Promise<void> {
    for (const localization of legacy) await this.keepNewer(installerId, localization);
    await this.store.addToSet(localizedMacsKey(installerId), legacy.map((s) => s.mac));
    const folded = new Set(legacy.map(entryId));
    const kept = await this.installers.update(installerId, (current) => {
      const { stationsLocalized, ...rest } = current;
      const left = (stationsLocalized ?? []).filter((s) => !folded.has(entryId(s)));
      return left.length > 0 ? { ...rest, stationsLocalized: left } : rest;
    });
    // deleted while it was folded
    if (!kept) await this.erase(installerId);
  }

  /** Writes the localization unless the installer's document for that MAC is as new or newer. */
  private async keepNewer(installerId: string, localization: StationLocalization): Promise<void> {
    const key = localizationKey(installerId, localization.mac);
    const current = await this.store.get<StationLocalization>(key);
    if (current && current.value.localizedAt >= localization.localizedAt) return;
    try {
      if (current) await this.store.put(key, localization, { etag: current.etag, mustExist: true });
      else await this.store.create(key, localization);
    } catch (error) {
      // written meanwhile: by a localization newer than the one being folded
      if (!isEtagConflict(error)) throw error;
    }
  }
}

const entryId = (s: StationLocalization) => `${s.mac}\u0000${s.localizedAt}`;
