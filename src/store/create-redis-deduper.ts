import type { Redis } from 'ioredis';
import type { Deduper } from './deduper.js';

export interface RedisDeduperOptions {
  redis: Redis;
  /** How long an id is remembered (default 24 h: Telegram retries a webhook update for hours). */
  ttlMs?: number;
  /** Key prefix, per channel (`orienta:seen:telegram:`). */
  prefix: string;
  /** Told when Redis fails; the message is then handled (answering twice beats never answering). */
  onError?: (err: unknown) => void;
}

/**
 * Duplicate detection shared by every instance: `SET key 1 NX PX ttl` succeeds only for the
 * first instance that sees an id.
 *
 * ```ts
 * const dedupe = createRedisDeduper({ redis, prefix: 'orienta:seen:telegram:' });
 * ```
 */
export function createRedisDeduper(opts: RedisDeduperOptions): Deduper {
  const ttl = opts.ttlMs ?? 24 * 3_600_000;
  return {
    async firstTime(id) {
      try {
        return (await opts.redis.set(opts.prefix + id, '1', 'PX', ttl, 'NX')) === 'OK';
      } catch (err) {
        opts.onError?.(err);
        return true;
      }
    },
  };
}
