import { createHmac, randomBytes } from 'node:crypto';

/**
 * A short stand-in for a chat, user or message id, the same for the same id under one key:
 * `hexDigits` long (default 12, enough to follow a conversation in the logs; 32 where ids must
 * not collide, as the keys of stored sessions).
 */
export type Pseudonym = (id: string | null | undefined, hexDigits?: number) => string;

/**
 * Pseudonyms as HMAC-SHA-256 under a secret key (the first 12 hex digits): an operator can follow
 * one conversation in the logs, but without the key nobody can test guessed phone numbers against
 * them, as one could against a bare hash (Mexico has only 10^10 of them).
 *
 * ```ts
 * const pseudonym = createPseudonym(staffKey({ dataDir: 'data' }));
 * log.info({ chat: pseudonym(jid) }, 'whatsapp reply sent');
 * ```
 */
export function createPseudonym(key: Buffer): Pseudonym {
  // (a key of its own for logs: a log line's pseudonym never equals the staff store's)
  const logKey = createHmac('sha256', key).update('orienta-log-pseudonym').digest();
  return (id, hexDigits = 12) =>
    createHmac('sha256', logKey)
      .update(id ?? '')
      .digest('hex')
      .slice(0, hexDigits);
}

// Until `usePseudonymKey` is called (by main.ts, with the key kept under DATA_DIR), a random key
// of this process: pseudonyms then link nothing across restarts, and still reveal nothing.
let current: Pseudonym = createPseudonym(randomBytes(32));

/** Sets the key every channel's `pseudonym` uses from now on (main.ts, at start). */
export function usePseudonymKey(key: Buffer): void {
  current = createPseudonym(key);
}

/**
 * The pseudonym of an id under the process's key (see `usePseudonymKey`): what every channel puts
 * in its logs instead of a chat, user or message id, and what the session stores key sessions by.
 */
export const pseudonym: Pseudonym = (id, hexDigits) => current(id, hexDigits);
