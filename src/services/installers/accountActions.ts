/**
 * What the account pages (password page, confirmation link) ask of the registration service.
 * Implemented by RegistrationService; the web layer only sees this port.
 */
export interface AccountActions {
  /** The email and language of an installer, for the page (e.g. "password must not be the email"), and whether the email is confirmed. */
  describe(installerId: string): Promise<{ email: string; language: 'nb' | 'en'; confirmed?: boolean } | undefined>;
  /** Whether the installer typed this password into the chat (it is no longer secret). */
  wasTypedInChat(installerId: string, password: string): Promise<boolean>;
  /** Hashes and stores the password, marks the installer registered, queues the confirmation email, continues the chat. */
  setPassword(installerId: string, password: string): Promise<void>;
  /** Marks the email confirmed and continues the chat. */
  confirmEmail(installerId: string): Promise<void>;
}
