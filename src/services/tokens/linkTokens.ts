export type TokenPurpose = 'password' | 'confirm' | 'station' | 'invitation' | 'course';

export type RedeemResult =
  | { ok: true; installerId: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' | 'replaced' | 'wrong_purpose' };

/**
 * Signed (HMAC-SHA256), single-use, expiring link tokens bound to one installer and one purpose.
 * Issuing a new token of a purpose for an installer invalidates the earlier ones.
 */
export interface LinkTokens {
  /** A new link (the earlier one of this purpose stops working): only when the user asks for a new link. */
  issue(purpose: TokenPurpose, installerId: string, ttlMs: number): Promise<string>;
  /**
   * The link a step shows: the current one again while it is unused and has time left, else a new
   * one. Re-asking a question never revokes a page the installer has open.
   */
  current(purpose: TokenPurpose, installerId: string, ttlMs: number): Promise<string>;
  /** Checks without using the token up (to show a page). */
  check(token: string, purpose: TokenPurpose): Promise<RedeemResult>;
  /** Checks and uses the token up: a second redeem answers 'used'. */
  redeem(token: string, purpose: TokenPurpose): Promise<RedeemResult>;
  /** Makes every outstanding link of the installer invalid (their data is being deleted). */
  forget(installerId: string): Promise<void>;
  /** Makes every outstanding link of the installer answer 'replaced' (the address was corrected); no record names the installer after it. */
  replace(installerId: string): Promise<void>;
}

export const PASSWORD_LINK_TTL_MS = 30 * 60 * 1000;
export const CONFIRM_LINK_TTL_MS = 48 * 60 * 60 * 1000;
/** The station page is used on site, possibly for a while (several stations): two hours. */
export const STATION_LINK_TTL_MS = 2 * 60 * 60 * 1000;
/** The invitation to set up the installer account: mailed once certified, so it must outlive a holiday week. */
export const INVITATION_LINK_TTL_MS = 14 * 24 * 60 * 60 * 1000;
/** The local LMS's course pages (/dev/courses) are used over days: thirty days. */
export const COURSE_LINK_TTL_MS = 30 * 24 * 60 * 60 * 1000;
