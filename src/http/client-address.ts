import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Which proxies in front of Orienta may say who the client is (`TRUST_PROXY`): a number of hops
 * (`1`: one load balancer, whose `X-Forwarded-For` entry is believed) or a list of addresses and
 * CIDRs (`10.0.0.0/8, 192.168.1.7`: any of them may forward). Without it the socket's address is
 * the client's, and `X-Forwarded-For` is ignored (anyone can write it).
 */
export type TrustProxy = { hops: number } | { cidrs: string[] };

const plain = (a: string) => a.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** Parses `TRUST_PROXY`; returns a Spanish problem instead when it is neither a number nor a list of CIDRs. */
export function parseTrustProxy(text: string): TrustProxy | string {
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const hops = Number(t);
    return hops <= 10 ? { hops } : 'de 0 a 10 saltos, p. ej. 1';
  }
  const cidrs = t.split(',').map((c) => c.trim()).filter(Boolean);
  const bad = cidrs.filter((c) => {
    const [ip, bits, extra] = c.split('/');
    const v = isIP(ip ?? '');
    if (!v || extra !== undefined) return true;
    return bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128));
  });
  if (cidrs.length === 0 || bad.length > 0)
    return `escriba un número de saltos (p. ej. 1) o direcciones y rangos CIDR separados por comas (p. ej. 10.0.0.0/8,192.168.1.7)${bad.length ? `; no entiendo: ${bad.join(', ')}` : ''}`;
  return { cidrs };
}

/**
 * The client's address for per-address limits: the socket's, or, behind trusted proxies, the one
 * they wrote in `X-Forwarded-For` (read from the right, skipping only trusted proxies, so a
 * client cannot pick its own address by writing the header itself).
 *
 * ```ts
 * const clientAddress = createClientAddress(config.TRUST_PROXY);
 * limiter.take(clientAddress(req));
 * ```
 */
export function createClientAddress(trust?: TrustProxy): (req: IncomingMessage) => string {
  const socketOf = (req: IncomingMessage) => plain(req.socket.remoteAddress ?? 'unknown');
  if (!trust || ('hops' in trust && trust.hops === 0)) return socketOf;
  const chain = (req: IncomingMessage) => {
    const header = req.headers['x-forwarded-for'];
    const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map(plain).filter(Boolean);
    return [...list, socketOf(req)];
  };
  if ('hops' in trust)
    return (req) => {
      const c = chain(req);
      return c[Math.max(0, c.length - 1 - trust.hops)] as string;
    };
  const trusted = new BlockList();
  for (const c of trust.cidrs) {
    const [ip, bits] = c.split('/') as [string, string | undefined];
    const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) trusted.addAddress(ip, type);
    else trusted.addSubnet(ip, Number(bits), type);
  }
  const isTrusted = (a: string) => {
    const v = isIP(a);
    return v !== 0 && trusted.check(a, v === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    const c = chain(req);
    let i = c.length - 1;
    while (i > 0 && isTrusted(c[i] as string)) i--;
    return c[i] as string;
  };
}
