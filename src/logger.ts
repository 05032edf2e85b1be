import pino, { type Logger } from 'pino';

/**
 * The process logger: JSON lines on stderr (stdout belongs to `ask`), secrets and personal data
 * redacted wherever they appear under the usual names.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: 'orienta' },
      redact: {
        paths: ['token', '*.token', 'config.TELEGRAM_BOT_TOKEN', 'config.STAFF_TOKEN', 'text', '*.text', 'phone', '*.phone', 'jid', '*.jid'],
        censor: '[oculto]',
      },
    },
    pino.destination(2),
  );
}
export type { Logger };
