import type { Assistant } from './create-assistant.js';
import type { SessionStore } from './session-store.js';
import type { IncomingMessage, Reply } from './types.js';

/**
 * The one call every channel makes: loads the sender's session, asks the core, saves the session.
 *
 * ```ts
 * const reply = await handleMessage({ assistant, sessions }, { userId: 'telegram:42', text: 'hola' });
 * ```
 */
export async function handleMessage(
  deps: { assistant: Assistant; sessions: SessionStore; now?: () => number },
  message: IncomingMessage,
): Promise<Reply> {
  const session = await deps.sessions.get(message.userId);
  const { reply, session: next } = deps.assistant.respond(message, session, deps.now?.() ?? Date.now());
  await deps.sessions.set(message.userId, next);
  return reply;
}
