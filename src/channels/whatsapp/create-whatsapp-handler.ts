import { type BaileysEventEmitter, type BaileysEventMap, isLidUser, isPnUser, jidNormalizedUser, type WAMessageKey, type WAPresence } from '@whiskeysockets/baileys';
import type { Assistant } from '../../core/create-assistant.js';
import { handleMessage } from '../../core/handle-message.js';
import { isUrgent } from '../../core/is-urgent.js';
import type { SessionStore } from '../../core/session-store.js';
import type { IncomingMessage, Reply } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { AsyncRateLimiter } from '../../store/create-redis-rate-limiter.js';
import type { Deduper } from '../../store/deduper.js';
import { type FormatWhatsAppOptions, formatWhatsApp } from './format-whatsapp.js';
import { hashId } from './hash-id.js';
import { safeWhatsAppError } from './safe-whatsapp-error.js';
import { readWhatsAppMessage, type WhatsAppInbound } from './read-whatsapp-message.js';
import { createSendPacer, type SendPacer, type SendPriority } from './create-send-pacer.js';
import { WHATSAPP_TEXTS } from './whatsapp-texts.js';

/**
 * The slice of a Baileys socket the adapter uses. `makeWASocket(…)` satisfies it; tests build
 * one on Baileys' own `makeEventBuffer`.
 */
export interface WhatsAppSocket {
  ev: Pick<BaileysEventEmitter, 'on' | 'off'>;
  sendMessage(jid: string, content: { text: string }): Promise<unknown>;
  readMessages(keys: WAMessageKey[]): Promise<void>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  /** Baileys' LID ↔ phone mapping (`sock.signalRepository.lidMapping`), when the socket has one. */
  signalRepository?: { lidMapping?: { getPNForLID(lid: string): Promise<string | null> } };
}

type Answerable = Extract<WhatsAppInbound, { kind: 'text' | 'location' | 'unsupported' }>;

/** After this many undecryptable deliveries of one message id, it is logged as given up (Baileys stops asking at its own `maxMsgRetryCount`). */
export const MAX_DECRYPT_RETRIES = 5;

export interface WhatsAppHandlerDeps {
  assistant: Assistant;
  sessions: SessionStore;
  log: Logger;
  /** Global outbound rate cap (default `createSendPacer()`: ≥ 250 ms apart plus up to 250 ms jitter). */
  pacer?: SendPacer;
  /** Shows "escribiendo…" while the reply is prepared and sent (default true). */
  typing?: boolean;
  /** Marks the message read (blue ticks) when it is taken up (default true). */
  readReceipts?: boolean;
  /** How many recent message ids are remembered to answer a twice-delivered message once (default 10,000). */
  dedupeWindow?: number;
  /** A second, shared check of message ids (Redis), so a redelivery after a restart is answered once (optional). */
  dedupe?: Deduper;
  /**
   * A per-chat limit (keyed `whatsapp:<jid>`): messages over it are not answered, and the chat is
   * told to slow down at most once a minute (default none).
   */
  rateLimit?: AsyncRateLimiter;
  format?: FormatWhatsAppOptions;
  now?: () => number;
  /** Called for each message that could not be decrypted (for a metrics counter). */
  onDecryptFailure?: () => void;
}

export interface WhatsAppHandler {
  /** Starts answering the socket's messages; returns a function that stops listening. */
  attach(sock: WhatsAppSocket): () => void;
  /** Messages being handled right now (waiting for their chat's turn included). */
  inFlight(): number;
  /** Resolves when no message is being handled. */
  idle(): Promise<void>;
  /** Messages that arrived undecryptable since start (retries included). */
  decryptFailures(): number;
}

/** `whatsapp:<canonical jid>`: see `canonicalJid`. */
export const whatsappUserId = (jid: string) => `whatsapp:${jid}`;

/**
 * One identity per person across the phone-number jid and the LID jid WhatsApp 7 may use for the
 * same person: the phone form (without device) when it is known — the chat id itself, the
 * message key's other form (`remoteJidAlt`, `senderPn`), or Baileys' LID mapping — else the jid
 * as received. Sessions, «baja», rate limits and log pseudonyms all use it; replies still go to
 * the chat as received.
 */
export async function canonicalJid(sock: WhatsAppSocket, chatId: string, altId?: string): Promise<string> {
  if (isPnUser(chatId)) return jidNormalizedUser(chatId);
  if (altId && isPnUser(altId)) return jidNormalizedUser(altId);
  if (isLidUser(chatId)) {
    try {
      const pn = await sock.signalRepository?.lidMapping?.getPNForLID(chatId);
      if (pn && isPnUser(pn)) return jidNormalizedUser(pn);
    } catch {
      // No mapping: the LID stands for the person.
    }
  }
  return jidNormalizedUser(chatId) || chatId;
}

/**
 * The WhatsApp adapter: reads each `messages.upsert` batch, answers new direct messages through
 * `handleMessage` and sends the core's reply as WhatsApp text. Drops what is not for the bot
 * (own, groups, status, newsletters, history) and second deliveries of a message id; keeps each
 * chat in order while chats run concurrently; paces every send through one global pacer; and
 * contains errors per message (logged with hashed ids, answered with an apology). It only ever
 * sends to the chat a message came from, so it never starts a conversation.
 *
 * ```ts
 * const handler = createWhatsAppHandler({ assistant, sessions, log });
 * const detach = handler.attach(sock);
 * ```
 */
export function createWhatsAppHandler(deps: WhatsAppHandlerDeps): WhatsAppHandler {
  const log = deps.log;
  const pacer = deps.pacer ?? createSendPacer();
  const typing = deps.typing ?? true;
  const readReceipts = deps.readReceipts ?? true;
  const window = deps.dedupeWindow ?? 10_000;
  const ask = (message: IncomingMessage) => handleMessage({ assistant: deps.assistant, sessions: deps.sessions, now: deps.now }, message);

  const seen = new Set<string>();
  /** People already answered once (bounded): their later replies wait behind others' first ones. */
  const answered = new Set<string>();
  /** Undecryptable deliveries per message id (bounded). */
  const undecryptable = new Map<string, number>();
  let decryptFailures = 0;
  const now = deps.now ?? Date.now;
  /** When each chat was last told to slow down. */
  const told = new Map<string, number>();
  const chats = new Map<string, Promise<void>>();
  let active = 0;
  let waiters: (() => void)[] = [];
  const idle = () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));

  const quietly = async (what: string, task: () => Promise<unknown>) => {
    try {
      await task();
    } catch (err) {
      log.debug({ err: safeWhatsAppError(err) }, `${what} failed`);
    }
  };

  /** The core's reply to one inbound message. */
  async function replyTo(inbound: Answerable, person: string): Promise<Reply> {
    const userId = whatsappUserId(person);
    if (inbound.kind === 'text') return ask({ userId, text: inbound.text });
    if (inbound.kind === 'location') return ask({ userId, location: { latitude: inbound.latitude, longitude: inbound.longitude } });
    // Read at each message: the knowledge (and its phrases) can be reloaded while running.
    const menuPhrase = deps.assistant.knowledge.conversation.phrases.menu[0] ?? 'menu';
    const menu = await ask({ userId, text: menuPhrase });
    return { ...menu, intent: 'no-soportado', text: `${WHATSAPP_TEXTS.unsupported}\n\n${menu.text}` };
  }

  async function handle(
    sock: WhatsAppSocket,
    key: WAMessageKey,
    inbound: Answerable,
    urgent = false,
  ) {
    const jid = inbound.chatId;
    const person = await canonicalJid(sock, jid, inbound.altId);
    const ids = { chat: hashId(person), msg: hashId(inbound.messageId) };
    // An emergency waits on nothing shared: a second delivery answered twice is the lesser harm.
    const dedupeKey = `${jid}\n${inbound.messageId}`;
    if (urgent) void deps.dedupe?.firstTime(dedupeKey).catch(() => {});
    else if (deps.dedupe && !(await deps.dedupe.firstTime(dedupeKey))) {
      log.debug({ msg: ids.msg }, 'duplicate whatsapp message dropped (shared store)');
      return;
    }
    if (!urgent && deps.rateLimit && !(await deps.rateLimit.take(whatsappUserId(person)))) {
      log.debug({ msg: ids.msg }, 'whatsapp message over the rate limit dropped');
      const last = told.get(person);
      if (last !== undefined && now() - last < 60_000) return;
      told.delete(person);
      told.set(person, now());
      if (told.size > 10_000) told.delete(told.keys().next().value as string);
      await quietly('slow-down notice', () => pacer.run(() => sock.sendMessage(jid, { text: WHATSAPP_TEXTS.slowDown })));
      return;
    }
    try {
      if (readReceipts && !urgent) await quietly('read receipt', () => sock.readMessages([key]));
      if (typing && !urgent) await quietly('typing presence', () => sock.sendPresenceUpdate('composing', jid));
      const reply = await replyTo(inbound, person);
      const priority: SendPriority = urgent || reply.kind === 'emergency' ? 'emergency' : answered.has(person) ? 'normal' : 'first';
      for (const text of formatWhatsApp(reply, deps.format)) await pacer.run(() => sock.sendMessage(jid, { text }), priority);
      answered.delete(person);
      answered.add(person);
      if (answered.size > window) answered.delete(answered.values().next().value as string);
      if (readReceipts && urgent) await quietly('read receipt', () => sock.readMessages([key]));
      log.debug({ ...ids, in: inbound.kind, kind: reply.kind, intent: reply.intent }, 'whatsapp reply sent');
    } catch (err) {
      log.error({ ...ids, err: safeWhatsAppError(err) }, 'whatsapp message failed');
      await quietly('apology', () => pacer.run(() => sock.sendMessage(jid, { text: WHATSAPP_TEXTS.apology })));
    } finally {
      if (typing && !urgent) await quietly('typing presence', () => sock.sendPresenceUpdate('paused', jid));
    }
  }

  /** Queues a message behind the earlier ones of its chat; an emergency goes at once. */
  function enqueue(sock: WhatsAppSocket, key: WAMessageKey, inbound: Answerable) {
    active++;
    const urgent = inbound.kind === 'text' && isUrgent(deps.assistant, inbound.text);
    let turn: Promise<void>;
    if (urgent) turn = handle(sock, key, inbound, true);
    else {
      const prev = chats.get(inbound.chatId) ?? Promise.resolve();
      turn = prev.then(() => handle(sock, key, inbound));
      chats.set(inbound.chatId, turn);
    }
    void turn.finally(() => {
      if (chats.get(inbound.chatId) === turn) chats.delete(inbound.chatId);
      if (--active === 0) {
        const ws = waiters;
        waiters = [];
        for (const w of ws) w();
      }
    });
  }

  function onUpsert(sock: WhatsAppSocket, { messages, type }: BaileysEventMap['messages.upsert']) {
    for (const msg of messages) {
      let inbound: WhatsAppInbound;
      try {
        inbound = readWhatsAppMessage(msg, type);
      } catch (err) {
        log.warn({ err: safeWhatsAppError(err) }, 'unreadable whatsapp message skipped');
        continue;
      }
      if (inbound.kind === 'ignore') {
        log.trace({ reason: inbound.reason }, 'whatsapp message ignored');
        continue;
      }
      if (inbound.kind === 'undecryptable') {
        // Not marked as seen: Baileys sends a retry receipt, and the resent copy (same id) is answered.
        decryptFailures++;
        deps.onDecryptFailure?.();
        const tries = (undecryptable.get(inbound.messageId) ?? 0) + 1;
        undecryptable.delete(inbound.messageId);
        undecryptable.set(inbound.messageId, tries);
        if (undecryptable.size > 1_000) undecryptable.delete(undecryptable.keys().next().value as string);
        const fields = { msg: hashId(inbound.messageId), tries, failures: decryptFailures };
        if (tries < MAX_DECRYPT_RETRIES) log.warn(fields, 'whatsapp message could not be decrypted: waiting for the resend');
        else if (tries === MAX_DECRYPT_RETRIES) log.error(fields, 'whatsapp message could not be decrypted after the retries: given up');
        continue;
      }
      const dedupeKey = `${inbound.chatId}\n${inbound.messageId}`;
      if (seen.has(dedupeKey)) {
        log.debug({ msg: hashId(inbound.messageId) }, 'duplicate whatsapp message dropped');
        continue;
      }
      seen.add(dedupeKey);
      if (seen.size > window) seen.delete(seen.values().next().value as string);
      enqueue(sock, msg.key, inbound);
    }
  }

  return {
    attach(s) {
      const listener = (batch: BaileysEventMap['messages.upsert']) => onUpsert(s, batch);
      s.ev.on('messages.upsert', listener);
      return () => s.ev.off('messages.upsert', listener);
    },
    inFlight: () => active,
    idle,
    decryptFailures: () => decryptFailures,
  };
}
