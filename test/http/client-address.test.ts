import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientAddress, parseTrustProxy } from '../../src/http/client-address.js';
import { loadConfig } from '../../src/config.js';

const req = (socket: string, xff?: string) =>
  ({ socket: { remoteAddress: socket }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

describe('the client address behind proxies (TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For unless proxies are trusted (anyone can write it)', () => {
    expect(createClientAddress()(req('::ffff:10.0.0.5', '1.2.3.4'))).toBe('10.0.0.5');
    expect(createClientAddress({ hops: 0 })(req('10.0.0.5', '1.2.3.4'))).toBe('10.0.0.5');
  });

  it('with one hop, believes only the entry the load balancer added, not what the client wrote before it', () => {
    const of = createClientAddress({ hops: 1 });
    expect(of(req('10.0.0.5', '203.0.113.9'))).toBe('203.0.113.9');
    expect(of(req('10.0.0.5', '6.6.6.6, 203.0.113.9'))).toBe('203.0.113.9'); // a forged first entry
    expect(of(req('10.0.0.5'))).toBe('10.0.0.5'); // no header: the socket
    expect(createClientAddress({ hops: 2 })(req('10.0.0.5', '6.6.6.6, 203.0.113.9, 10.0.0.7'))).toBe('203.0.113.9');
  });

  it('with CIDRs, walks from the right past trusted proxies only', () => {
    const of = createClientAddress({ cidrs: ['10.0.0.0/8', '192.168.1.7'] });
    expect(of(req('10.1.2.3', '6.6.6.6, 203.0.113.9, 192.168.1.7'))).toBe('203.0.113.9');
    expect(of(req('198.51.100.1', '203.0.113.9'))).toBe('198.51.100.1'); // not from a trusted proxy: the header is ignored
    expect(of(req('10.1.2.3', '10.2.2.2'))).toBe('10.2.2.2'); // all trusted: the leftmost
  });

  it('gives 2,000 users behind one proxy 2,000 addresses', () => {
    const of = createClientAddress({ hops: 1 });
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => of(req('10.0.0.5', `198.51.${i >> 8}.${i & 255}`))));
    expect(seen.size).toBe(2000);
  });

  it('parses TRUST_PROXY and says in Spanish what it does not understand', () => {
    expect(parseTrustProxy('1')).toEqual({ hops: 1 });
    expect(parseTrustProxy('10.0.0.0/8, ::1')).toEqual({ cidrs: ['10.0.0.0/8', '::1'] });
    expect(parseTrustProxy('10.0.0.0/33')).toMatch(/no entiendo: 10\.0\.0\.0\/33/);
    const r = loadConfig({ TRUST_PROXY: 'balanceador' });
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.errors.join('\n')).toMatch(/^TRUST_PROXY: escriba un número de saltos/);
    const ok = loadConfig({ TRUST_PROXY: '1', METRICS_TOKEN: 'x'.repeat(16), REDIS_COMMAND_TIMEOUT_MS: '150' });
    expect(ok.ok && ok.config.TRUST_PROXY).toEqual({ hops: 1 });
    expect(ok.ok && ok.config.REDIS_COMMAND_TIMEOUT_MS).toBe(150);
    expect(ok.ok && ok.config.HTTP_HEADERS_TIMEOUT_MS).toBe(5_000);
  });
});
