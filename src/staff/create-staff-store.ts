import { createHmac } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { redact } from './redact.js';

/** A question the knowledge did not answer (`unanswered`) or was unsure about (`low-confidence`). */
export interface QuestionEvent {
  type: 'question';
  at: number;
  /** Keyed hash of the channel-prefixed user id. */
  user: string;
  channel: string;
  outcome: 'unanswered' | 'low-confidence';
  intent: string;
  /** What was asked, with phones, CURPs and e-mails redacted, capped at 300 characters. */
  text: string;
  score: number;
}

/** A 👍 or 👎 under an answer. */
export interface FeedbackEvent {
  type: 'feedback';
  at: number;
  user: string;
  channel: string;
  entryId: string;
  useful: boolean;
}

/** The privacy notice was shown (`contact`), or the person asked not to be recorded (`optout`). */
export interface MarkerEvent {
  type: 'contact' | 'optout';
  at: number;
  user: string;
}

export type StaffEvent = QuestionEvent | FeedbackEvent | MarkerEvent;

export interface StaffStore {
  /** The pseudonym stored instead of a user id. */
  pseudonym(userId: string): string;
  recordQuestion(q: { userId: string; outcome: QuestionEvent['outcome']; intent: string; text: string; score: number }): void;
  recordFeedback(f: { userId: string; entryId: string; useful: boolean; at?: number }): void;
  /** True the first time it is called for a user (and remembers it), false afterwards. */
  firstContact(userId: string): boolean;
  /** Deletes everything stored for a user ("borrar mis datos"); returns how many records went. */
  forget(userId: string): number;
  /** "baja": deletes the user's records and stores nothing of theirs from now on. */
  optOut(userId: string): void;
  /** "alta": undoes `optOut`. */
  optIn(userId: string): void;
  isOptedOut(userId: string): boolean;
  /** Every stored record within the retention period, oldest first. */
  events(): readonly StaffEvent[];
  /** Drops records older than the retention period and rewrites the file atomically. */
  compact(): void;
}

export interface StaffStoreOptions {
  /** The JSON-lines file (e.g. `DATA_DIR/staff-events.jsonl`). */
  path: string;
  /** Key of the pseudonymising hash (see `staffKey`). */
  key: Buffer;
  /** Records older than this many days are dropped (default 90). Markers are kept. */
  retentionDays?: number;
  now?: () => number;
}

const channelOf = (userId: string) => userId.split(':')[0] || 'desconocido';
const MAX_TEXT = 300;

/**
 * The embedded staff store: one JSON object per line, appended as things happen and rewritten
 * atomically (temp file, then rename) on compaction and deletion. No native modules; a
 * corrupt line (a crash mid-write) is skipped. Ids are pseudonymised with a keyed hash and
 * texts redacted before they reach the disk.
 *
 * ```ts
 * const store = createStaffStore({ path: 'data/staff-events.jsonl', key: staffKey({ dataDir: 'data' }) });
 * store.recordQuestion({ userId: 'web:ana', outcome: 'unanswered', intent: 'desconocido', text: '¿y el dentista?', score: 0 });
 * ```
 */
export function createStaffStore(opts: StaffStoreOptions): StaffStore {
  const now = opts.now ?? Date.now;
  const retentionMs = (opts.retentionDays ?? 90) * 86_400_000;
  let events: StaffEvent[] = [];
  try {
    for (const line of readFileSync(opts.path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as StaffEvent;
        if (e && typeof e.type === 'string' && typeof e.user === 'string') events.push(e);
      } catch {
        /* a torn last line: skip it */
      }
    }
  } catch {
    /* no file yet */
  }
  const optedOut = new Set(events.filter((e) => e.type === 'optout').map((e) => e.user));
  const contacted = new Set(events.filter((e) => e.type === 'contact').map((e) => e.user));
  mkdirSync(dirname(opts.path), { recursive: true });

  const pseudonym = (userId: string) => createHmac('sha256', opts.key).update(userId).digest('hex').slice(0, 20);
  const append = (e: StaffEvent) => {
    events.push(e);
    appendFileSync(opts.path, `${JSON.stringify(e)}\n`);
  };
  const rewrite = () => {
    const tmp = `${opts.path}.${process.pid}.tmp`;
    writeFileSync(tmp, events.map((e) => `${JSON.stringify(e)}\n`).join(''));
    renameSync(tmp, opts.path);
  };
  const remove = (user: string, keep: (e: StaffEvent) => boolean = () => false) => {
    const before = events.length;
    events = events.filter((e) => e.user !== user || keep(e));
    const removed = before - events.length;
    if (removed > 0) rewrite();
    return removed;
  };

  const store: StaffStore = {
    pseudonym,
    recordQuestion(q) {
      const user = pseudonym(q.userId);
      if (optedOut.has(user)) return;
      const text = redact(q.text.slice(0, MAX_TEXT * 2)).slice(0, MAX_TEXT);
      append({ type: 'question', at: now(), user, channel: channelOf(q.userId), outcome: q.outcome, intent: q.intent, text, score: q.score });
    },
    recordFeedback(f) {
      const user = pseudonym(f.userId);
      if (optedOut.has(user)) return;
      append({ type: 'feedback', at: f.at ?? now(), user, channel: channelOf(f.userId), entryId: f.entryId, useful: f.useful });
    },
    firstContact(userId) {
      const user = pseudonym(userId);
      if (contacted.has(user) || optedOut.has(user)) return false;
      contacted.add(user);
      append({ type: 'contact', at: now(), user });
      return true;
    },
    forget(userId) {
      const user = pseudonym(userId);
      contacted.delete(user);
      return remove(user, (e) => e.type === 'optout');
    },
    optOut(userId) {
      const user = pseudonym(userId);
      remove(user, (e) => e.type === 'optout'); // a second «baja» keeps the first one's marker
      contacted.delete(user);
      if (!optedOut.has(user)) {
        optedOut.add(user);
        append({ type: 'optout', at: now(), user });
      }
    },
    optIn(userId) {
      const user = pseudonym(userId);
      if (optedOut.delete(user)) remove(user);
    },
    isOptedOut: (userId) => optedOut.has(pseudonym(userId)),
    events: () => events,
    compact() {
      const cutoff = now() - retentionMs;
      events = events.filter((e) => e.type === 'optout' || e.type === 'contact' || e.at >= cutoff);
      rewrite();
    },
  };
  return store;
}
