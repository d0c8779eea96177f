/** How long a chosen password may be, in characters (code points). Apart from the policy, which loads large dictionaries. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
