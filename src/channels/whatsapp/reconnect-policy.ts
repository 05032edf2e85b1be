import { DisconnectReason } from '@whiskeysockets/baileys';

/** What to do when the WhatsApp connection closes. */
export type CloseAction = 'logged-out' | 'restart' | 'replaced' | 'backoff';

/**
 * Maps a close to an action, by the status code Baileys puts on `lastDisconnect.error`
 * (a Boom: read `output.statusCode`, not `instanceof`, since Baileys bundles its own boom):
 * 401 logged out → forget the credentials and ask to pair again; 515 restart required (normal
 * right after pairing) → reconnect at once; 440 connection replaced → stop, another process holds
 * the number; anything else → reconnect with backoff.
 */
export function closeAction(error: unknown): CloseAction {
  const code = statusCodeOf(error);
  if (code === DisconnectReason.loggedOut) return 'logged-out';
  if (code === DisconnectReason.restartRequired) return 'restart';
  if (code === DisconnectReason.connectionReplaced) return 'replaced';
  return 'backoff';
}

export function statusCodeOf(error: unknown): number | undefined {
  const code = (error as { output?: { statusCode?: unknown } } | undefined)?.output?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export interface BackoffOptions {
  /** Delay before the first retry (default 1 s). */
  baseMs?: number;
  /** Longest delay (default 5 min). */
  maxMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Fraction of the delay that is random, 0–1 (default 0.3: the delay is 70–100 % of the step). */
  jitter?: number;
}

/**
 * Delay before reconnect attempt `attempt` (1-based): `baseMs · factor^(attempt-1)`, capped at
 * `maxMs`, minus up to `jitter` of it at random so many bots do not reconnect in step. Pure given `random`.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}, random: () => number = Math.random): number {
  const base = opts.baseMs ?? 1000;
  const max = opts.maxMs ?? 5 * 60_000;
  const factor = opts.factor ?? 2;
  const jitter = Math.min(Math.max(opts.jitter ?? 0.3, 0), 1);
  const step = Math.min(max, base * factor ** Math.max(0, attempt - 1));
  return Math.round(step * (1 - jitter * random()));
}

/** How many 515 restarts in a row reconnect at once before they are backed off (default 2). */
export const FREE_RESTARTS = 2;

/**
 * Delay before reconnecting after the `restartsInRow`-th 515 (restart required) since the last
 * open connection: the first `freeRestarts` go at once (normal right after pairing); repeats
 * mean something is wrong (a loop of restarts), so they back off like any other close.
 */
export function restartDelay(restartsInRow: number, opts: BackoffOptions = {}, random: () => number = Math.random, freeRestarts = FREE_RESTARTS): number {
  if (restartsInRow <= freeRestarts) return 0;
  return backoffDelay(restartsInRow - freeRestarts, opts, random);
}
