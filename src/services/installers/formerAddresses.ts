import { createHash } from 'node:crypto';
import type { DocumentStore } from '../store/documentStore';

/**
 * How long a corrected address still leads to the installer: reports that name it (LearnUpon's
 * webhooks, retried up to 72 hours; its user keeps the address until the queued change has gone
 * through) and a course job that was under way with it (CourseJourney) find the installer meanwhile.
 */
export const FORMER_ADDRESS_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** An id (the address) in a key: hashed, so no key names a person (as jobRecords.ts keyedJobId does). */
function part(installerId: string): string {
  return createHash('sha256').update(`former-address\u0000${installerId}`).digest('hex').slice(0, 40);
}

/** Where a former id leads: the installer id it was corrected to. */
interface FormerAddress {
  installerId: string;
}

const formerKey = (hashed: string) => `former-address/${hashed}`;
/** The set of the hashed former ids that lead to an installer (so they go with it: "delete my data", a second correction). */
const ledByKey = (installerId: string) => `former-addresses/${part(installerId)}`;

/**
 * The addresses an installer had before support corrected them (or before they replaced an address
 * not yet confirmed): the former id (hashed in the key) → the installer's id now, kept
 * FORMER_ADDRESS_TTL_MS. Only a former id with no registration of its own is followed (someone may
 * register that address later). Erased with the installer ("delete my data"); a second correction
 * makes every former id lead to the newest one.
 */
export class FormerAddresses {
  constructor(private readonly store: DocumentStore) {}

  /** `fromId` was corrected to `toId`: it (and every id that led to `fromId`) leads to `toId` now. */
  async moved(fromId: string, toId: string): Promise<void> {
    if (fromId === toId) return;
    const ledHere = await this.store.setMembers(ledByKey(fromId));
    const hashed = [...new Set([part(fromId), ...ledHere])].filter((h) => h !== part(toId));
    for (const h of hashed) await this.store.put<FormerAddress>(formerKey(h), { installerId: toId }, { ttlMs: FORMER_ADDRESS_TTL_MS });
    await this.store.addToSet(ledByKey(toId), hashed);
    await this.store.removeFromSet(ledByKey(fromId), ledHere);
    await this.store.delete(ledByKey(fromId));
    // corrected back to an address it had: that one is a registration of its own again, not a former id
    await this.store.delete(formerKey(part(toId)));
    await this.store.removeFromSet(ledByKey(toId), [part(toId)]);
  }

  /** The installer id `formerId` was corrected to, if it was (within FORMER_ADDRESS_TTL_MS); the caller checks `formerId` has no registration of its own. */
  async current(formerId: string): Promise<string | undefined> {
    return (await this.store.get<FormerAddress>(formerKey(part(formerId))))?.value.installerId;
  }

  /** Someone registered `installerId` (an address corrected away before): it is theirs, and leads nowhere else now. */
  async reclaimed(installerId: string): Promise<void> {
    const leadsTo = await this.current(installerId);
    if (leadsTo === undefined) return;
    await this.store.delete(formerKey(part(installerId)));
    await this.store.removeFromSet(ledByKey(leadsTo), [part(installerId)]);
  }

  /** "Delete my data": the former ids that lead to the installer lead nowhere now. */
  async erase(installerId: string): Promise<void> {
    const hashed = await this.store.setMembers(ledByKey(installerId));
    for (const h of hashed) {
      // one that leads elsewhere meanwhile (corrected again) is that installer's
      if ((await this.store.get<FormerAddress>(formerKey(h)))?.value.installerId === installerId) await this.store.delete(formerKey(h));
    }
    await this.store.removeFromSet(ledByKey(installerId), hashed);
    await this.store.delete(ledByKey(installerId));
  }
}
