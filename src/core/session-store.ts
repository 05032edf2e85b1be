import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomicSync } from '../write-atomic.js';
import { pseudonym } from '../pseudonym.js';
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
  /**
   * A JSON file the sessions are written to (mode 600) after every change, at most once per
   * `saveEveryMs`, and on close; read back on start (optional).
   */
  snapshotPath?: string;
  /** Longest a change waits before it is on disk (default 1000 ms): what a crash can lose. */
  saveEveryMs?: number;
  /**
   * What a session is filed under, in memory and in the file (default: the user id's keyed
   * pseudonym, so the file holds no phone number or chat id).
   */
  keyOf?: (userId: string) => string;
  /** Called when a background save fails (the next change tries again). */
  onSaveError?: (err: unknown) => void;
  /** Called when a background save succeeds (e.g. to clear a "degraded" health state). */
  onSaved?: () => void;
  now?: () => number;
}

/**
 * Sessions in memory with a time-to-live; optionally kept in a file so that neither a restart
 * nor a crash (`kill -9`, out of memory) forgets running conversations: a change is written at
 * most `saveEveryMs` later, atomically (written beside it, then renamed), mode 600.
 *
 * ```ts
 * const store = createMemorySessionStore({ ttlMs: 30 * 60_000, snapshotPath: 'data/sessions.json' });
 * ```
 */
export function createMemorySessionStore(opts: MemorySessionStoreOptions): SessionStore {
  const now = opts.now ?? Date.now;
  const max = opts.maxSessions ?? 100_000;
  const saveEveryMs = opts.saveEveryMs ?? 1000;
  const keyOf = opts.keyOf ?? ((userId: string) => pseudonym(userId, 32));
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

  let timer: NodeJS.Timeout | undefined;
  let lastSave = 0;
  let closed = false;

  /** Writes the live sessions now: a temporary file beside the snapshot, then a rename. */
  function save(): void {
    if (!opts.snapshotPath) return;
    lastSave = Date.now();
    const live: Record<string, Session> = {};
    for (const [k, v] of map) if (alive(v)) live[k] = v;
    mkdirSync(dirname(opts.snapshotPath), { recursive: true });
    writeFileAtomicSync(opts.snapshotPath, JSON.stringify(live), 0o600);
  }

  /** Schedules a save: at once if the last one is older than `saveEveryMs`, else when it is. */
  function changed(): void {
    if (!opts.snapshotPath || closed || timer) return;
    const wait = Math.max(0, lastSave + saveEveryMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      try {
        save();
        opts.onSaved?.();
      } catch (err) {
        opts.onSaveError?.(err);
      }
    }, wait);
    timer.unref?.();
  }

  return {
    async get(userId) {
      const key = keyOf(userId);
      const s = map.get(key);
      if (!s) return undefined;
      if (!alive(s)) {
        map.delete(key);
        return undefined;
      }
      return s;
    },
    async set(userId, session) {
      const key = keyOf(userId);
      map.delete(key);
      map.set(key, session);
      if (map.size > max) {
        const oldest = map.keys().next().value;
        if (oldest !== undefined) map.delete(oldest);
      }
      changed();
    },
    async delete(userId) {
      if (map.delete(keyOf(userId))) changed();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      save();
    },
  };
}
