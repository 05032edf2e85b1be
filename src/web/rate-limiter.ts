/**
 * A token bucket per key (web user, IP): `burst` requests at once, then `perSecond`.
 * Old keys are forgotten beyond `maxKeys`.
 */
export interface RateLimiter {
  /** True when the request may go ahead. */
  take(key: string): boolean;
}

export function createRateLimiter(opts: { perSecond: number; burst: number; maxKeys?: number; now?: () => number }): RateLimiter {
  const now = opts.now ?? Date.now;
  const max = opts.maxKeys ?? 50_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const b = buckets.get(key) ?? { tokens: opts.burst, at: t };
      b.tokens = Math.min(opts.burst, b.tokens + ((t - b.at) / 1000) * opts.perSecond);
      b.at = t;
      buckets.delete(key);
      buckets.set(key, b);
      if (buckets.size > max) buckets.delete(buckets.keys().next().value as string);
      if (b.tokens < 1) return false;
      b.tokens -= 1;
      return true;
    },
  };
}
