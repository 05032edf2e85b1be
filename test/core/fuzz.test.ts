import { describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import type { Session } from '../../src/core/types.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

/** A small seeded generator, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = [
  'credencial', 'imss', 'bienestar', 'issste', 'y en', 'guerrero', 'jalisco', '2', 'menu', 'hola', 'gracias',
  'hospital', 'tepic', 'vacuna', '¿', '?', '!!!', '🙏', '😷', '\u202e', '\u0000', '\u200b', 'ñ', 'ÁÉÍÓÚ', 'مرحبا',
  'שלום', '漢字', '\t', '\n', '  ', 'x'.repeat(300), '9'.repeat(40), 'mas detalles', 'no', 'ni', 'el', 'del', 'q',
  'dolor de pecho', 'pasame', '%s', '${x}', '<b>', '\\', '"', "'", '\ud800', '1e309', 'NaN', 'undefined',
];

describe('the core under random input', () => {
  const assistant = createAssistant(loadOrThrow(REAL_KB_DIR));

  it('never throws and always returns a well-formed reply, over thousands of random messages', () => {
    const rand = prng(20261122);
    let session: Session | undefined;
    const started = performance.now();
    let slowest = 0;
    for (let i = 0; i < 3000; i++) {
      const parts = Math.floor(rand() * 12);
      let text = '';
      for (let p = 0; p < parts; p++) {
        text += rand() < 0.8 ? PIECES[Math.floor(rand() * PIECES.length)] : String.fromCharCode(Math.floor(rand() * 0xffff));
        text += rand() < 0.7 ? ' ' : '';
      }
      if (rand() < 0.01) text = text.repeat(2000);
      const t0 = performance.now();
      const { reply, session: next } = assistant.respond({ userId: 'fuzz', text }, session, i * 1000);
      slowest = Math.max(slowest, performance.now() - t0);
      session = rand() < 0.1 ? undefined : next;
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
