import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { createClientAddress } from '../../src/http/client-address.js';
import { createHttpServer, type HttpServer } from '../../src/http/create-http-server.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { createSlidingLimiter } from '../../src/store/create-redis-rate-limiter.js';
import { mountWeb, type WebDeps } from '../../src/web/mount-web.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

const STAFF_TOKEN = 'token-del-personal-0123456789';
const METRICS_TOKEN = 'token-de-metricas-0123456789';
const kb = loadOrThrow(makeMiniKb());
let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close(100);
  http = undefined;
});

/** The web app with a log that keeps its lines, so a test can read what was logged. */
async function start(extra: Partial<WebDeps> = {}) {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
  http = createHttpServer({ log });
  mountWeb(http, {
    assistant: createAssistant(kb),
    sessions: createMemorySessionStore({ ttlMs: 60_000 }),
    log,
    metrics: createMetrics(),
    staffToken: STAFF_TOKEN,
    ...extra,
  });
  const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  return { base, lines };
}

const json = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('POST /api/feedback', () => {
  it('accepts a 👍 on a known entry, refuses an unknown entry id (400) and any body that is not application/json (415)', async () => {
    const { base } = await start();
    expect((await json(base, '/api/feedback', { user: 'ana', entryId: 'vacuna-covid', useful: true })).status).toBe(200);
    const unknown = await json(base, '/api/feedback', { user: 'ana', entryId: 'no-existe', useful: true });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/entryId/);
    expect((await json(base, '/api/feedback', { user: 'ana', entryId: 'x'.repeat(101), useful: true })).status).toBe(400);
    // What a cross-site <form enctype="text/plain"> can send:
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await fetch(`${base}/api/feedback`, { method: 'POST', headers: { 'Content-Type': type }, body: '{"user":"ana","entryId":"vacuna-covid","useful":false}' });
      expect(res.status, type).toBe(415);
    }
    expect((await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"user":"a","text":"hola"}' })).status).toBe(415);
  });

  it('is limited per address, whatever user id each request claims', async () => {
    const { base } = await start({ options: { rateBurst: 3, ratePerSecond: 0.001 } });
    const statuses = [];
    for (let i = 0; i < 35; i++) statuses.push((await json(base, '/api/feedback', { user: `u${i}`, entryId: 'vacuna-covid', useful: true })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429, 429, 429, 429]);
  });
});

describe('per-address limits behind a load balancer (TRUST_PROXY=1)', () => {
  it('limits each forwarded client, not the proxy: 200 users through one proxy are all served', async () => {
    const { base } = await start({ options: { rateBurst: 1, ratePerSecond: 0.001 }, clientAddress: createClientAddress({ hops: 1 }) });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        json(base, '/api/feedback', { user: `u${i}`, entryId: 'vacuna-covid', useful: true }, { 'X-Forwarded-For': `198.51.100.${i}` }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 429)).toHaveLength(0);
    // …and one client still hits its own limit (10 per address with a burst of 1).
    const mine = [];
    for (let i = 0; i < 12; i++) mine.push((await json(base, '/api/feedback', { user: `m${i}`, entryId: 'vacuna-covid', useful: true }, { 'X-Forwarded-For': '203.0.113.7' })).status);
    expect(mine.filter((s) => s === 429).length).toBeGreaterThan(0);
  });
});

describe('the staff page', () => {
  it('logs in with a form: the cookie opens /staff, the token never goes in the address or the logs', async () => {
    const { base, lines } = await start();
    const form = await fetch(`${base}/staff`);
    expect(form.status).toBe(401);
    const page = await form.text();
    expect(page).toContain('<form method="post" action="/staff/login">');
    expect(page).toContain('Falta el token');
    const wrong = await fetch(`${base}/staff/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'token=otro-token-incorrecto-000', redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Token incorrecto');
    const ok = await fetch(`${base}/staff/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `token=${STAFF_TOKEN}`, redirect: 'manual' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/staff');
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^orienta_staff=[\w-]+; Path=\/staff; HttpOnly; SameSite=Strict/);
    expect(cookie).not.toContain(STAFF_TOKEN);
    const report = await fetch(`${base}/staff`, { headers: { Cookie: cookie.split(';')[0] as string } });
    expect(report.status).toBe(200);
    expect(await report.text()).toContain('<h1');
    const forged = await fetch(`${base}/staff`, { headers: { Cookie: 'orienta_staff=forged' } });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toContain('Token incorrecto');
    const logged = lines.join('');
    expect(logged).toContain('staff login failed');
    expect(logged).not.toContain('otro-token-incorrecto');
    expect(logged).not.toContain(STAFF_TOKEN);
  });

  it('refuses an address after too many wrong tokens, even with the right one then', async () => {
    const { base } = await start({ limiters: { staffAttempts: createSlidingLimiter({ limit: 3, windowMs: 600_000, prefix: 't' }) } });
    const bearer = (t: string) => fetch(`${base}/staff`, { headers: { Authorization: `Bearer ${t}` } }).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await bearer(`incorrecto-${i}-xxxxxxxxxxxx`));
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect(await bearer(STAFF_TOKEN)).toBe(429);
  });

  it('sends CSP, nosniff and frame-ancestors on the chat page, the staff page and the login form', async () => {
    const { base } = await start();
    const pages = [
      await fetch(`${base}/`),
      await fetch(`${base}/staff`),
      await fetch(`${base}/staff`, { headers: { Authorization: `Bearer ${STAFF_TOKEN}` } }),
      await fetch(`${base}/healthz`),
    ];
    for (const res of pages) {
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), res.url).toContain("frame-ancestors 'none'");
    }
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('asks for the token when one is configured, and stays open without it', async () => {
    const closed = await start({ metricsToken: METRICS_TOKEN });
    expect((await fetch(`${closed.base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${closed.base}/metrics`, { headers: { Authorization: 'Bearer nope-nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Token incorrecto');
    const ok = await fetch(`${closed.base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE');
    await http?.close(100);
    const open = await start();
    expect((await fetch(`${open.base}/metrics`)).status).toBe(200);
  });
});
