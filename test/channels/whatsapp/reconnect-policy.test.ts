import { describe, expect, it } from 'vitest';
import { backoffDelay, closeAction, restartDelay } from '../../../src/channels/whatsapp/reconnect-policy.js';

const boom = (statusCode: number) => Object.assign(new Error('Connection Failure'), { output: { statusCode } });

describe('closeAction', () => {
  it('maps the close codes of Baileys 7 to what the bot does', () => {
    expect(closeAction(boom(401))).toBe('logged-out');
    expect(closeAction(boom(515))).toBe('restart');
    expect(closeAction(boom(440))).toBe('replaced');
    for (const code of [408, 428, 500, 503, 411, 403]) expect(closeAction(boom(code))).toBe('backoff');
    expect(closeAction(undefined)).toBe('backoff');
    expect(closeAction(new Error('no status'))).toBe('backoff');
  });
});

describe('backoffDelay', () => {
  it('doubles from the base and stops at the cap', () => {
    const noJitter = { baseMs: 1000, maxMs: 60_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelay(n, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('takes off at most the jitter fraction, at random', () => {
    expect(backoffDelay(3, { baseMs: 1000, jitter: 0.3 }, () => 0)).toBe(4000);
    expect(backoffDelay(3, { baseMs: 1000, jitter: 0.3 }, () => 0.999_999)).toBe(2800);
    expect(backoffDelay(100, {}, () => 0)).toBe(5 * 60_000);
  });
});

describe('restartDelay (515 restart required)', () => {
  it('reconnects at once for the first restarts in a row, then backs off and caps', () => {
    const opts = { baseMs: 1000, maxMs: 8000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelay(n, opts))).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000]);
    expect(restartDelay(1, opts, Math.random, 0)).toBe(1000);
  });

  it('401 (logged out) is never retried, whatever came before', () => {
    expect(closeAction(boom(401))).toBe('logged-out');
    expect(closeAction(Object.assign(new Error('x'), { output: { statusCode: 401 }, data: { reason: '401' } }))).toBe('logged-out');
  });
});
