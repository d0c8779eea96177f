/**
 * What the account pages (password page, confirmation link) ask of the registration service.
 * Implemented by RegistrationService; the web layer only sees this port.
 */
export interface AccountActions {
  /** The email and language of an installer, for the page (e.g. "password must not be the email"), and whether the email is confirmed. */
  describe(installerId: string): Promise<{ email: string; language: 'nb' | 'en'; confirmed?: boolean } | undefined>;
  /** Whether the installer typed this password into the chat (it is no longer secret). */
  wasTypedInChat(installerId: string, password: string): Promise<boolean>;
  /**
   * Creates the installer's user at the university portal (the LMS) with the chosen password, in
   * the page's request: the only moment the password exists in clear. 'existing': the portal
   * already had the address (its own password stays); 'unavailable': the portal did not answer
   * (try again in a minute); 'refused': the portal refused it.
   */
  createPortalUser(installerId: string, password: string): Promise<'created' | 'existing' | 'unavailable' | 'refused'>;
  /** Hashes and stores the password, marks the installer registered, queues the confirmation email, continues the chat. */
  setPassword(installerId: string, password: string): Promise<void>;
  /** Marks the email confirmed and continues the chat. */
  confirmEmail(installerId: string): Promise<void>;
}
