import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** True when the request may go ahead. */
export interface AsyncRateLimiter {
  take(key: string): boolean | Promise<boolean>;
}

export interface SlidingLimiterOptions {
  /** At most this many requests per key in any `windowMs` (give or take the estimate, see below). */
  limit: number;
  windowMs: number;
  /** Key prefix (`orienta:rate:web:`). */
  prefix: string;
  /** Shared counts when given (several instances); else this process's memory. */
  redis?: Redis;
  /** Told when Redis fails or times out; that request is then counted in this process's memory. */
  onError?: (err: unknown) => void;
}

/**
 * A sliding-window rate limit on rate-limiter-flexible, the same in both modes: `RateLimiterMemory`
 * alone, or `RateLimiterRedis` (shared by every instance) with a `RateLimiterMemory` as its
 * `insuranceLimiter`, which counts while Redis is frozen or down (the command times out, see
 * `connectRedis`) so a flood is still limited, per instance.
 *
 * A plain fixed window lets 2 × `limit` through around a window's edge (`limit` at the end of one,
 * `limit` at the start of the next). Here each key counts in fixed windows, and a request goes
 * ahead only while `current + previous × (share of the previous window still inside the last
 * windowMs)` stays within `limit`, so a burst at the edge is not doubled. `{ limit: 10, windowMs: 5000 }`
 * is the web's "burst 10, then 2/s".
 *
 * ```ts
 * const limiter = createSlidingLimiter({ redis, limit: 10, windowMs: 5000, prefix: 'orienta:rate:web:' });
 * if (!(await limiter.take(user))) reply429();
 * ```
 */
export function createSlidingLimiter(opts: SlidingLimiterOptions, now: () => number = Date.now): AsyncRateLimiter {
  // Each window's count lives two windows (read as "previous" in the next one), plus a second.
  const duration = Math.ceil((2 * opts.windowMs) / 1000) + 1;
  const base = { points: opts.limit, duration, keyPrefix: opts.prefix.replace(/:$/, '') };
  let limiter: RateLimiterAbstract;
  if (opts.redis) {
    const onError = opts.onError;
    // The insurance is asked only when Redis failed: that is when to tell.
    class Insurance extends RateLimiterMemory {
      override consume(...args: Parameters<RateLimiterMemory['consume']>) {
        onError?.(new Error('redis unavailable for a rate limit (counted in memory)'));
        return super.consume(...args);
      }
    }
    limiter = new RateLimiterRedis({ ...base, storeClient: opts.redis, insuranceLimiter: new Insurance(base) });
  } else limiter = new RateLimiterMemory(base);

  const consumed = (r: unknown) => {
    if (r instanceof RateLimiterRes) return r.consumedPoints;
    throw r; // (only without insurance: a store error)
  };
  return {
    async take(key) {
      const t = now();
      const w = Math.floor(t / opts.windowMs);
      const left = 1 - (t - w * opts.windowMs) / opts.windowMs;
      try {
        const [cur, prev] = await Promise.all([
          limiter.consume(`${key}:${w}`).then(consumed, consumed),
          limiter.get(`${key}:${w - 1}`).then((r) => r?.consumedPoints ?? 0, () => 0),
        ]);
        if (cur + Math.floor(prev * left) <= opts.limit) return true;
        // A refused request does not count (as with a token bucket): give its point back.
        void limiter.reward(`${key}:${w}`, 1).catch(() => {});
        return false;
      } catch (err) {
        opts.onError?.(err);
        return true; // fail open
      }
    },
  };
}

/** The shared (Redis) sliding-window limit; see `createSlidingLimiter`. */
export function createRedisRateLimiter(opts: SlidingLimiterOptions & { redis: Redis }): AsyncRateLimiter {
  return createSlidingLimiter(opts);
}
