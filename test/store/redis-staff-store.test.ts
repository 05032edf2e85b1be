import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/staff/build-report.js';
import { createStaffStore, type StaffStore } from '../../src/staff/create-staff-store.js';
import { createRedisStaffStore, sharedStaffKey } from '../../src/store/create-redis-staff-store.js';
import { loadOrThrow } from '../helpers/mini-kb.js';
import { REDIS_AVAILABLE, REDIS_SKIP_REASON, useRedisAndMiniKb } from './redis-server.js';

const DAY = 86_400_000;
const KEY = Buffer.alloc(32, 7);

describe.skipIf(!REDIS_AVAILABLE)(REDIS_AVAILABLE ? 'Redis staff store (real redis-server)' : REDIS_SKIP_REASON, () => {
  const suite = useRedisAndMiniKb();
  let n = 0;
  // Two instances sharing one Redis (each with its own connection), under a fresh prefix.
  const pair = (now = () => 100 * DAY, retentionDays = 30) => {
    const prefix = `t${++n}:staff:`;
    const make = () => createRedisStaffStore({ redis: suite.redis.client(), key: KEY, prefix, now, retentionDays, refreshMs: 0 });
    return { a: make(), b: make(), prefix };
  };

  it('lets each instance see the records and markers the other one wrote', async () => {
    const { a, b } = pair();
    a.recordQuestion({ userId: 'web:ana', outcome: 'unanswered', intent: 'desconocido', text: 'mi cel es 55 1234 5678, ¿y el dentista?', score: 0 });
    b.recordFeedback({ userId: 'telegram:42', entryId: 'vacunas', useful: false });
    expect(a.firstContact('web:ana')).toBe(true);
    a.optOut('whatsapp:99');
    await Promise.all([a.flush(), b.flush()]);
    await Promise.all([a.refresh(), b.refresh()]);
    for (const s of [a, b]) {
      const kinds = s.events().map((e) => e.type).sort();
      expect(kinds).toEqual(['contact', 'feedback', 'optout', 'question']);
      expect(s.isOptedOut('whatsapp:99')).toBe(true);
      expect(s.firstContact('web:ana')).toBe(false);
      const q = s.events().find((e) => e.type === 'question');
      expect(q).toMatchObject({ user: s.pseudonym('web:ana'), channel: 'web' });
      expect(JSON.stringify(s.events())).not.toMatch(/1234|web:ana|telegram:42/);
    }
    // An opted-out user is never recorded, even by an instance whose view is stale.
    const c = createRedisStaffStore({ redis: suite.redis.client(), key: KEY, prefix: `t${n}:staff:`, refreshMs: 0, now: () => 100 * DAY });
    c.recordQuestion({ userId: 'whatsapp:99', outcome: 'unanswered', intent: 'x', text: 'hola', score: 0 });
    await c.flush();
    await b.refresh();
    expect(b.events().filter((e) => e.type === 'question')).toHaveLength(1);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('deletes a user\'s data for every instance («borrar mis datos», «baja», «alta»)', async () => {
    const { a, b } = pair();
    for (let i = 0; i < 3; i++) a.recordQuestion({ userId: 'web:ana', outcome: 'unanswered', intent: 'desconocido', text: `pregunta ${i}`, score: 0 });
    b.recordFeedback({ userId: 'web:ana', entryId: 'vacunas', useful: true });
    b.recordFeedback({ userId: 'web:beto', entryId: 'vacunas', useful: true });
    b.firstContact('web:ana');
    await Promise.all([a.flush(), b.flush()]);
    await a.refresh();
    expect(a.forget('web:ana')).toBe(5); // 3 questions, 1 feedback, the contact marker
    await a.flush();
    await b.refresh();
    expect(b.events().map((e) => e.user)).toEqual([b.pseudonym('web:beto')]);

    b.optOut('web:beto');
    await b.flush();
    await a.refresh();
    expect(a.isOptedOut('web:beto')).toBe(true);
    expect(a.events().map((e) => e.type)).toEqual(['optout']);
    a.optIn('web:beto');
    await a.flush();
    await b.refresh();
    expect(b.isOptedOut('web:beto')).toBe(false);
    expect(b.events()).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('trims records older than the retention period and keeps the markers', async () => {
    let t = 10 * DAY;
    const { a, b } = pair(() => t, 30);
    a.recordQuestion({ userId: 'web:old', outcome: 'unanswered', intent: 'x', text: 'vieja', score: 0 });
    a.firstContact('web:old');
    t = 35 * DAY;
    a.recordQuestion({ userId: 'web:new', outcome: 'unanswered', intent: 'x', text: 'nueva', score: 0 });
    t = 45 * DAY; // the first question is now 35 days old
    // (a's records reach Redis first, whatever the machine's speed: then b trims them)
    await a.flush();
    b.compact();
    await Promise.all([a.flush(), b.flush()]);
    const raw = await suite.redis.client().zcard(`t${n}:staff:events`);
    expect(raw).toBe(1);
    await a.refresh();
    expect(a.events().map((e) => (e.type === 'question' ? e.text : e.type))).toEqual(['contact', 'nueva']);
  });

  it('builds the same report from Redis as from the file store for the same events', async () => {
    const knowledge = loadOrThrow(suite.dir);
    const tmp = mkdtempSync(join(tmpdir(), 'orienta-report-'));
    let t = 100 * DAY;
    const now = () => t;
    const file = createStaffStore({ path: join(tmp, 'staff-events.jsonl'), key: KEY, now, retentionDays: 30 });
    const prefix = `t${++n}:staff:`;
    const a = createRedisStaffStore({ redis: suite.redis.client(), key: KEY, prefix, now, retentionDays: 30, refreshMs: 0 });
    const b = createRedisStaffStore({ redis: suite.redis.client(), key: KEY, prefix, now, retentionDays: 30, refreshMs: 0 });
    const questions = ['¿y el dentista?', 'y el dentista', '¿cuánto cuesta la vacuna?', 'horario del hospital', '¿y el dentista hoy?'];
    let i = 0;
    const play = (stores: StaffStore[]) => {
      // Both file and Redis see the same events; the Redis ones alternate between instances.
      const pick = () => stores[i++ % stores.length] as StaffStore;
      for (const [k, text] of questions.entries()) {
        t += 1000;
        pick().recordQuestion({ userId: `${k % 2 ? 'web' : 'telegram'}:u${k}`, outcome: k === 2 ? 'low-confidence' : 'unanswered', intent: 'desconocido', text, score: k === 2 ? 0.4 : 0 });
        t += 1000;
        pick().firstContact(`web:u${k}`);
      }
      for (const [k, entry] of knowledge.entries.slice(0, 3).entries()) {
        t += 1000;
        pick().recordFeedback({ userId: `web:f${k}`, entryId: entry.id, useful: k === 1 });
        t += 1000;
        pick().recordFeedback({ userId: `telegram:g${k}`, entryId: entry.id, useful: false });
      }
      pick().forget('web:u1');
      pick().optOut('telegram:u4');
    };
    const start = t;
    play([file]);
    t = start;
    i = 0;
    play([a, b]);
    await Promise.all([a.flush(), b.flush()]);
    const reader = createRedisStaffStore({ redis: suite.redis.client(), key: Buffer.alloc(32), prefix, now, retentionDays: 30, refreshMs: 0 });
    await reader.refresh();
    const fromFile = buildReport(file.events(), knowledge);
    expect(fromFile.questions).toBe(3);
    expect(fromFile.mostDisliked.length).toBeGreaterThan(0);
    expect(buildReport(reader.events(), knowledge)).toEqual(fromFile);
    await Promise.all([a.close(), b.close(), reader.close()]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('shares one pseudonymising key between instances unless STAFF_TOKEN derives it', async () => {
    const c = suite.redis.client();
    const first = await sharedStaffKey(c, Buffer.alloc(32, 1), { prefix: 'tk:' });
    const second = await sharedStaffKey(c, Buffer.alloc(32, 2), { prefix: 'tk:' });
    expect(second.equals(first)).toBe(true);
    expect(first.equals(Buffer.alloc(32, 1))).toBe(true);
    expect((await sharedStaffKey(c, Buffer.alloc(32, 3), { prefix: 'tk:', fromToken: true })).equals(Buffer.alloc(32, 3))).toBe(true);
  });
  it('gets the opt-outs and the shared key back after Redis loses its data, without undoing an «alta»', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'orienta-optouts-'));
    const c = suite.redis.client();
    const prefix = `t${++n}:staff:`;
    const rememberAt = join(tmp, 'staff-shared.key');
    const optOutFile = join(tmp, 'redis-optouts.jsonl');
    const key = await sharedStaffKey(c, Buffer.alloc(32, 4), { prefix, rememberAt });
    const make = (k: Buffer) => createRedisStaffStore({ redis: c, key: k, prefix, refreshMs: 0, optOutFile });
    const a = make(key);
    await a.refresh();
    a.optOut('whatsapp:5215512345678');
    a.optOut('telegram:7');
    a.optIn('telegram:7');
    await a.close();
    expect(readFileSync(optOutFile, 'utf8')).not.toMatch(/5512345678|telegram:7/);

    // While Redis keeps its data it is the authority: an «alta» given elsewhere holds.
    const other = createRedisStaffStore({ redis: c, key, prefix, refreshMs: 0 });
    other.optIn('whatsapp:5215512345678');
    await other.close();
    const b = make(key);
    await b.refresh();
    expect(b.isOptedOut('whatsapp:5215512345678')).toBe(false);
    b.optOut('whatsapp:5215512345678');
    await b.close();

    // A Redis restarted without persistence: empty. A new instance, with another local key.
    await c.flushall();
    const again = await sharedStaffKey(c, Buffer.alloc(32, 9), { prefix, rememberAt });
    expect(again.equals(key)).toBe(true);
    const d = make(again);
    await d.refresh();
    expect(d.isOptedOut('whatsapp:5215512345678')).toBe(true);
    expect(d.isOptedOut('telegram:7')).toBe(false);
    // …and back in Redis for the instances that have no copy of the file.
    const e = createRedisStaffStore({ redis: c, key: again, prefix, refreshMs: 0 });
    await e.refresh();
    expect(e.isOptedOut('whatsapp:5215512345678')).toBe(true);
    await Promise.all([d.close(), e.close()]);
    rmSync(tmp, { recursive: true, force: true });
  });
});
