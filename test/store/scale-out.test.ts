/**
 * Several instances behind a load balancer: two web apps and two Telegram webhook bots, each
 * with its own engine and Redis connection, sharing one real redis-server on 127.0.0.1.
 */
import { rmSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../src/channels/telegram/create-telegram-bot.js';
import { createSendPacer } from '../../src/channels/whatsapp/create-send-pacer.js';
import { createWhatsAppHandler } from '../../src/channels/whatsapp/create-whatsapp-handler.js';
import { connectRedis } from '../../src/store/connect-redis.js';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createHttpServer, type HttpServer } from '../../src/http/create-http-server.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { createRedisDeduper } from '../../src/store/create-redis-deduper.js';
import { createRedisRateLimiter } from '../../src/store/create-redis-rate-limiter.js';
import { createRedisSessionStore } from '../../src/store/create-redis-session-store.js';
import { mountWeb } from '../../src/web/mount-web.js';
import { createFakeBotApi, type FakeBotApi, sentTo, shown, TEST_TOKEN, textUpdate } from '../helpers/fake-bot-api.js';
import { createFakeSocket, text } from '../channels/whatsapp/fake-socket.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';
import { REDIS_AVAILABLE, REDIS_SKIP_REASON, startRedis, type TestRedis } from './redis-server.js';

const OAXACA = 'que hospitales esta construyendo el bienestar en oaxaca';

describe.skipIf(!REDIS_AVAILABLE)(REDIS_AVAILABLE ? 'several instances sharing one Redis' : REDIS_SKIP_REASON, () => {
  let redis: TestRedis;
  let dir: string;
  const servers: HttpServer[] = [];
  const bases: string[] = [];
  let fake: FakeBotApi;
  const bots: TelegramBot[] = [];
  const log = pino({ level: 'silent' });

  beforeAll(async () => {
    redis = await startRedis();
    dir = makeMiniKb();
    const knowledge = loadOrThrow(dir);
    fake = createFakeBotApi({ token: TEST_TOKEN });
    await fake.listen();
    for (let i = 0; i < 2; i++) {
      const client = redis.client();
      const assistant = createAssistant(knowledge);
      const sessions = createRedisSessionStore({ redis: client, ttlMs: assistant.options.sessionTtlMs });
      const http = createHttpServer({ log });
      mountWeb(http, {
        assistant,
        sessions,
        log,
        metrics: createMetrics(),
        limiters: {
          user: createRedisRateLimiter({ redis: client, limit: 10, windowMs: 60_000, prefix: 'orienta:rate:web:' }),
          address: createRedisRateLimiter({ redis: client, limit: 1000, windowMs: 60_000, prefix: 'orienta:rate:addr:' }),
        },
      });
      servers.push(http);
      bases.push(`http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`);
      bots.push(
        createTelegramBot(TEST_TOKEN, {
          assistant,
          sessions,
          log,
          apiRoot: fake.apiRoot,
          botInfo: fake.me,
          typingDelayMs: -1,
          dedupe: createRedisDeduper({ redis: client, prefix: 'orienta:seen:telegram:' }),
        }),
      );
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await fake?.close();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = async (instance: number, user: string, text: string) => {
    const res = await fetch(`${bases[instance]}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user, text }),
    });
    return { status: res.status, body: (await res.json()) as { text?: string; error?: string } };
  };

  it('continues a web conversation on the other instance ("¿y en Guerrero?")', async () => {
    const first = await post(0, 'ana', OAXACA);
    expect(first.body.text).toContain('Hospital General de Tuxtepec');
    const second = await post(1, 'ana', '¿y en Guerrero?');
    expect(second.status).toBe(200);
    expect(second.body.text).toContain('Hospital General de Tlapa de Comonfort');
  });

  it('limits a burst from one web user across both instances, politely, and not the others', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post(i % 2, 'rafaga', 'hola')).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await post(0, 'rafaga', 'hola');
    expect(limited.body.error).toMatch(/espera unos segundos/);
    expect((await post(1, 'tranquila', 'hola')).status).toBe(200);
  });

  it('answers a Telegram update delivered to both webhook instances once, and the follow-up on the other', async () => {
    const chat = 7001;
    const update = fake.pushUpdate(textUpdate(chat, OAXACA));
    await Promise.all(bots.map((b) => b.bot.handleUpdate(update)));
    const afterFirst = sentTo(fake, chat);
    expect(afterFirst).toHaveLength(1);
    expect(shown(afterFirst[0] as never)).toContain('Hospital General de Tuxtepec');
    const followUp = fake.pushUpdate(textUpdate(chat, '¿y en Guerrero?'));
    await bots[1]?.bot.handleUpdate(followUp);
    const replies = sentTo(fake, chat);
    expect(replies).toHaveLength(2);
    expect(shown(replies[1] as never)).toContain('Hospital General de Tlapa de Comonfort');
  });

  it('answers a WhatsApp message redelivered after a restart once, through the shared ids', async () => {
    const knowledge = loadOrThrow(dir);
    const sock = createFakeSocket();
    const m = text('menu');
    for (let i = 0; i < 2; i++) {
      // A fresh handler each time, as after a restart: its own in-memory ids are empty.
      const client = redis.client();
      const handler = createWhatsAppHandler({
        assistant: createAssistant(knowledge),
        sessions: createRedisSessionStore({ redis: client, ttlMs: 60_000 }),
        log,
        pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }),
        dedupe: createRedisDeduper({ redis: client, prefix: 'orienta:seen:whatsapp:' }),
      });
      const detach = handler.attach(sock);
      sock.upsert([m]);
      await handler.idle();
      detach();
    }
    expect(sock.sent).toHaveLength(1);
  });

  it('connects to a running Redis, and stops the boot with one clear line for a wrong REDIS_URL', async () => {
    const ok = await connectRedis(redis.url, log);
    expect(await ok.ping()).toBe('PONG');
    await ok.quit();
    await expect(connectRedis('redis://127.0.0.1:1', log, { connectTimeoutMs: 500 })).rejects.toThrow(/No se pudo conectar a Redis en 127\.0\.0\.1:1 \(REDIS_URL\)/);
  });
});
