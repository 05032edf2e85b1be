import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { createHttpServer } from '../../src/http/create-http-server.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { connectRedis } from '../../src/store/connect-redis.js';
import { createRedisDeduper } from '../../src/store/create-redis-deduper.js';
import { createSlidingLimiter } from '../../src/store/create-redis-rate-limiter.js';
import { createRedisSessionStore } from '../../src/store/create-redis-session-store.js';
import { withSessionFallback } from '../../src/store/with-session-fallback.js';
import { mountWeb } from '../../src/web/mount-web.js';
import { loadOrThrow } from '../helpers/mini-kb.js';
import { REDIS_AVAILABLE, REDIS_SKIP_REASON, useRedisAndMiniKb } from './redis-server.js';

const log = pino({ level: 'silent' });

/** The web app wired as main.ts wires it with REDIS_URL, over the suite's real redis-server. */
async function startApp(url: string, dir: string) {
  const redis = await connectRedis(url, log, { commandTimeoutMs: 200 });
  const errors: string[] = [];
  const onError = (err: unknown) => void errors.push((err as Error).message);
  const assistant = createAssistant(loadOrThrow(dir));
  const sessions = withSessionFallback({
    primary: createRedisSessionStore({ redis, ttlMs: 60_000, prefix: 'out:s:' }),
    fallback: createMemorySessionStore({ ttlMs: 60_000 }),
    onError,
  });
  const http = createHttpServer({ log });
  mountWeb(http, {
    assistant,
    sessions,
    log,
    metrics: createMetrics(),
    limiters: {
      user: createSlidingLimiter({ redis, limit: 1000, windowMs: 60_000, prefix: 'out:u:', onError }),
      address: createSlidingLimiter({ redis, limit: 10_000, windowMs: 60_000, prefix: 'out:a:', onError }),
    },
  });
  const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  const dedupe = createRedisDeduper({ redis, prefix: 'out:d:', onError });
  return { redis, http, base, dedupe, errors };
}

/** Posts a message; resolves with the status, the reply's kind and how long it took. */
async function timedAsk(base: string, user: string, text: string) {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, text }) });
  const body = (await res.json()) as { kind?: string };
  return { status: res.status, kind: body.kind, ms: performance.now() - t0 };
}

const ORDINARY = ['como saco mi credencial', 'vacuna', 'horario del dentista', 'hola'];

describe.skipIf(!REDIS_AVAILABLE)(REDIS_AVAILABLE ? 'Redis frozen, then killed, under traffic' : REDIS_SKIP_REASON, () => {
  const suite = useRedisAndMiniKb();

  it('answers every request within 1 s and emergencies within 100 ms, and drops duplicates, while Redis is frozen (SIGSTOP) and after it is killed', async () => {
    const app = await startApp(suite.redis.url, suite.dir);
    try {
      // Up: a conversation starts, an update id is seen.
      expect((await timedAsk(app.base, 'ana', 'vacuna')).status).toBe(200);
      expect(await app.dedupe.firstTime('update-1')).toBe(true);

      for (const phase of ['frozen', 'killed'] as const) {
        if (phase === 'frozen') suite.redis.pause();
        else await suite.redis.kill();
        const started = performance.now();
        const results = await Promise.all([
          ...Array.from({ length: 20 }, (_, i) => timedAsk(app.base, `u${i % 5}`, ORDINARY[i % ORDINARY.length] as string)),
          timedAsk(app.base, 'ana', '2'), // continues the conversation from memory
        ]);
        for (const r of results) {
          expect(r.status, phase).toBe(200);
          expect(r.ms, phase).toBeLessThan(1_000);
        }
        expect(performance.now() - started, phase).toBeLessThan(1_000);
        console.info(`redis ${phase}: 21 requests, slowest ${Math.round(Math.max(...results.map((r) => r.ms)))} ms`);
        const emergency = await timedAsk(app.base, 'ana', 'mi papa no respira');
        expect(emergency.kind).toBe('emergency');
        expect(emergency.ms, phase).toBeLessThan(100);
        console.info(`redis ${phase}: emergency in ${emergency.ms.toFixed(1)} ms`);
        // Redelivered ids are still dropped: one seen before the outage, one seen during it.
        expect(await app.dedupe.firstTime('update-1'), phase).toBe(false);
        expect(await app.dedupe.firstTime(`update-${phase}`), phase).toBe(true);
        expect(await app.dedupe.firstTime(`update-${phase}`), phase).toBe(false);
      }
      expect(app.errors.length).toBeGreaterThan(0); // the outage was noticed, not hidden
    } finally {
      suite.redis.resume();
      await app.http.close();
      app.redis.disconnect();
    }
  });

  it('without the command timeout a frozen Redis holds the reply (what the timeout fixes)', async () => {
    // (a control: the same request against a client with no timeout does not come back in 1 s)
    const { startRedis } = await import('./redis-server.js');
    const other = await startRedis();
    const app = await startApp(other.url, suite.dir);
    app.redis.options.commandTimeout = undefined;
    try {
      other.pause();
      const pending = timedAsk(app.base, 'bob', 'como saco mi credencial');
      const first = await Promise.race([pending.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 1_000))]);
      expect(first).toBe('waiting');
      other.resume();
      expect((await pending).status).toBe(200);
    } finally {
      other.resume();
      await app.http.close();
      app.redis.disconnect();
      await other.stop();
    }
  });
});
