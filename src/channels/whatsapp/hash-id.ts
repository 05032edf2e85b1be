/**
 * A short, stable stand-in for a chat or message id in logs: its keyed pseudonym (HMAC-SHA-256,
 * see `src/pseudonym.ts`), never a bare hash, which a list of phone numbers would reverse. Lets an
 * operator follow one conversation without the log holding a phone number.
 *
 * ```ts
 * log.info({ chat: hashId(jid) }, 'whatsapp reply sent');
 * ```
 */
export { pseudonym as hashId } from '../../pseudonym.js';
