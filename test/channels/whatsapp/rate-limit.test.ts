import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createSendPacer } from '../../../src/channels/whatsapp/create-send-pacer.js';
import { createWhatsAppHandler } from '../../../src/channels/whatsapp/create-whatsapp-handler.js';
import { WHATSAPP_TEXTS } from '../../../src/channels/whatsapp/whatsapp-texts.js';
import { createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../../src/core/session-store.js';
import { createRateLimiter } from '../../../src/web/rate-limiter.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';
import { createFakeSocket, PHONE_JID, text } from './fake-socket.js';

describe('WhatsApp per-chat rate limit', () => {
  it('answers a burst up to the limit, asks to slow down once, and leaves other chats alone', async () => {
    let now = 0;
    const sock = createFakeSocket();
    const handler = createWhatsAppHandler({
      assistant: createAssistant(loadOrThrow(makeMiniKb())),
      sessions: createMemorySessionStore({ ttlMs: 60_000 }),
      log: pino({ level: 'silent' }),
      pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }),
      now: () => now,
      rateLimit: createRateLimiter({ perSecond: 1, burst: 2, now: () => now }),
    });
    handler.attach(sock);
    const other = '5215599999999@s.whatsapp.net';
    sock.upsert([text('menu'), text('menu'), text('menu'), text('menu'), text('menu', { remoteJid: other })]);
    await handler.idle();
    const mine = sock.sent.filter((s) => s.jid === PHONE_JID).map((s) => s.text);
    expect(mine).toHaveLength(3);
    expect(mine[2]).toBe(WHATSAPP_TEXTS.slowDown);
    expect(sock.sent.filter((s) => s.jid === other).map((s) => s.text)).not.toContain(WHATSAPP_TEXTS.slowDown);
    now += 5_000;
    sock.upsert([text('menu')]);
    await handler.idle();
    expect(sock.sent.filter((s) => s.jid === PHONE_JID).at(-1)?.text).not.toBe(WHATSAPP_TEXTS.slowDown);
  });
});
