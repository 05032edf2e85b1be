import type { Assistant } from './create-assistant.js';
import { isUrgent } from './is-urgent.js';
import type { SessionStore } from './session-store.js';
import type { IncomingMessage, Reply } from './types.js';

/**
 * The one call every channel makes: loads the sender's session, asks the core, saves the session.
 * An emergency is answered at once, without waiting on the session store (Redis may be slow or
 * down): its reply needs no conversation state, and the session is saved in the background.
 *
 * ```ts
 * const reply = await handleMessage({ assistant, sessions }, { userId: 'telegram:42', text: 'hola' });
 * ```
 */
export async function handleMessage(
  deps: { assistant: Assistant; sessions: SessionStore; now?: () => number },
  message: IncomingMessage,
): Promise<Reply> {
  if (isUrgent(deps.assistant, message.text)) {
    const { reply, session: next } = deps.assistant.respond(message, undefined, deps.now?.() ?? Date.now());
    void Promise.resolve()
      .then(() => deps.sessions.set(message.userId, next))
      .catch(() => {});
    return reply;
  }
  const session = await deps.sessions.get(message.userId);
  const now = deps.now?.() ?? Date.now();
  const { reply, session: next } = deps.assistant.respondAsync
    ? await deps.assistant.respondAsync(message, session, now)
    : deps.assistant.respond(message, session, now);
  await deps.sessions.set(message.userId, next);
  return reply;
}
