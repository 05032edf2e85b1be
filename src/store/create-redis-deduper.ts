import type { Redis } from 'ioredis';
import { createMemoryDeduper, type Deduper } from './deduper.js';

export interface RedisDeduperOptions {
  redis: Redis;
  /** How long an id is remembered (default 24 h: Telegram retries a webhook update for hours). */
  ttlMs?: number;
  /** Key prefix, per channel (`orienta:seen:telegram:`). */
  prefix: string;
  /**
   * Told when Redis fails (or times out); the message is then judged by this instance's own
   * memory alone, which still drops what this instance has already seen.
   */
  onError?: (err: unknown) => void;
  /** This instance's memory (default: the last 10,000 ids). */
  local?: Deduper;
}

/**
 * Duplicate detection shared by every instance: `SET key 1 NX PX ttl` succeeds only for the
 * first instance that sees an id. Every id is also remembered in this process, so while Redis is
 * away (frozen or down) a redelivery to this instance is still dropped, and a redelivery of an id
 * seen before the outage too.
 *
 * ```ts
 * const dedupe = createRedisDeduper({ redis, prefix: 'orienta:seen:telegram:' });
 * ```
 */
export function createRedisDeduper(opts: RedisDeduperOptions): Deduper {
  const ttl = opts.ttlMs ?? 24 * 3_600_000;
  const local = opts.local ?? createMemoryDeduper();
  return {
    async firstTime(id) {
      const [mine, shared] = await Promise.all([
        local.firstTime(id),
        opts.redis.set(opts.prefix + id, '1', 'PX', ttl, 'NX').then(
          (r) => r === 'OK',
          (err: unknown) => {
            opts.onError?.(err);
            return true; // unknown: this instance's memory decides
          },
        ),
      ]);
      return mine && shared;
    },
  };
}
