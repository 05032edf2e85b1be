import { createHmac } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../logger.js';
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
  /**
   * True while the store cannot trust its disk: the file could not be read at start-up (then it
   * is never compacted, so nothing is lost) or the last write failed (ENOSPC, EACCES…). Replies
   * go on; only the recording is missing. `/healthz` reports it.
   */
  readonly degraded?: boolean;
}

/** The file operations the store uses (injectable, so a test can make a disk full). */
export type StaffFs = Pick<
  typeof nodeFs,
  'appendFileSync' | 'closeSync' | 'fsyncSync' | 'mkdirSync' | 'openSync' | 'readSync' | 'renameSync' | 'statSync' | 'unlinkSync' | 'writeSync'
>;

export interface StaffStoreOptions {
  /** The JSON-lines file (e.g. `DATA_DIR/staff-events.jsonl`). Opt-outs go beside it (`…-optouts.jsonl`). */
  path: string;
  /** Key of the pseudonymising hash (see `staffKey`). */
  key: Buffer;
  /** Records older than this many days are dropped (default 90). Markers are kept. */
  retentionDays?: number;
  /**
   * Size bound of the events file (default 256 MiB): past it, the next append compacts, and if
   * the retained records still exceed it the oldest questions and 👍/👎 go first.
   */
  maxBytes?: number;
  now?: () => number;
  /** Where a read or write failure is told (default: nowhere). */
  log?: Pick<Logger, 'warn' | 'error'>;
  fs?: StaffFs;
}

const channelOf = (userId: string) => userId.split(':')[0] || 'desconocido';
const MAX_TEXT = 300;
const CHUNK = 1 << 20;

/** The opt-out file that goes with an events file. */
/**
 * A user's pseudonym in the staff store under `key` (HMAC-SHA-256, 20 hex digits): the same in the
 * file and the Redis store, so their reports and «borrar mis datos» agree.
 */
export const staffPseudonym =
  (key: Buffer) =>
  (userId: string): string =>
    createHmac('sha256', key).update(userId).digest('hex').slice(0, 20);

export const optOutPath = (path: string) => `${path.replace(/\.jsonl$/, '')}-optouts.jsonl`;

/**
 * Calls `onLine` with every line of a file, read in 1 MiB chunks (a file of any size: never one
 * string). Returns false when the file does not exist; throws any other read error.
 */
export function forEachLine(fs: Pick<StaffFs, 'openSync' | 'readSync' | 'closeSync'>, path: string, onLine: (line: string, last: boolean) => void): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let rest = Buffer.alloc(0) as Buffer;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let data: Buffer = rest.length ? Buffer.concat([rest, buf.subarray(0, n)]) : buf.subarray(0, n);
      let from = 0;
      for (let nl = data.indexOf(10, from); nl !== -1; nl = data.indexOf(10, from)) {
        onLine(data.toString('utf8', from, nl), false);
        from = nl + 1;
      }
      rest = Buffer.from(data.subarray(from));
      data = rest;
    }
    if (rest.length) onLine(rest.toString('utf8'), true);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

const isEvent = (e: unknown): e is StaffEvent =>
  typeof e === 'object' && e !== null && typeof (e as StaffEvent).type === 'string' && typeof (e as StaffEvent).user === 'string' && typeof (e as StaffEvent).at === 'number';

/**
 * The embedded staff store: one JSON object per line, appended as things happen and rewritten
 * atomically (temp file, then rename) on compaction and deletion; opt-outs in a file of their
 * own, written with fsync. No native modules. Ids are pseudonymised with a keyed hash and texts
 * redacted before they reach the disk.
 *
 * It never destroys data it could not read: a file it cannot read at start-up (EACCES, EIO…)
 * leaves the store `degraded`, appending but never compacting. A torn last line (a crash
 * mid-write) is skipped with a warning. A failing write (ENOSPC) loses that record only, flips
 * `degraded` and never throws: the citizen still gets the reply.
 *
 * ```ts
 * const store = createStaffStore({ path: 'data/staff-events.jsonl', key: staffKey({ dataDir: 'data' }) });
 * store.recordQuestion({ userId: 'web:ana', outcome: 'unanswered', intent: 'desconocido', text: '¿y el dentista?', score: 0 });
 * ```
 */
export function createStaffStore(opts: StaffStoreOptions): StaffStore {
  const fs = opts.fs ?? nodeFs;
  const now = opts.now ?? Date.now;
  const retentionMs = (opts.retentionDays ?? 90) * 86_400_000;
  const maxBytes = opts.maxBytes ?? 256 * 2 ** 20;
  const optPath = optOutPath(opts.path);
  const log = opts.log;
  let events: StaffEvent[] = [];
  /** The files could not be read: compaction and rewrites are refused so nothing unread is lost. */
  let unreadable = false;
  let writeFailed = false;
  let bytes = 0;

  const read = (path: string, onEvent: (e: StaffEvent) => void) => {
    let bad = 0;
    forEachLine(fs, path, (line, last) => {
      bytes += Buffer.byteLength(line) + 1;
      if (!line.trim()) return;
      try {
        const e: unknown = JSON.parse(line);
        if (isEvent(e)) onEvent(e);
        else bad++;
      } catch {
        if (last) log?.warn({ file: path }, 'staff store: skipped a torn last line (a write was cut off)');
        else bad++;
      }
    });
    if (bad > 0) log?.warn({ file: path, lines: bad }, 'staff store: skipped unreadable lines');
  };
  const optedOut = new Map<string, number>();
  const contacted = new Set<string>();
  try {
    read(opts.path, (e) => {
      if (e.type === 'optout') optedOut.set(e.user, e.at);
      else events.push(e);
      if (e.type === 'contact') contacted.add(e.user);
    });
    const legacy = optedOut.size;
    bytes = 0;
    // (the opt-outs an older version kept among the events are moved to their own file on the next rewrite)
    read(optPath, (e) => {
      if (e.type === 'optout') optedOut.set(e.user, e.at);
      else if ((e as { type: string }).type === 'optin') optedOut.delete(e.user);
    });
    if (legacy > 0) writeOptOuts();
    bytes = safeSize(opts.path);
  } catch (err) {
    unreadable = true;
    log?.error(
      { err: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code }, file: opts.path },
      'staff store: could not read the file; it will not be compacted or rewritten (nothing is deleted) until it can be read — new records are appended',
    );
  }
  try {
    fs.mkdirSync(dirname(opts.path), { recursive: true });
  } catch {
    /* the first write tells */
  }

  function safeSize(path: string) {
    try {
      return fs.statSync(path).size;
    } catch {
      return 0;
    }
  }
  function failed(err: unknown, what: string) {
    if (!writeFailed)
      log?.error(
        { err: { message: (err as Error).message, code: (err as NodeJS.ErrnoException).code }, file: opts.path },
        `staff store: ${what} failed; answering without recording until the disk accepts writes again`,
      );
    writeFailed = true;
  }
  /** Writes `lines` to a temp file and renames it over `path`; no temp file is left on failure. */
  function atomicWrite(path: string, lines: Iterable<string>): boolean {
    const tmp = `${path}.${process.pid}.tmp`;
    let fd: number | undefined;
    try {
      fd = fs.openSync(tmp, 'w');
      let pending = '';
      for (const line of lines) {
        pending += line;
        if (pending.length > CHUNK) {
          fs.writeSync(fd, pending);
          pending = '';
        }
      }
      if (pending) fs.writeSync(fd, pending);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fd = undefined;
      fs.renameSync(tmp, path);
      writeFailed = false;
      return true;
    } catch (err) {
      if (fd !== undefined)
        try {
          fs.closeSync(fd);
        } catch {
          /* already failing */
        }
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* never created */
      }
      failed(err, 'rewriting the file');
      return false;
    }
  }
  function* linesOf(list: Iterable<StaffEvent>) {
    for (const e of list) yield `${JSON.stringify(e)}\n`;
  }
  function writeOptOuts() {
    if (unreadable) return false;
    return atomicWrite(optPath, linesOf([...optedOut].map(([user, at]): StaffEvent => ({ type: 'optout', at, user }))));
  }
  const rewrite = () => {
    if (unreadable) return false;
    const ok = atomicWrite(opts.path, linesOf(events));
    if (ok) bytes = safeSize(opts.path);
    return ok;
  };

  const pseudonym = staffPseudonym(opts.key);
  const appendLine = (path: string, line: string, durable = false) => {
    try {
      if (durable) {
        const fd = fs.openSync(path, 'a');
        try {
          fs.writeSync(fd, line);
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
      } else fs.appendFileSync(path, line);
      writeFailed = false;
      return true;
    } catch (err) {
      failed(err, 'appending a record');
      return false;
    }
  };
  const append = (e: StaffEvent) => {
    events.push(e);
    const line = `${JSON.stringify(e)}\n`;
    if (appendLine(opts.path, line)) bytes += Buffer.byteLength(line);
    if (bytes > maxBytes) store.compact();
  };
  const remove = (user: string) => {
    const before = events.length;
    events = events.filter((e) => e.user !== user);
    const removed = before - events.length;
    if (removed > 0) rewrite();
    return removed;
  };

  const store: StaffStore = {
    pseudonym,
    get degraded() {
      return unreadable || writeFailed;
    },
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
      return remove(user);
    },
    optOut(userId) {
      const user = pseudonym(userId);
      // The opt-out is written first, durably: it holds even if the deletion below fails.
      if (!optedOut.has(user)) {
        const at = now();
        optedOut.set(user, at);
        appendLine(optPath, `${JSON.stringify({ type: 'optout', at, user })}\n`, true);
      }
      remove(user);
      contacted.delete(user);
    },
    optIn(userId) {
      const user = pseudonym(userId);
      if (optedOut.delete(user)) {
        appendLine(optPath, `${JSON.stringify({ type: 'optin', at: now(), user })}\n`, true);
        remove(user);
      }
    },
    isOptedOut: (userId) => optedOut.has(pseudonym(userId)),
    events: () => events,
    compact() {
      if (unreadable) {
        log?.warn({ file: opts.path }, 'staff store: compaction refused, the file could not be read at start-up');
        return;
      }
      const cutoff = now() - retentionMs;
      let kept = events.filter((e) => e.type === 'contact' || e.at >= cutoff);
      // Still over the size bound: the oldest questions and 👍/👎 go first (markers stay).
      let size = 0;
      for (const e of kept) size += Buffer.byteLength(JSON.stringify(e)) + 1;
      if (size > maxBytes) {
        const target = maxBytes * 0.8;
        kept = kept.filter((e) => {
          if (e.type === 'contact' || size <= target) return true;
          size -= Buffer.byteLength(JSON.stringify(e)) + 1;
          return false;
        });
      }
      events = kept;
      rewrite();
      writeOptOuts();
    },
  };
  return store;
}
