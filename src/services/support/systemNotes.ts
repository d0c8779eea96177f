/**
 * What happened on a ticket besides messages, as transcript lines from 'system': the text is a
 * locale key (locales/<lang>/support.json) the console shows in the agent's language, with
 * {{name}} = the entry's agentName.
 */
export const SYSTEM_NOTES = {
  agentJoined: 'support:system.agentJoined',
  /** Accepted, a ticket the installer was told would be answered by email (or later in the chat): the chat is not taken over. */
  agentTookLater: 'support:system.agentTookLater',
  installerLeft: 'support:system.installerLeft',
  outOfHours: 'support:system.outOfHours',
  noPickup: 'support:system.noPickup',
  photo: 'support:system.photo',
} as const;
