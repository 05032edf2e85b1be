import { describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { handleMessage } from '../../src/core/handle-message.js';
import { createRedisDeduper } from '../../src/store/create-redis-deduper.js';
import { createRedisRateLimiter } from '../../src/store/create-redis-rate-limiter.js';
import { pseudonym } from '../../src/pseudonym.js';
import { createRedisSessionStore } from '../../src/store/create-redis-session-store.js';
import { withStaffTools } from '../../src/staff/with-staff-tools.js';
import { loadOrThrow } from '../helpers/mini-kb.js';
import { REDIS_AVAILABLE, REDIS_SKIP_REASON, useRedisAndMiniKb } from './redis-server.js';

describe.skipIf(!REDIS_AVAILABLE)(REDIS_AVAILABLE ? 'Redis stores (real redis-server)' : REDIS_SKIP_REASON, () => {
  const suite = useRedisAndMiniKb();

  it('lets a second instance answer the follow-up of a conversation the first one started', async () => {
    const knowledge = loadOrThrow(suite.dir);
    // Two instances: each with its own engine and its own Redis connection.
    const instances = [0, 1].map(() => {
      const assistant = createAssistant(knowledge);
      return { assistant, sessions: createRedisSessionStore({ redis: suite.redis.client(), ttlMs: assistant.options.sessionTtlMs }) };
    });
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    const first = await handleMessage(a, { userId: 'web:shared', text: 'que hospitales esta construyendo el bienestar en oaxaca' });
    expect(first.text).toContain('Hospital General de Tuxtepec');
    const followUp = await handleMessage(b, { userId: 'web:shared', text: '¿y en Guerrero?' });
    expect(followUp.text).toContain('Hospital General de Tlapa de Comonfort');
    // A conversation nobody started has no context on the other instance either.
    const cold = await handleMessage(b, { userId: 'web:other', text: '¿y en Guerrero?' });
    expect(cold.text).not.toContain('Hospital General de Tlapa de Comonfort');
  });

  it('empties the Redis session on «borrar mis datos»: no entry, no words of the question', async () => {
    const c = suite.redis.client();
    const engine = createAssistant(loadOrThrow(suite.dir));
    const deps = { assistant: withStaffTools(() => engine, {}), sessions: createRedisSessionStore({ redis: c, ttlMs: 60_000, prefix: 't9:' }) };
    const key = `t9:${pseudonym('web:olvido', 32)}`;
    await handleMessage(deps, { userId: 'web:olvido', text: 'que hospitales esta construyendo el bienestar en oaxaca' });
    expect(await c.get(key)).toContain('hospitales');
    const reply = await handleMessage(deps, { userId: 'web:olvido', text: 'borrar mis datos' });
    expect(reply.intent).toBe('privacidad-borrar');
    expect(Object.keys(JSON.parse((await c.get(key)) as string))).toEqual(['updatedAt']);
  });

  it('stores each session with a time-to-live, and forgets it on delete', async () => {
    const c = suite.redis.client();
    const store = createRedisSessionStore({ redis: c, ttlMs: 60_000, prefix: 't1:' });
    await store.set('u', { topic: 'vacunas', updatedAt: 1 });
    expect((await store.get('u'))?.topic).toBe('vacunas');
    // (filed under the keyed pseudonym of the user id: Redis holds no phone number or chat id)
    expect(await c.exists('t1:u')).toBe(0);
    const [key] = await c.keys('t1:*');
    expect(key).toBe(`t1:${pseudonym('u', 32)}`);
    const ttl = await c.pttl(key as string);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.delete('u');
    expect(await store.get('u')).toBeUndefined();
  });

  it('expires a session after its time-to-live', async () => {
    const store = createRedisSessionStore({ redis: suite.redis.client(), ttlMs: 30, prefix: 't2:' });
    await store.set('u', { updatedAt: 1 });
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.get('u')).toBeUndefined();
  });

  it('treats an unreadable stored value as no session', async () => {
    const c = suite.redis.client();
    await c.set('t3:u', '{not json');
    expect(await createRedisSessionStore({ redis: c, ttlMs: 1000, prefix: 't3:' }).get('u')).toBeUndefined();
  });

  it('lets exactly one of two instances handle an id delivered to both', async () => {
    const [x, y] = [suite.redis.client(), suite.redis.client()].map((c) => createRedisDeduper({ redis: c, prefix: 'seen:' }));
    const results = await Promise.all([x?.firstTime('42'), y?.firstTime('42'), x?.firstTime('42')]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await y?.firstTime('43')).toBe(true);
  });

  it('limits a user across instances while other users are unaffected', async () => {
    const [x, y] = [suite.redis.client(), suite.redis.client()].map((c) =>
      createRedisRateLimiter({ redis: c, limit: 3, windowMs: 60_000, prefix: 'rate:' }),
    );
    const burst = [];
    for (let i = 0; i < 6; i++) burst.push(await (i % 2 ? x : y)?.take('alice'));
    expect(burst).toEqual([true, true, true, false, false, false]);
    expect(await x?.take('bob')).toBe(true);
  });

  it('opens a new window once the old one expires', async () => {
    const c = suite.redis.client();
    // (a window long enough that a busy machine cannot let it pass between the first two calls)
    const limiter = createRedisRateLimiter({ redis: c, limit: 1, windowMs: 500, prefix: 'rate2:' });
    expect(await limiter.take('u')).toBe(true);
    expect(await limiter.take('u')).toBe(false);
    await new Promise((r) => setTimeout(r, 1_100)); // (sliding: the previous window must be over too)
    expect(await limiter.take('u')).toBe(true);
  });

  it('lets messages through when Redis cannot be reached, and says so', async () => {
    const { Redis } = await import('ioredis');
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    dead.on('error', () => {});
    const errors: unknown[] = [];
    const dedupe = createRedisDeduper({ redis: dead, prefix: 'x:', onError: (e) => errors.push(e) });
    const limiter = createRedisRateLimiter({ redis: dead, limit: 1, windowMs: 1000, prefix: 'x:', onError: (e) => errors.push(e) });
    expect(await dedupe.firstTime('1')).toBe(true);
    expect(await limiter.take('1')).toBe(true);
    expect(errors).toHaveLength(2);
    dead.disconnect();
  });
});
