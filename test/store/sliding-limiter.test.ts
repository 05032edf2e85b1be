import { describe, expect, it } from 'vitest';
import { createSlidingLimiter } from '../../src/store/create-redis-rate-limiter.js';
import { REDIS_AVAILABLE, startRedis, type TestRedis } from './redis-server.js';

/** Takes `n` times at the given moment; the answers in order. */
async function burst(take: (k: string) => boolean | Promise<boolean>, n: number) {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push(await take('ana'));
  return out;
}

/** "Burst 10, then 2/s" around a window's edge, on a clock the test moves. */
async function edgeScenario(redis?: TestRedis) {
  let t = 1_000_000 * 5_000 + 4_900; // 100 ms before a window ends
  const limiter = createSlidingLimiter({ redis: redis?.client(), limit: 10, windowMs: 5_000, prefix: `edge:${Math.random()}:` }, () => t);
  const take = (k: string) => limiter.take(k);
  const seen: Record<string, boolean[]> = {};
  seen.endOfWindow = await burst(take, 11);
  t += 100; // the next window starts: a fixed window would allow 10 more now
  seen.nextWindow = await burst(take, 5);
  t += 2_500; // half of it gone: half the previous window still counts
  seen.halfWay = await burst(take, 7);
  seen.otherUser = [await limiter.take('bob')];
  return seen;
}

const expected = {
  endOfWindow: [...Array(10).fill(true), false],
  nextWindow: Array(5).fill(false),
  halfWay: [...Array(5).fill(true), false, false],
  otherUser: [true],
};

describe('the sliding-window limiter (rate-limiter-flexible)', () => {
  it('in memory, does not let a second burst through at the window edge (no 2× burst)', async () => {
    expect(await edgeScenario()).toEqual(expected);
  });

  it.skipIf(!REDIS_AVAILABLE)('in Redis, behaves exactly as in memory', async () => {
    const redis = await startRedis();
    try {
      expect(await edgeScenario(redis)).toEqual(expected);
    } finally {
      await redis.stop();
    }
  });
});
