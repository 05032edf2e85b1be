import { describe, expect, it } from 'vitest';
import { createSendPacer } from '../../../src/channels/whatsapp/create-send-pacer.js';

/** A fake clock whose sleep advances time instantly. */
function fakeClock() {
  let t = 0;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
    advance: (ms: number) => void (t += ms),
  };
}

describe('createSendPacer', () => {
  it('spaces every send, across chats, by the minimum interval plus jitter', async () => {
    const clock = fakeClock();
    const pacer = createSendPacer({ minIntervalMs: 300, jitterMs: 100, now: clock.now, sleep: clock.sleep, random: () => 0.5 });
    const at: number[] = [];
    await Promise.all([1, 2, 3, 4].map(() => pacer.run(async () => void at.push(clock.now()))));
    expect(at).toEqual([50, 400, 750, 1100]);
    for (let i = 1; i < at.length; i++) expect((at[i] as number) - (at[i - 1] as number)).toBeGreaterThanOrEqual(300);
  });

  it('does not wait when the last send was long ago, and a failed send does not block the next', async () => {
    const clock = fakeClock();
    const pacer = createSendPacer({ minIntervalMs: 300, jitterMs: 0, now: clock.now, sleep: clock.sleep });
    await expect(pacer.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    clock.advance(1000);
    await expect(pacer.run(async () => 'ok')).resolves.toBe('ok');
    expect(clock.waits).toEqual([]);
  });

  it('sends an emergency reply at once, ahead of the replies queued for other chats', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const pacer = createSendPacer({ minIntervalMs: 1_000, jitterMs: 0, sleep: () => gate });
    const order: string[] = [];
    const queued = [1, 2, 3].map((n) => pacer.run(async () => void order.push(`normal ${n}`)));
    await pacer.urgent(async () => void order.push('urgent'));
    expect(order[0]).toBe('urgent');
    release();
    await Promise.all(queued);
    expect(order).toEqual(['urgent', 'normal 1', 'normal 2', 'normal 3']);
  });
});

describe('createSendPacer priorities', () => {
  it('with 100 chats queued, an emergency goes out first and a first reply before the rest', async () => {
    const clock = fakeClock();
    const pacer = createSendPacer({ minIntervalMs: 250, jitterMs: 250, now: clock.now, sleep: clock.sleep, random: () => 0.5 });
    const order: { who: string; at: number }[] = [];
    const queued = Array.from({ length: 100 }, (_, i) => pacer.run(async () => void order.push({ who: `chat ${i}`, at: clock.now() })));
    expect(pacer.queued().normal).toBeGreaterThanOrEqual(99);
    const firstReply = pacer.run(async () => void order.push({ who: 'first reply', at: clock.now() }), 'first');
    await pacer.run(async () => void order.push({ who: 'emergency', at: clock.now() }), 'emergency');
    expect(order[0]?.who).toBe('emergency');
    expect(order[0]?.at).toBeLessThanOrEqual(125);
    await Promise.all([...queued, firstReply]);
    const at = order.findIndex((o) => o.who === 'first reply');
    // Only the send already taken from the queue (chat 0) can go before it.
    expect(at).toBeLessThanOrEqual(2);
    expect(order).toHaveLength(102);
    // Without priorities the emergency would have waited 100 sends: ~100 × 375 ms = 37.5 s of pacing.
    expect((order.at(-1)?.at ?? 0) / 1000).toBeGreaterThan(37);
  });
});
