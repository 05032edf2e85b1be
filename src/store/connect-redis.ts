import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * Connects to `REDIS_URL` and checks it answers (PING), so a wrong address stops the boot with
 * one clear message instead of failing message by message. Later outages are logged (without
 * the URL, which may hold a password) and ioredis reconnects by itself.
 *
 * ```ts
 * const redis = await connectRedis(config.REDIS_URL, log);
 * ```
 */
export async function connectRedis(url: string, log: Logger, timeoutMs = 5_000): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: timeoutMs });
  let lastError = '';
  let connected = false;
  redis.on('error', (err: Error) => {
    if (err.message === lastError) return; // one line per kind of failure, not one per retry
    lastError = err.message;
    if (connected) log.error({ err: { message: err.message } }, 'redis connection problem');
  });
  redis.on('ready', () => {
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
  return redis;
}
