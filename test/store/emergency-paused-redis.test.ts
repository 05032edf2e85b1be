import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createSendPacer } from '../../src/channels/whatsapp/create-send-pacer.js';
import { createWhatsAppHandler } from '../../src/channels/whatsapp/create-whatsapp-handler.js';
import { createAssistant } from '../../src/core/create-assistant.js';
import { handleMessage } from '../../src/core/handle-message.js';
import { createRedisDeduper } from '../../src/store/create-redis-deduper.js';
import { createRedisRateLimiter } from '../../src/store/create-redis-rate-limiter.js';
import { createRedisSessionStore } from '../../src/store/create-redis-session-store.js';
import { createFakeSocket, PHONE_JID, text } from '../channels/whatsapp/fake-socket.js';
import { loadOrThrow } from '../helpers/mini-kb.js';
import { REDIS_AVAILABLE, REDIS_SKIP_REASON, useRedisAndMiniKb } from './redis-server.js';

/** Resolves to 'pending' if the promise has not settled within `ms`. */
const within = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms))]);

describe.skipIf(!REDIS_AVAILABLE)(REDIS_AVAILABLE ? 'an emergency never waits on a paused Redis' : REDIS_SKIP_REASON, () => {
  const suite = useRedisAndMiniKb();

  it('answers 911 through the core while Redis is frozen; an ordinary question waits for it', async () => {
    const assistant = createAssistant(loadOrThrow(suite.dir));
    const sessions = createRedisSessionStore({ redis: suite.redis.client(), ttlMs: 60_000, prefix: 'p1:' });
    await sessions.set('web:warm', { updatedAt: 1 }); // the connection is up before the pause
    suite.redis.pause();
    try {
      const emergency = await within(handleMessage({ assistant, sessions }, { userId: 'web:a', text: 'mi papa no respira' }), 1_000);
      expect(emergency).not.toBe('pending');
      expect(emergency !== 'pending' && emergency.kind).toBe('emergency');
      const ordinary = handleMessage({ assistant, sessions }, { userId: 'web:b', text: 'como saco mi credencial' });
      expect(await within(ordinary, 300)).toBe('pending');
      suite.redis.resume();
      expect((await ordinary).kind).not.toBe('emergency');
    } finally {
      suite.redis.resume();
    }
  });

  it('sends the WhatsApp emergency reply past the shared dedupe, the shared rate limit and the pacer queue', async () => {
    const client = suite.redis.client();
    const sock = createFakeSocket();
    const handler = createWhatsAppHandler({
      assistant: createAssistant(loadOrThrow(suite.dir)),
      sessions: createRedisSessionStore({ redis: client, ttlMs: 60_000, prefix: 'p2:' }),
      log: pino({ level: 'silent' }),
      // A slow pacer: an ordinary reply waits its turn behind the others.
      pacer: createSendPacer({ minIntervalMs: 5_000, jitterMs: 0 }),
      dedupe: createRedisDeduper({ redis: client, prefix: 'p2d:' }),
      rateLimit: createRedisRateLimiter({ redis: client, limit: 1, windowMs: 60_000, prefix: 'p2r:' }),
      typing: false,
      readReceipts: false,
    });
    handler.attach(sock);
    await client.ping();
    suite.redis.pause();
    try {
      sock.upsert([text('como saco mi credencial', { remoteJid: '5215511111111@s.whatsapp.net' })]);
      sock.upsert([text('ayuda mi hijo se trago una pila de reloj')]);
      const deadline = Date.now() + 1_000;
      while (!sock.sent.some((s) => s.jid === PHONE_JID) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const mine = sock.sent.filter((s) => s.jid === PHONE_JID);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine[0]?.text).toContain('911');
      expect(sock.sent.some((s) => s.jid !== PHONE_JID)).toBe(false); // the ordinary one is still waiting
    } finally {
      suite.redis.resume();
    }
  });
});
