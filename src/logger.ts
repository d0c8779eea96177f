import pino, { type Logger } from 'pino';

export type { Logger };

/** Field names whose values are never logged, wherever they appear. */
const SECRET_PATHS = [
  'password',
  'passwordConfirm',
  'token',
  'secret',
  'authorization',
  'text',
  'value',
  '*.password',
  '*.passwordConfirm',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.text',
  '*.value',
  'req.headers.authorization',
  'headers.authorization',
  'headers.cookie',
];

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: SECRET_PATHS, censor: '[redacted]' },
      base: { service: 'installer-onboarding-assistant' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/**
 * Text that may be logged when LOG_TRANSCRIPTS is on: email addresses, link tokens, long
 * random-looking strings and anything after a password-ish word are masked.
 */
export function redactText(text: string): string {
  return text
    .replace(/([?&](?:token|code|secret|key)=)[^&\s]+/gi, '$1[redacted]')
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/\b(passord|password|pwd|pass)\b\s*[:=]?\s*\S+/gi, '$1 [redacted]')
    .replace(/\b[A-Za-z0-9_\-.]{24,}\b/g, '[redacted]');
}

/** Scrubs a URL's query string for logging. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/\?.*$/, (q) => (q.length > 1 ? '?[redacted]' : q));
}
