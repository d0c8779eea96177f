import { randomUUID } from 'node:crypto';
import type { Installer } from '../../domain/installer';
import type { Region } from '../../domain/journey';
import type { Language } from '../../domain/language';
import type { StationLocalization } from '../../domain/station';
import type { DocumentStore } from '../store/documentStore';

/**
 * One localization as the station registry receives it (the JSON body of the webhook). `id` is
 * the same on every retry of one localization, so a receiver can drop a duplicate.
 */
export interface LocalizationPayload {
  id: string;
  type: 'station.localized';
  station: { mac: string; latitude: number; longitude: number; accuracyMeters?: number };
  localizedAt: string;
  /** Who localized it: the installer's account (the name and company as set up on the invitation page). */
  installer: { email: string; region: Region; language: Language; firstName?: string; lastName?: string; company?: string };
}

/** Where localized stations go besides the installer's record: ChargePoint's station registry. */
export interface StationRegistry {
  record(installer: Installer, localization: StationLocalization): Promise<void>;
}

export function localizationPayload(installer: Installer, localization: StationLocalization, id: string = randomUUID()): LocalizationPayload {
  const named = installer.account ?? installer.profile;
  return {
    id,
    type: 'station.localized',
    station: {
      mac: localization.mac,
      latitude: localization.latitude,
      longitude: localization.longitude,
      ...(localization.accuracyMeters !== undefined ? { accuracyMeters: localization.accuracyMeters } : {}),
    },
    localizedAt: localization.localizedAt,
    installer: {
      email: installer.email,
      region: installer.region,
      language: installer.language,
      ...(named ? { firstName: named.firstName, lastName: named.lastName, company: named.company } : {}),
    },
  };
}

/**
 * What the local registry keeps per station: where it stands and since when, nothing about the
 * person. "Delete my data" leaves these documents as they are, on purpose: a station and its
 * position are the station owner's (the customer's), not the installer's, and nothing here ties
 * the station to who localized it (that tie is the installer's `stations/<hash>/<MAC>` documents
 * and MAC set, which the erasure deletes). So there is no installer part to scrub, and none may be
 * added: a field naming the person here would outlive their erasure.
 */
export interface RegisteredStation {
  mac: string;
  latitude: number;
  longitude: number;
  accuracyMeters?: number;
  localizedAt: string;
}

export const registeredStationKey = (mac: string) => `station-registry/${mac}`;

/** The local default: the latest position of each station, in the store (the installer's record keeps their own list). */
export class LocalStationRegistry implements StationRegistry {
  constructor(private readonly store: DocumentStore) {}

  async record(_installer: Installer, localization: StationLocalization): Promise<void> {
    const { mac, latitude, longitude, accuracyMeters, localizedAt } = localization;
    const station: RegisteredStation = { mac, latitude, longitude, ...(accuracyMeters !== undefined ? { accuracyMeters } : {}), localizedAt };
    await this.store.put(registeredStationKey(mac), station);
  }

  async get(mac: string): Promise<RegisteredStation | undefined> {
    return (await this.store.get<RegisteredStation>(registeredStationKey(mac)))?.value;
  }
}

/** Something that delivers payloads later, durably (the localization queue, or the app's durable jobs). */
export interface LocalizationDeliveries {
  enqueue(installerId: string, payload: LocalizationPayload): Promise<void>;
  /** "Delete my data": drops the installer's deliveries not made yet (their payloads name the person). */
  forget(installerId: string): Promise<number>;
  /**
   * Support corrected the email address (the id): the deliveries not made yet that `fromId` queued
   * are filed under the moved installer and name them as they are now (the new address).
   */
  move(fromId: string, installer: Installer): Promise<number>;
}

/**
 * With STATIONS_WEBHOOK_URL: recorded locally, and each localization queued for the signed POST to
 * the registry. The payload names the installer (email, name, company): once delivered it is the
 * remote registry's, and the webhook has no way to ask it to forget someone (README, "Privacy"), so
 * "delete my data" can only drop the deliveries not made yet.
 */
export class WebhookStationRegistry implements StationRegistry {
  constructor(
    private readonly local: StationRegistry,
    private readonly deliveries: LocalizationDeliveries,
    private readonly installers: { get(installerId: string): Promise<Installer | undefined> },
  ) {}

  async record(installer: Installer, localization: StationLocalization): Promise<void> {
    await this.local.record(installer, localization);
    await this.deliveries.enqueue(installer.id, localizationPayload(installer, localization));
    // the installer's data was deleted while this was queued: the delivery does not outlive it (an
    // erasure that has not deleted the record yet drops it in its pass after the record is gone)
    if (!(await this.installers.get(installer.id))) await this.deliveries.forget(installer.id);
  }
}
