import type { Redis } from 'ioredis';

/** True when the request may go ahead; the web's in-memory `RateLimiter` fits it too. */
export interface AsyncRateLimiter {
  take(key: string): boolean | Promise<boolean>;
}

export interface RedisRateLimiterOptions {
  redis: Redis;
  /** At most this many requests per key in each window. */
  limit: number;
  windowMs: number;
  /** Key prefix (`orienta:rate:web:`). */
  prefix: string;
  /** Told when Redis fails; the request is then let through. */
  onError?: (err: unknown) => void;
}

// INCR, and start the window's clock on the first request: atomic, one round trip.
const SCRIPT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";

/**
 * A fixed-window rate limit shared by every instance (`INCR` + `PEXPIRE`): `limit` requests per
 * key per `windowMs`. `{ limit: 10, windowMs: 5000 }` matches the web's default "burst 10, then 2/s".
 *
 * ```ts
 * const limiter = createRedisRateLimiter({ redis, limit: 10, windowMs: 5000, prefix: 'orienta:rate:web:' });
 * if (!(await limiter.take(user))) reply429();
 * ```
 */
export function createRedisRateLimiter(opts: RedisRateLimiterOptions): AsyncRateLimiter {
  return {
    async take(key) {
      try {
        const n = (await opts.redis.eval(SCRIPT, 1, opts.prefix + key, String(opts.windowMs))) as number;
        return n <= opts.limit;
      } catch (err) {
        opts.onError?.(err);
        return true;
      }
    },
  };
}
