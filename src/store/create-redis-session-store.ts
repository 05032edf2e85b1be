import type { Redis } from 'ioredis';
import type { SessionStore } from '../core/session-store.js';
import { pseudonym } from '../pseudonym.js';
import type { Session } from '../core/types.js';

export interface RedisSessionStoreOptions {
  /** A connected ioredis client; the caller owns it (and quits it after `close`). */
  redis: Redis;
  /** A session is forgotten this long after its last message (Redis `PX`). */
  ttlMs: number;
  /** Key prefix (default `orienta:session:`), so several bots can share one Redis. */
  prefix?: string;
  /**
   * What follows the prefix (default: the user id's keyed pseudonym, so Redis holds no phone
   * number or chat id; every instance must then share the key, see `usePseudonymKey`).
   */
  keyOf?: (userId: string) => string;
}

/**
 * Sessions in Redis, one JSON string per user with a time-to-live, so several instances behind a
 * load balancer continue the same conversation. Nothing is kept in the process: `close` has
 * nothing to flush.
 *
 * ```ts
 * const sessions = createRedisSessionStore({ redis, ttlMs: assistant.options.sessionTtlMs });
 * ```
 */
export function createRedisSessionStore(opts: RedisSessionStoreOptions): SessionStore {
  const prefix = opts.prefix ?? 'orienta:session:';
  const keyOf = opts.keyOf ?? ((userId: string) => pseudonym(userId, 32));
  const key = (userId: string) => prefix + keyOf(userId);
  return {
    async get(userId) {
      const raw = await opts.redis.get(key(userId));
      if (raw === null) return undefined;
      try {
        const s = JSON.parse(raw) as Session;
        return s && typeof s.updatedAt === 'number' ? s : undefined;
      } catch {
        return undefined; // an unreadable value: start the conversation again
      }
    },
    async set(userId, session) {
      await opts.redis.set(key(userId), JSON.stringify(session), 'PX', Math.max(1, Math.round(opts.ttlMs)));
    },
    async delete(userId) {
      await opts.redis.del(key(userId));
    },
    async close() {},
  };
}
