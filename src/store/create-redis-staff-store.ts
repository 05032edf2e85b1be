import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { type MarkerEvent, type StaffEvent, type StaffStore, staffPseudonym } from '../staff/create-staff-store.js';
import { redact } from '../staff/redact.js';

export interface RedisStaffStoreOptions {
  /** A connected ioredis client; the caller owns it (call `close` first, then quit it). */
  redis: Redis;
  /** Key of the pseudonymising hash: the same on every instance (see `sharedStaffKey`). */
  key: Buffer;
  /** Records older than this many days are dropped by `compact` (default 90). Markers are kept. */
  retentionDays?: number;
  /** Hard cap on stored records; the oldest go first (default 500,000). */
  maxEvents?: number;
  /** Key prefix (default `orienta:staff:`). */
  prefix?: string;
  /** How often the local view (markers and records) is reloaded from Redis (default 15 s; 0 = never). */
  refreshMs?: number;
  /** A write or reload that failed (Redis away); the message is still answered. */
  onError?: (err: unknown) => void;
  /**
   * A local JSON-lines copy of this instance's «baja» and «alta» (pseudonyms and times only), so
   * that opt-outs survive a Redis that restarts without persistence: when the first `refresh`
   * finds Redis emptied (no `<prefix>seeded` marker), the opt-outs in the file go back into
   * Redis. While the marker is there, Redis is the authority (an «alta» given on another
   * instance is not undone).
   */
  optOutFile?: string;
  now?: () => number;
}

/** The Redis staff store: the `StaffStore` calls plus what only an asynchronous store needs. */
export interface RedisStaffStore extends StaffStore {
  /** Reloads the local view (opted-out and contacted users, records) from Redis. */
  refresh(): Promise<void>;
  /** Waits for every write started so far. */
  flush(): Promise<void>;
  /** Stops the periodic reload and waits for pending writes (does not quit the client). */
  close(): Promise<void>;
}

const channelOf = (userId: string) => userId.split(':')[0] || 'desconocido';

/** The opt-outs a mirror file holds at its end: «alta» undoes an earlier «baja»; bad lines are skipped. */
export function readOptOutMirror(path: string): Map<string, number> {
  const out = new Map<string, number>();
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const line of text.split('\n')) {
    try {
      const e = JSON.parse(line) as { type?: unknown; user?: unknown; at?: unknown };
      if (typeof e.user !== 'string') continue;
      if (e.type === 'optout') out.set(e.user, Number(e.at) || 0);
      else if (e.type === 'optin') out.delete(e.user);
    } catch {
      /* an empty or torn line */
    }
  }
  return out;
}
const MAX_TEXT = 300;

// KEYS: events, optout, userIndex. ARGV: user, at, member, cutoff, maxEvents, userTtlMs.
// Nothing is stored for an opted-out user, whatever the local view of this instance says.
const ADD = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[6])
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[5])
if extra > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1) end
return 1`;
// KEYS: events, userIndex, contact, optout. ARGV: user[, at of the opt-out]. Returns how many records went.
const FORGET = `
local n = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do n = n + redis.call('ZREM', KEYS[1], m) end
redis.call('DEL', KEYS[2])
n = n + redis.call('HDEL', KEYS[3], ARGV[1])
if ARGV[2] then redis.call('HSETNX', KEYS[4], ARGV[1], ARGV[2]) end
return n`;
// KEYS: contact, optout. ARGV: user, at.
const CONTACT = `
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
return redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])`;

/**
 * The staff store in Redis, for several instances behind a load balancer: records (questions
 * and 👍/👎) in one sorted set by time, `<prefix>events` (member `<random id>\t<json>`), with a
 * per-user index `<prefix>user:<pseudonym>` so «borrar mis datos» and «baja» delete one user's
 * records on every instance at once; markers in two hashes, `<prefix>contact` and
 * `<prefix>optout` (pseudonym → time). `compact` trims records older than the retention by
 * score. Writes check the opt-out in Redis (one Lua call), so an opted-out user is never
 * recorded, even by an instance that has not reloaded yet.
 *
 * The `StaffStore` calls are synchronous (they run inside `respond`): writes go out in the
 * background, and reads (`events`, `isOptedOut`, `firstContact`) use a local view that this
 * instance's own writes update at once and that is reloaded every `refreshMs` (call and await
 * `refresh` before serving).
 *
 * ```ts
 * const store = createRedisStaffStore({ redis, key: await sharedStaffKey(redis, localKey) });
 * await store.refresh();
 * ```
 */
export function createRedisStaffStore(opts: RedisStaffStoreOptions): RedisStaffStore {
  const { redis } = opts;
  const now = opts.now ?? Date.now;
  const prefix = opts.prefix ?? 'orienta:staff:';
  const retentionMs = (opts.retentionDays ?? 90) * 86_400_000;
  const maxEvents = opts.maxEvents ?? 500_000;
  const onError = opts.onError ?? (() => {});
  const K = { events: `${prefix}events`, contact: `${prefix}contact`, optout: `${prefix}optout`, user: (u: string) => `${prefix}user:${u}` };

  let records: StaffEvent[] = [];
  let optedOut = new Map<string, number>();
  let contacted = new Map<string, number>();
  let view: StaffEvent[] | undefined;
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    const q = p.catch(onError).finally(() => pending.delete(q));
    pending.add(q);
  };

  const mirror = (type: 'optout' | 'optin', user: string, at: number) => {
    if (!opts.optOutFile) return;
    try {
      appendFileSync(opts.optOutFile, `${JSON.stringify({ type, at, user })}\n`, { mode: 0o600 });
    } catch (err) {
      onError(err);
    }
  };
  const reseed = async () => {
    if (!opts.optOutFile) return;
    // Set once per Redis dataset (checked on every reload): missing means this Redis lost what it
    // had, e.g. restarted without persistence, or never had it.
    const fresh = (await redis.set(`${prefix}seeded`, String(now()), 'NX')) === 'OK';
    if (!fresh) return;
    const saved = readOptOutMirror(opts.optOutFile);
    if (saved.size > 0) await redis.hset(K.optout, Object.fromEntries([...saved].map(([u, at]) => [u, String(at)])));
  };

  const pseudonym = staffPseudonym(opts.key);
  const add = (e: StaffEvent) => {
    if (optedOut.has(e.user)) return;
    records.push(e);
    view = undefined;
    const member = `${randomBytes(8).toString('hex')}\t${JSON.stringify(e)}`;
    track(redis.eval(ADD, 3, K.events, K.optout, K.user(e.user), e.user, e.at, member, now() - retentionMs, maxEvents, retentionMs + 86_400_000));
  };
  const dropLocal = (user: string) => {
    const before = records.length;
    records = records.filter((e) => e.user !== user);
    view = undefined;
    return before - records.length;
  };

  let timer: NodeJS.Timeout | undefined;
  if (opts.refreshMs !== 0) {
    timer = setInterval(() => void store.refresh().catch(onError), opts.refreshMs ?? 15_000);
    timer.unref();
  }

  const store: RedisStaffStore = {
    pseudonym,
    recordQuestion(q) {
      const text = redact(q.text.slice(0, MAX_TEXT * 2)).slice(0, MAX_TEXT);
      add({ type: 'question', at: now(), user: pseudonym(q.userId), channel: channelOf(q.userId), outcome: q.outcome, intent: q.intent, text, score: q.score });
    },
    recordFeedback(f) {
      add({ type: 'feedback', at: f.at ?? now(), user: pseudonym(f.userId), channel: channelOf(f.userId), entryId: f.entryId, useful: f.useful });
    },
    firstContact(userId) {
      const user = pseudonym(userId);
      if (contacted.has(user) || optedOut.has(user)) return false;
      const at = now();
      contacted.set(user, at);
      view = undefined;
      track(redis.eval(CONTACT, 2, K.contact, K.optout, user, at));
      return true;
    },
    forget(userId) {
      const user = pseudonym(userId);
      const removed = dropLocal(user) + (contacted.delete(user) ? 1 : 0);
      track(redis.eval(FORGET, 4, K.events, K.user(user), K.contact, K.optout, user));
      return removed;
    },
    optOut(userId) {
      const user = pseudonym(userId);
      dropLocal(user);
      contacted.delete(user);
      const at = optedOut.get(user) ?? now();
      optedOut.set(user, at);
      mirror('optout', user, at);
      track(redis.eval(FORGET, 4, K.events, K.user(user), K.contact, K.optout, user, at));
    },
    optIn(userId) {
      const user = pseudonym(userId);
      optedOut.delete(user);
      dropLocal(user);
      mirror('optin', user, now());
      track(redis.hdel(K.optout, user));
    },
    isOptedOut: (userId) => optedOut.has(pseudonym(userId)),
    events() {
      if (!view) {
        const markers = (type: MarkerEvent['type'], m: Map<string, number>): MarkerEvent[] => [...m].map(([user, at]) => ({ type, at, user }));
        view = [...records, ...markers('contact', contacted), ...markers('optout', optedOut)].sort((a, b) => a.at - b.at);
      }
      return view;
    },
    compact() {
      const cutoff = now() - retentionMs;
      records = records.filter((e) => e.at >= cutoff);
      view = undefined;
      track(redis.zremrangebyscore(K.events, '-inf', `(${cutoff}`));
    },
    async refresh() {
      await Promise.all([...pending]); // this instance's writes first, so the reload includes them
      await reseed();
      const cutoff = now() - retentionMs;
      const [out, con, raw] = await Promise.all([redis.hgetall(K.optout), redis.hgetall(K.contact), redis.zrangebyscore(K.events, cutoff, '+inf')]);
      const loaded: StaffEvent[] = [];
      for (const member of raw) {
        try {
          const e = JSON.parse(member.slice(member.indexOf('\t') + 1)) as StaffEvent;
          if (e && typeof e.type === 'string' && typeof e.user === 'string') loaded.push(e);
        } catch {
          /* not ours: skip it */
        }
      }
      const toMap = (h: Record<string, string>) => new Map(Object.entries(h).map(([u, at]) => [u, Number(at) || 0]));
      optedOut = toMap(out);
      contacted = toMap(con);
      records = loaded;
      view = undefined;
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      if (timer) clearInterval(timer);
      await store.flush();
    },
  };
  return store;
}

/**
 * The pseudonymising key every instance must share (else «borrar mis datos» on one instance
 * would not find what another recorded): `local` when STAFF_TOKEN derives it; otherwise the
 * first instance's key is stored once in `<prefix>key` (`SET NX`) and the others read it. With
 * `rememberAt` (a file, mode 600) the shared key is also kept locally and offered again first, so
 * a Redis that restarts empty gets the same key back (and the opt-outs re-seeded from
 * `optOutFile` still match their users).
 */
export async function sharedStaffKey(
  redis: Redis,
  local: Buffer,
  opts: { fromToken?: boolean; prefix?: string; rememberAt?: string } = {},
): Promise<Buffer> {
  if (opts.fromToken) return local;
  const k = `${opts.prefix ?? 'orienta:staff:'}key`;
  let candidate = local;
  if (opts.rememberAt) {
    try {
      const remembered = Buffer.from(readFileSync(opts.rememberAt, 'utf8').trim(), 'hex');
      if (remembered.length >= 32) candidate = remembered;
    } catch {
      /* first start with Redis */
    }
  }
  await redis.set(k, candidate.toString('hex'), 'NX');
  const saved = Buffer.from((await redis.get(k)) ?? '', 'hex');
  const key = saved.length >= 32 ? saved : candidate;
  if (opts.rememberAt) writeFileSync(opts.rememberAt, key.toString('hex'), { mode: 0o600 });
  return key;
}
