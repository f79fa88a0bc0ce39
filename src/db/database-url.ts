/** The text shown in place of a redacted password. */
export const REDACTED = '***';

/**
 * Replaces the password of every database URL in `text` with `***`, both the `user:password@`
 * part and a `password=` query parameter, so error messages and logs can show the URL. Works on
 * text that is not a valid URL too, because a rejected setting is shown as it was typed.
 */
export function redactDatabaseUrl(text: string): string {
  return text
    .replace(/(\/\/[^:/?#@\s]*):[^@\s]*@/g, `$1:${REDACTED}@`)
    .replace(/([?&]password=)[^&#\s]*/gi, `$1${REDACTED}`);
}
