import type { Language } from './language';

/** The installer's profile: the required fields of the university portal, as saved. */
export interface Profile {
  firstName: string;
  lastName: string;
  company: string;
  /** E.164, e.g. +4791234567 */
  phone: string;
  /** ISO 3166-1 alpha-2, e.g. NO */
  country: string;
  postalCode: string;
  language: Language;
}
