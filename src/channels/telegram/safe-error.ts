import { GrammyError, HttpError } from 'grammy';

/** What is logged about an error: never the token, never the message text of a payload. */
export interface SafeError {
  type: string;
  message: string;
  /** Bot API method that failed, for API errors. */
  method?: string;
  /** Bot API error code (400, 403, 429, 5xx…). */
  code?: number;
  /** Bot API description ("Forbidden: bot was blocked by the user"). */
  description?: string;
  /** The cause of a network error (`ECONNREFUSED`…). */
  cause?: string;
  stack?: string;
}

/**
 * Flattens an error for the log with the bot token scrubbed everywhere it could hide: a failed
 * request's URL is `…/bot<token>/sendMessage`, and Node's fetch errors quote it. API payloads are
 * left out (they hold what people wrote).
 *
 * ```ts
 * log.error({ err: safeError(error, token) }, 'update failed');
 * ```
 */
export function safeError(error: unknown, token: string): SafeError {
  const scrub = (s: string | undefined) => (s === undefined ? undefined : scrubToken(s, token));
  if (error instanceof GrammyError)
    return {
      type: 'GrammyError',
      message: scrub(error.message) as string,
      method: error.method,
      code: error.error_code,
      description: scrub(error.description),
    };
  if (error instanceof HttpError) {
    const inner = error.error;
    const cause = inner instanceof Error ? `${(inner as { code?: string }).code ?? inner.name}: ${inner.message}` : String(inner);
    return { type: 'HttpError', message: scrub(error.message) as string, cause: scrub(cause) };
  }
  if (error instanceof Error)
    return { type: error.name, message: scrub(error.message) as string, stack: scrub(error.stack) };
  return { type: typeof error, message: scrub(String(error)) as string };
}

/** Replaces the token, and anything shaped like `bot<digits>:<secret>` in a URL, with `[token]`. */
export function scrubToken(text: string, token: string): string {
  const out = token ? text.split(token).join('[token]') : text;
  return out.replace(/bot\d+:[A-Za-z0-9_-]{20,}/g, 'bot[token]');
}
