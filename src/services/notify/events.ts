/**
 * Everything that happens outside a chat turn and continues the installer's conversations, with
 * its payload. The notify path delivers it as an event activity `onboarding.<name>` whose value
 * is `{ installerId, ...payload }`; the dialogs handle it like any other turn.
 */
export type NotifyEvent =
  | { name: 'passwordSet' }
  | { name: 'emailConfirmed' }
  | { name: 'stationLocalized'; stationId?: string }
  /** The LMS has the installer enrolled: the course list can be shown. */
  | { name: 'coursesReady' }
  /** A course was completed (not the last one). */
  | { name: 'courseCompleted'; courseId: string }
  /** Every course completed: certified, the invitation email went out. */
  | { name: 'certified' }
  /** The installer account was set up with the invitation link: stage active. */
  | { name: 'accountActivated' }
  /** Human support: an agent accepted the ticket. */
  | { name: 'agentJoined'; ticketId: string; agentName: string }
  /**
   * Human support: an agent's reply. `answer`: to a ticket the installer was told would be
   * answered by email (or, without an address, later in the chat): the chat shows it as support's
   * answer (`emailed`: it went by email too) and offers to answer it; it is not a live chat.
   */
  | { name: 'agentMessage'; ticketId: string; agentName: string; text: string; answer?: { number: number; emailed: boolean } }
  /** Human support: the ticket was closed; the bot resumes where the installer was. */
  | { name: 'handoffClosed'; ticketId: string }
  /** Human support: nobody accepted in time; support answers by email (when the address is known). */
  | { name: 'handoffByEmail'; ticketId: string; number: number; emailKnown: boolean }
  /** Human support: an agent moved the registration to a corrected address (the chat follows it). */
  | { name: 'emailCorrected' };

export type NotifyEventName = NotifyEvent['name'];
