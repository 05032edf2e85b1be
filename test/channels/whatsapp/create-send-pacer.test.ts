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
