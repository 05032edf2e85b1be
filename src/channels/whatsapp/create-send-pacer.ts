export interface SendPacerOptions {
  /** Least time between two outgoing messages, across all chats (default 250 ms: 4 per second at most). */
  minIntervalMs?: number;
  /** Up to this much random extra wait before each message (default 250 ms), so sends do not look machine-timed. */
  jitterMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) (default Math.random). */
  random?: () => number;
}

/** Which lane a send waits in: an emergency goes at once, a chat's first reply before the rest. */
export type SendPriority = 'emergency' | 'first' | 'normal';

/** Runs sends one at a time with a global minimum spacing plus jitter, highest priority first. */
export interface SendPacer {
  /** Sends in turn (`normal`, the default) or ahead of every normal send (`first`), spaced and jittered; `emergency` is `urgent`. */
  run<T>(send: () => Promise<T>, priority?: SendPriority): Promise<T>;
  /** Sends now, ahead of the queue and without waiting: for emergency replies only. */
  urgent<T>(send: () => Promise<T>): Promise<T>;
  /** Sends waiting, per lane. */
  queued(): { first: number; normal: number };
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Job {
  send: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The global outbound rate cap: every message the bot sends, to any chat, goes through one
 * pacer, which spaces them at least `minIntervalMs` apart plus a random jitter. It is a
 * priority queue: an emergency reply goes out at once (`urgent`, never behind anything); the
 * first reply of a chat goes before the later replies of busy chats, so one person's first
 * answer does not wait behind a hundred conversations; the rest go in arrival order. The lane is
 * chosen after each wait, so a send queued during a wait still takes its place. A failing send
 * does not block the ones after it.
 *
 * ```ts
 * const pacer = createSendPacer({ minIntervalMs: 250, jitterMs: 250 });
 * await pacer.run(() => sock.sendMessage(jid, { text }), 'first');
 * ```
 */
export function createSendPacer(opts: SendPacerOptions = {}): SendPacer {
  const minInterval = opts.minIntervalMs ?? 250;
  const jitter = opts.jitterMs ?? 250;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  let last = Number.NEGATIVE_INFINITY;
  const first: Job[] = [];
  const normal: Job[] = [];
  let pumping = false;

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (first.length + normal.length > 0) {
        const wait = Math.max(0, last + minInterval - now()) + Math.floor(random() * jitter);
        if (wait > 0) await sleep(wait);
        const job = first.shift() ?? normal.shift();
        if (!job) continue;
        last = now();
        try {
          job.resolve(await job.send());
        } catch (err) {
          job.reject(err);
        }
      }
    } finally {
      pumping = false;
    }
  }

  const pacer: SendPacer = {
    run<T>(send: () => Promise<T>, priority: SendPriority = 'normal'): Promise<T> {
      if (priority === 'emergency') return pacer.urgent(send);
      return new Promise<T>((resolve, reject) => {
        (priority === 'first' ? first : normal).push({ send, resolve: resolve as (v: unknown) => void, reject });
        // On the next microtask, like a promise chain: a caller's `urgent` right after still goes first.
        void Promise.resolve().then(pump);
      });
    },
    urgent<T>(send: () => Promise<T>): Promise<T> {
      last = now();
      return send();
    },
    queued: () => ({ first: first.length, normal: normal.length }),
  };
  return pacer;
}
