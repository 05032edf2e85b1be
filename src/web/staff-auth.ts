import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { AsyncRateLimiter } from '../store/create-redis-rate-limiter.js';

export interface StaffAuthDeps {
  /** `STAFF_TOKEN`; without it the staff page is off. */
  token?: string;
  log: Logger;
  /** Counts failed attempts per client address; when it refuses, the token is not even checked. */
  attempts: AsyncRateLimiter;
  clientAddress: (req: IncomingMessage) => string;
  /** How long an address that tried too often is refused (default 10 min). */
  blockMs?: number;
}

/** What a request to a staff page carries: the right token, none, a wrong one, or too many tries. */
export type StaffAccess = 'ok' | 'off' | 'missing' | 'wrong' | 'limited';

export const STAFF_COOKIE = 'orienta_staff';

/** The words of the login page and the 401s (plain Spanish for staff). */
export const STAFF_AUTH_TEXTS = {
  off: 'La página del personal está desactivada: configure STAFF_TOKEN.',
  missing: 'Falta el token del personal: escríbalo abajo (o envíe «Authorization: Bearer …»).',
  wrong: 'Token incorrecto: revise que sea el mismo que STAFF_TOKEN.',
  limited: 'Demasiados intentos desde esta dirección: espere unos minutos.',
  inQuery: 'El token ya no va en la dirección (quedaría en el historial y en los registros): escríbalo abajo.',
} as const;

const hash = (s: string) => createHash('sha256').update(s).digest();
/** Whether two secrets are equal, compared in constant time (whatever their lengths). */
export const sameSecret = (a: string, b: string) => timingSafeEqual(hash(a), hash(b));

function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Headers of every staff page: no caching, no framing, nothing loaded but its own inline style. */
export const STAFF_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
} as const;

/** The login form: the token goes in a POST body, never in the address. */
export function staffLoginPage(message: string): string {
  return `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Orienta · personal</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:28rem;padding:0 1rem;color:#222}label,input,button{display:block;font-size:1rem;margin:.5rem 0}input{width:100%;padding:.5rem;box-sizing:border-box}button{padding:.5rem 1rem}</style>
</head><body><main><h1>Página del personal</h1>
<p role="alert">${esc(message)}</p>
<form method="post" action="/staff/login"><label for="token">Token del personal</label>
<input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512">
<button type="submit">Entrar</button></form></main></body></html>
`;
}

/**
 * Who may open the staff pages: `Authorization: Bearer STAFF_TOKEN`, or the cookie the login form
 * sets (an HMAC of the token, HttpOnly, SameSite=Strict, only for `/staff`), never the query
 * string. Failed attempts are limited per client address and logged (address and outcome; never
 * the token).
 *
 * ```ts
 * const auth = createStaffAuth({ token: config.STAFF_TOKEN, log, attempts, clientAddress });
 * if ((await auth.check(req)) !== 'ok') ...
 * ```
 */
export function createStaffAuth(deps: StaffAuthDeps) {
  const { token } = deps;
  const cookieValue = token ? createHmac('sha256', token).update('orienta-staff-cookie').digest('base64url') : undefined;

  // Addresses over the limit, until when: their tries are refused without looking at the token.
  const blocked = new Map<string, number>();
  const isBlocked = (req: IncomingMessage) => {
    const address = deps.clientAddress(req);
    const until = blocked.get(address);
    if (until === undefined) return false;
    if (Date.now() < until) return true;
    blocked.delete(address);
    return false;
  };

  /** A failed attempt: logged, counted; says whether this address has now tried too often. */
  const failed = async (req: IncomingMessage, why: 'wrong', via: string): Promise<StaffAccess> => {
    const address = deps.clientAddress(req);
    const allowed = await deps.attempts.take(address);
    deps.log.warn({ address, via, limited: !allowed }, 'staff login failed: wrong token');
    if (allowed) return why;
    blocked.set(address, Date.now() + (deps.blockMs ?? 600_000));
    if (blocked.size > 10_000) blocked.delete(blocked.keys().next().value as string);
    return 'limited';
  };

  return {
    async check(req: IncomingMessage): Promise<StaffAccess> {
      if (!token || !cookieValue) return 'off';
      if (isBlocked(req)) return 'limited';
      const auth = req.headers.authorization;
      if (auth?.startsWith('Bearer ')) return sameSecret(auth.slice(7), token) ? 'ok' : failed(req, 'wrong', 'header');
      const cookie = cookieOf(req, STAFF_COOKIE);
      if (cookie !== undefined) return sameSecret(cookie, cookieValue) ? 'ok' : failed(req, 'wrong', 'cookie');
      return 'missing';
    },

    /** `POST /staff/login` with the form's `token`: sets the cookie and goes to `/staff`, or shows the form again. */
    async login(req: IncomingMessage, res: ServerResponse, maxBytes = 2048): Promise<void> {
      const send = (status: number, message: string, headers: Record<string, string> = {}) =>
        void res.writeHead(status, { ...STAFF_PAGE_HEADERS, ...headers }).end(staffLoginPage(message));
      if (!token || !cookieValue) return send(404, STAFF_AUTH_TEXTS.off);
      if (isBlocked(req)) return send(429, STAFF_AUTH_TEXTS.limited, { 'Retry-After': '600' });
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') return send(415, 'Envíe el formulario de esta página.');
      let size = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) return send(413, 'El formulario es demasiado grande.', { Connection: 'close' });
        chunks.push(chunk);
      }
      const given = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('token') ?? '';
      if (!given) return send(401, STAFF_AUTH_TEXTS.missing);
      if (!sameSecret(given, token)) {
        const r = await failed(req, 'wrong', 'form');
        return send(r === 'limited' ? 429 : 401, STAFF_AUTH_TEXTS[r === 'limited' ? 'limited' : 'wrong'], r === 'limited' ? { 'Retry-After': '600' } : {});
      }
      const https = (req.socket as { encrypted?: boolean }).encrypted || req.headers['x-forwarded-proto'] === 'https';
      deps.log.info({ address: deps.clientAddress(req) }, 'staff login');
      res
        .writeHead(303, {
          Location: '/staff',
          'Cache-Control': 'no-store',
          'Set-Cookie': `${STAFF_COOKIE}=${cookieValue}; Path=/staff; HttpOnly; SameSite=Strict; Max-Age=28800${https ? '; Secure' : ''}`,
        })
        .end();
    },
  };
}
