import { join } from 'node:path';
import type { Logger } from '../../logger.js';
import { createAuthStore, DamagedSessionError } from './create-auth-store.js';
import { createSentMessageStore } from './create-sent-message-store.js';
import { safeWhatsAppError } from './safe-whatsapp-error.js';
import { type StartWhatsAppDeps, startWhatsApp, type WhatsAppChannel } from './start-whatsapp.js';

export interface OpenWhatsAppDeps extends Omit<StartWhatsAppDeps, 'auth' | 'sentMessages'> {
  /** The session folder (`DATA_DIR/whatsapp/auth`): credentials, keys and recent sent messages. */
  authDir: string;
}

/** The one line logged when the saved session is damaged. */
export const DAMAGED_SESSION_MESSAGE =
  'WhatsApp queda desactivado: la sesión guardada está dañada (creds.json ilegible o incompleto). Borre la carpeta DATA_DIR/whatsapp/auth y vuelva a vincular el número. El chat web y Telegram siguen funcionando.';

/**
 * Opens the session folder and starts the channel. When the session cannot be used (a damaged
 * `creds.json`: invalid JSON or missing fields) or the folder cannot be opened, WhatsApp alone is
 * disabled with one error line and `undefined` is returned: it never exits the process and never
 * rejects, so the web chat and Telegram keep running.
 *
 * ```ts
 * const whatsapp = await openWhatsApp({ authDir, handler, log });
 * ```
 */
export async function openWhatsApp(deps: OpenWhatsAppDeps): Promise<WhatsAppChannel | undefined> {
  const { authDir, ...rest } = deps;
  try {
    const auth = await createAuthStore(authDir);
    const sentMessages = await createSentMessageStore(join(authDir, 'sent-messages.json'));
    if (sentMessages.damaged) deps.log.warn('whatsapp sent-message store unreadable: started empty (retry receipts of older messages cannot be answered)');
    return startWhatsApp({ ...rest, auth, sentMessages });
  } catch (err) {
    if (err instanceof DamagedSessionError) deps.log.error({ reason: 'damaged-session' }, DAMAGED_SESSION_MESSAGE);
    else deps.log.error({ err: safeWhatsAppError(err) }, 'WhatsApp queda desactivado: no se pudo abrir DATA_DIR/whatsapp/auth (¿se puede escribir en DATA_DIR?). El chat web y Telegram siguen funcionando.');
    return undefined;
  }
}
