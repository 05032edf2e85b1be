import type { Assistant } from './create-assistant.js';

/**
 * True when the text is an emergency happening now (or a suicidal crisis). Channels ask this
 * before anything that could make a message wait: rate limits, per-chat queues, the WhatsApp
 * pacer, a shared store such as Redis. Pure and cheap (the triage alone, no retrieval).
 *
 * ```ts
 * if (!isUrgent(assistant, text) && !(await limiter.take(user))) return tooMany();
 * ```
 */
export function isUrgent(assistant: Pick<Assistant, 'triage'>, text: string | undefined): boolean {
  if (!text) return false;
  const level = assistant.triage(text).level;
  return level === 'emergency' || level === 'crisis';
}
