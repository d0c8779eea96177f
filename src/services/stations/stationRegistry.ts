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

/** What the local registry keeps per station: where it stands and since when, nothing about the person. */
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
}

/** With STATIONS_WEBHOOK_URL: recorded locally, and each localization queued for the signed POST to the registry. */
export class WebhookStationRegistry implements StationRegistry {
  constructor(
    private readonly local: StationRegistry,
    private readonly deliveries: LocalizationDeliveries,
  ) {}

  async record(installer: Installer, localization: StationLocalization): Promise<void> {
    await this.local.record(installer, localization);
    await this.deliveries.enqueue(installer.id, localizationPayload(installer, localization));
  }
}
