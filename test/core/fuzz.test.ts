import { describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import type { Session } from '../../src/core/types.js';
import { fuzzMessages } from '../../src/cli/fuzz-messages.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

describe('the core under random input', () => {
  const assistant = createAssistant(loadOrThrow(REAL_KB_DIR));

  it('never throws and always returns a well-formed reply, over thousands of random messages', () => {
    let session: Session | undefined;
    const started = performance.now();
    let slowest = 0;
    let i = 0;
    for (const { text, keepSession } of fuzzMessages(20261122, 3000)) {
      const t0 = performance.now();
      const { reply, session: next } = assistant.respond({ userId: 'fuzz', text }, session, i++ * 1000);
      slowest = Math.max(slowest, performance.now() - t0);
      session = keepSession ? next : undefined;
      expect(['answer', 'clarify', 'fallback', 'emergency', 'smalltalk']).toContain(reply.kind);
      expect(typeof reply.intent).toBe('string');
      expect(reply.text.trim().length).toBeGreaterThan(0);
      expect(Array.isArray(reply.options) && reply.options.every((o) => typeof o === 'string')).toBe(true);
      expect(Number.isFinite(reply.score)).toBe(true);
      expect(JSON.parse(JSON.stringify(reply))).toEqual(reply);
    }
    // a bound per message, loose enough for a busy CI machine
    expect(slowest).toBeLessThan(250);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('handles shared locations anywhere, including invalid coordinates', () => {
    for (const [latitude, longitude] of [
      [19.43, -99.13],
      [0, 0],
      [90, 180],
      [Number.NaN, 1],
      [Number.POSITIVE_INFINITY, -99],
    ] as const) {
      const { reply } = assistant.respond({ userId: 'geo', location: { latitude, longitude } }, undefined, 0);
      expect(['answer', 'fallback']).toContain(reply.kind);
      expect(reply.text.length).toBeGreaterThan(0);
    }
  });
});
