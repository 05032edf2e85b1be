import { createHash } from 'node:crypto';

/**
 * A short, stable stand-in for a chat or message id in logs: the first 12 hex digits of its
 * SHA-256. Lets an operator follow one conversation without the log holding a phone number.
 *
 * ```ts
 * log.info({ chat: hashId(jid) }, 'whatsapp reply sent');
 * ```
 */
export function hashId(id: string | null | undefined): string {
  return createHash('sha256')
    .update(id ?? '')
    .digest('hex')
    .slice(0, 12);
}
