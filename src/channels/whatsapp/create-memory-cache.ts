import type { CacheStore } from '@whiskeysockets/baileys';

export interface MemoryCacheOptions {
  /** How long an entry lives (default 1 h). */
  ttlMs?: number;
  /** Most entries kept; the oldest go first (default 10,000). */
  max?: number;
  now?: () => number;
}

export interface MemoryCache extends CacheStore {
  size(): number;
}

/**
 * A small in-memory cache with a TTL and a size bound, shaped like Baileys' `CacheStore`
 * (`get`/`set`/`del`/`flushAll`). Created once per process and handed to every socket, so what
 * it holds (retry counts of failed messages, cached signal keys) survives reconnects.
 *
 * ```ts
 * const msgRetryCounterCache = createMemoryCache({ ttlMs: 60 * 60_000 });
 * makeWASocket({ msgRetryCounterCache, … });
 * ```
 */
export function createMemoryCache(opts: MemoryCacheOptions = {}): MemoryCache {
  const ttl = opts.ttlMs ?? 60 * 60_000;
  const max = opts.max ?? 10_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, { value: unknown; until: number }>();
  return {
    get<T>(key: string): T | undefined {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.until <= now()) {
        entries.delete(key);
        return undefined;
      }
      return e.value as T;
    },
    set<T>(key: string, value: T) {
      entries.delete(key);
      entries.set(key, { value, until: now() + ttl });
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
      return true;
    },
    del(key: string) {
      return entries.delete(key);
    },
    flushAll() {
      entries.clear();
    },
    size: () => entries.size,
  };
}
