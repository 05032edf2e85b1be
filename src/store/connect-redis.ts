import { type Command, Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export interface ConnectRedisOptions {
  /** How long the first connection and PING may take (default 5 s). */
  connectTimeoutMs?: number;
  /**
   * How long any later command may take before it fails (default 200 ms). Every caller treats a
   * failure as "Redis is away" and goes on without it (rate limits and dedupe in memory, sessions
   * in memory), so a frozen Redis slows a reply by this much at most, per command.
   */
  commandTimeoutMs?: number;
}

/**
 * Connects to `REDIS_URL` and checks it answers (PING), so a wrong address stops the boot with
 * one clear message instead of failing message by message. After that Redis is a dependency that
 * may fail: every command has a timeout (`commandTimeoutMs`), and while the connection is down
 * commands fail at once instead of queueing (no offline queue). Outages are logged (without the
 * URL, which may hold a password) and ioredis reconnects by itself.
 *
 * ```ts
 * const redis = await connectRedis(config.REDIS_URL, log, { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS });
 * ```
 */
export async function connectRedis(url: string, log: Logger, opts: ConnectRedisOptions = {}): Promise<Redis> {
  const timeoutMs = opts.connectTimeoutMs ?? 5_000;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: timeoutMs });
  let lastError = '';
  let connected = false;
  redis.on('error', (err: Error) => {
    if (err.message === lastError) return; // one line per kind of failure, not one per retry
    lastError = err.message;
    if (connected) log.error({ err: { message: err.message } }, 'redis connection problem');
  });
  redis.on('ready', () => {
    if (connected && lastError) log.info('redis connection back');
    lastError = '';
  });
  try {
    await redis.connect();
    await redis.ping();
    connected = true;
  } catch (err) {
    redis.disconnect();
    const why = (lastError || (err as Error).message).replace(/\.+$/, '');
    throw new Error(`No se pudo conectar a Redis en ${new URL(url).host} (REDIS_URL): ${why}. ¿Está corriendo redis-server y es correcta la dirección?`);
  }
  makeFailFast(redis, opts.commandTimeoutMs ?? 200);
  return redis;
}

/**
 * From now on a command fails after `commandTimeoutMs` (a frozen server), and at once while the
 * connection is down (no offline queue, no retries), instead of waiting for a reconnection. After
 * a timeout, commands are refused at once for `skipMs` (default 1 s): a frozen Redis then costs a
 * reply one timeout at most, not one per command (sessions, rate limits, dedupe); the first
 * command after that tries Redis again.
 */
export function makeFailFast(redis: Redis, commandTimeoutMs: number, skipMs = 1_000): Redis {
  redis.options.commandTimeout = commandTimeoutMs;
  redis.options.enableOfflineQueue = false;
  redis.options.maxRetriesPerRequest = 0;
  let skipUntil = 0;
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = (command: Command, stream?: Parameters<Redis['sendCommand']>[1]) => {
    if (redis.status === 'ready' && Date.now() < skipUntil) {
      command.reject(new Error('Redis skipped: a command timed out a moment ago'));
      return command.promise;
    }
    const p = send(command, stream) as Promise<unknown>;
    if (p && typeof p.catch === 'function')
      p.catch((err: Error) => {
        if (err?.message === 'Command timed out') skipUntil = Date.now() + skipMs;
      });
    return p;
  };
  return redis;
}
