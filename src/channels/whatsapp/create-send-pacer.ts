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

/** Runs sends one at a time with a global minimum spacing plus jitter. */
export interface SendPacer {
  /** Sends in turn, after the sends queued before it, spaced and jittered. */
  run<T>(send: () => Promise<T>): Promise<T>;
  /** Sends now, ahead of the queue and without waiting: for emergency replies only. */
  urgent<T>(send: () => Promise<T>): Promise<T>;
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The global outbound rate cap: every message the bot sends, to any chat, goes through one
 * pacer, which spaces them at least `minIntervalMs` apart plus a random jitter. A failing send
 * does not block the ones after it. An emergency reply goes out at once (`urgent`), never behind
 * the replies queued for other chats.
 *
 * ```ts
 * const pacer = createSendPacer({ minIntervalMs: 250, jitterMs: 250 });
 * await pacer.run(() => sock.sendMessage(jid, { text }));
 * ```
 */
export function createSendPacer(opts: SendPacerOptions = {}): SendPacer {
  const minInterval = opts.minIntervalMs ?? 250;
  const jitter = opts.jitterMs ?? 250;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const random = opts.random ?? Math.random;
  let last = Number.NEGATIVE_INFINITY;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    run<T>(send: () => Promise<T>): Promise<T> {
      const turn = chain.then(async () => {
        const wait = Math.max(0, last + minInterval - now()) + Math.floor(random() * jitter);
        if (wait > 0) await sleep(wait);
        last = now();
        return send();
      });
      chain = turn.catch(() => {});
      return turn;
    },
    urgent<T>(send: () => Promise<T>): Promise<T> {
      last = now();
      return send();
    },
  };
}
