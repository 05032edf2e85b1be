import type { SessionStore } from '../core/session-store.js';
import type { Session } from '../core/types.js';

export interface SessionFallbackOptions {
  /** The shared store (Redis), which may fail or time out. */
  primary: SessionStore;
  /** This process's copy, used when the primary fails (a bounded memory store). */
  fallback: SessionStore;
  /** Told when the primary fails; the conversation goes on from the fallback. */
  onError?: (err: unknown) => void;
}

const newer = (a: Session | undefined, b: Session | undefined) => (!a ? b : !b ? a : b.updatedAt > a.updatedAt ? b : a);

/**
 * Sessions that survive an unavailable shared store: every write goes to both stores (the shared
 * one in the background), a read asks
 * both and keeps the newer (so a conversation continued here while Redis was away is not
 * overwritten by Redis's stale copy when it comes back), and a primary that fails is left out.
 * Wraps any `SessionStore`; neither store is changed.
 *
 * ```ts
 * const sessions = withSessionFallback({ primary: redisSessions, fallback: createMemorySessionStore({ ttlMs }) });
 * ```
 */
export function withSessionFallback(opts: SessionFallbackOptions): SessionStore {
  const { primary, fallback } = opts;
  const failed = (err: unknown) => {
    opts.onError?.(err);
    return undefined;
  };
  return {
    async get(userId) {
      const [shared, mine] = await Promise.all([primary.get(userId).catch(failed), fallback.get(userId)]);
      return newer(shared, mine);
    },
    async set(userId, session) {
      // The shared write is sent now but not awaited: the reply does not wait on Redis, and this
      // instance's next read of the user comes after it on the same connection.
      void primary.set(userId, session).catch(failed);
      await fallback.set(userId, session);
    },
    async delete(userId) {
      await Promise.all([primary.delete(userId).catch(failed), fallback.delete(userId)]);
    },
    async close() {
      await Promise.all([primary.close().catch(failed), fallback.close()]);
    },
  };
}
