/** Dialog ids of the registration steps; each id is also its help topic (chat:help.topics.<id>). */
export const REGISTRATION = 'registration';
export const REGION_QUESTION = 'region';
export const EMAIL_QUESTION = 'email';
export const EMAIL_CHECK = 'emailCheck';
export const AWAIT_CODE = 'awaitCode';
export const AWAIT_PASSWORD = 'awaitPassword';
export const AWAIT_CONFIRMATION = 'awaitConfirmation';
export const CONFIRM_OPTIONS = 'confirmOptions';

/** What a journey step dialog returns to the root: go on routing by stage, or stop here. */
export const CONTINUE = 'continue';
export const STOP = 'stop';
