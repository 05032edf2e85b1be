import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Session } from './types.js';

/**
 * Where conversations are remembered between messages. Small on purpose, so that the ops work
 * can put it in Redis without touching the core.
 */
export interface SessionStore {
  get(userId: string): Promise<Session | undefined>;
  set(userId: string, session: Session): Promise<void>;
  delete(userId: string): Promise<void>;
  /** Persists what must survive a restart and releases resources. */
  close(): Promise<void>;
}

export interface MemorySessionStoreOptions {
  ttlMs: number;
  /** Oldest sessions are dropped beyond this many. */
  maxSessions?: number;
  /** A JSON file the sessions are written to on close and read back on start (optional). */
  snapshotPath?: string;
  now?: () => number;
}

/**
 * Sessions in memory with a time-to-live; optionally saved to a file on close (atomically:
 * written beside it, then renamed) so a restart does not forget running conversations.
 *
 * ```ts
 * const store = createMemorySessionStore({ ttlMs: 30 * 60_000, snapshotPath: 'data/sessions.json' });
 * ```
 */
export function createMemorySessionStore(opts: MemorySessionStoreOptions): SessionStore {
  const now = opts.now ?? Date.now;
  const max = opts.maxSessions ?? 100_000;
  const map = new Map<string, Session>();
  const alive = (s: Session) => now() - s.updatedAt < opts.ttlMs;

  if (opts.snapshotPath) {
    try {
      const saved = JSON.parse(readFileSync(opts.snapshotPath, 'utf8')) as Record<string, Session>;
      for (const [k, v] of Object.entries(saved)) if (v && typeof v.updatedAt === 'number' && alive(v)) map.set(k, v);
    } catch {
      /* no snapshot yet, or an unreadable one: start empty */
    }
  }

  return {
    async get(userId) {
      const s = map.get(userId);
      if (!s) return undefined;
      if (!alive(s)) {
        map.delete(userId);
        return undefined;
      }
      return s;
    },
    async set(userId, session) {
      map.delete(userId);
      map.set(userId, session);
      if (map.size > max) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
    },
    async delete(userId) {
      map.delete(userId);
    },
    async close() {
      if (!opts.snapshotPath) return;
      const live: Record<string, Session> = {};
      for (const [k, v] of map) if (alive(v)) live[k] = v;
      mkdirSync(dirname(opts.snapshotPath), { recursive: true });
      const tmp = `${opts.snapshotPath}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(live));
      renameSync(tmp, opts.snapshotPath);
    },
  };
}
