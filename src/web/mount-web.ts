import type { IncomingMessage as HttpRequest } from 'node:http';
import { z } from 'zod';
import type { Assistant } from '../core/create-assistant.js';
import { handleMessage } from '../core/handle-message.js';
import { isUrgent } from '../core/is-urgent.js';
import type { SessionStore } from '../core/session-store.js';
import type { HttpServer } from '../http/create-http-server.js';
import { BodyError, readJsonBody, requireJson, sendJson } from '../http/read-body.js';
import { createClientAddress } from '../http/client-address.js';
import type { Logger } from '../logger.js';
import { buildReport, type StaffReport } from '../staff/build-report.js';
import type { StaffStore } from '../staff/create-staff-store.js';
import type { Metrics } from '../staff/metrics.js';
import { CHAT_PAGE } from './chat-page.js';
import { type AsyncRateLimiter, createSlidingLimiter } from '../store/create-redis-rate-limiter.js';
import { createStaffAuth, sameSecret, STAFF_AUTH_TEXTS, STAFF_PAGE_HEADERS, staffLoginPage } from './staff-auth.js';
import { staffPage } from './staff-page.js';

/** Tunables of the web endpoints, with their defaults. */
export interface WebOptions {
  /** Request bodies above this are refused with 413 (default 4 KiB). */
  maxBodyBytes: number;
  /** Texts longer than this are cut before reaching the engine (default 500 characters). */
  maxTextChars: number;
  /** Messages per second allowed per web user and per address, after a burst (default 2/s, burst 10). */
  ratePerSecond: number;
  rateBurst: number;
}

export const DEFAULT_WEB_OPTIONS: WebOptions = { maxBodyBytes: 4096, maxTextChars: 500, ratePerSecond: 2, rateBurst: 10 };

export interface WebDeps {
  /** The assistant (already wrapped with the staff tools). */
  assistant: Assistant;
  sessions: SessionStore;
  log: Logger;
  metrics: Metrics;
  store?: StaffStore;
  /** Without it `/staff` always answers 401. */
  staffToken?: string;
  /** With it `/metrics` asks for `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** The client's address for the per-address limits (default: the socket's; see `createClientAddress`). */
  clientAddress?: (req: HttpRequest) => string;
  /** Whether sessions could not be saved lately (full or read-only disk): `/healthz` says `degraded`. */
  sessionsDegraded?: () => boolean;
  /** State of each channel for `/healthz` (`{ telegram: 'running', whatsapp: 'off' }`). */
  channels?: () => Record<string, string>;
  options?: Partial<WebOptions>;
  /**
   * Shared limits (Redis) when several instances run; by default token buckets in memory built
   * from `options` (per web user, and ten times that per client address).
   */
  limiters?: { user?: AsyncRateLimiter; address?: AsyncRateLimiter; staffAttempts?: AsyncRateLimiter };
  now?: () => number;
  /** How `/staff` gets its report (e.g. `buildReportOffThread`); by default `buildReport` inline. */
  report?: () => Promise<StaffReport>;
}

const knowledgeId = z.string().min(1).max(100);

/** What a tapped option does, as `Reply.actions` gave it. */
export const WebAction = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('entry'), id: knowledgeId }),
  z.strictObject({ type: z.literal('unit'), id: knowledgeId }),
  z.strictObject({ type: z.literal('topic'), topic: knowledgeId }),
]);

/**
 * `{ user, text, action? }`: `user` is the browser's random id (letters, digits, `-`, `_`); a tap
 * on an option sends its label as `text` and its own `action`, which the engine runs as is.
 */
export const WebMessage = z.strictObject({
  user: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'user: de 1 a 64 letras, dígitos, - o _'),
  text: z.string().min(1, 'text: vacío').max(4000, 'text: más de 4000 caracteres'),
  action: WebAction.optional(),
});

/** The page's icon (also at `/favicon.ico`, which browsers ask for on their own). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0b5d4b"/>' +
  '<path d="M26 14h12v12h12v12H38v12H26V38H14V26h12z" fill="#fff"/></svg>';

/** `{ user, entryId, useful }`: a 👍/👎 on an answer; `entryId` must be an entry of the knowledge in service. */
export const WebFeedback = z.strictObject({
  user: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'user: de 1 a 64 letras, dígitos, - o _'),
  entryId: knowledgeId,
  useful: z.boolean(),
});

/** The entry ids of a knowledge version (computed once per version: it may be reloaded). */
const entryIds = new WeakMap<object, Set<string>>();
function isKnownEntry(knowledge: Assistant['knowledge'], id: string): boolean {
  let ids = entryIds.get(knowledge);
  if (!ids) entryIds.set(knowledge, (ids = new Set(knowledge.entries.map((e) => e.id))));
  return ids.has(id);
}

/** Whether `Authorization: Bearer …` carries `expected` (compared in constant time). */
function bearerIs(req: HttpRequest, expected: string): 'ok' | 'missing' | 'wrong' {
  const auth = req.headers.authorization;
  if (!auth?.startsWith('Bearer ')) return 'missing';
  return sameSecret(auth.slice(7), expected) ? 'ok' : 'wrong';
}

/**
 * Mounts the web chat and the staff tools on the HTTP server:
 * `GET /` (chat page), `GET /favicon.svg` (and `.ico`), `POST /api/messages`, `POST /api/feedback`,
 * `GET /healthz`, `GET /metrics` (Prometheus text; `Authorization: Bearer METRICS_TOKEN` when set),
 * `GET /staff` (report; `Authorization: Bearer STAFF_TOKEN` or the cookie `POST /staff/login` sets;
 * otherwise a login form that says whether the token is missing or wrong; wrong tries limited per
 * address). Every POST is limited per client address (`clientAddress`, for `TRUST_PROXY`). Web users are
 * `web:<user>`; replies carry `actions` next to `options`, and a message's `action` is run as is.
 * Bad JSON or fields (an unknown `entryId` too) → 400 with `{ error }`, not `application/json` → 415,
 * bodies over the limit → 413, too many messages → 429.
 *
 * ```ts
 * mountWeb(http, { assistant, sessions, log, metrics, store, staffToken: config.STAFF_TOKEN });
 * ```
 */
export function mountWeb(http: HttpServer, deps: WebDeps): void {
  const o: WebOptions = { ...DEFAULT_WEB_OPTIONS, ...deps.options };
  // (the same sliding window as the shared limiters: `rateBurst` per `rateBurst / ratePerSecond` seconds)
  const windowMs = (o.rateBurst / o.ratePerSecond) * 1000;
  const limiter: AsyncRateLimiter = deps.limiters?.user ?? createSlidingLimiter({ limit: o.rateBurst, windowMs, prefix: 'web' }, deps.now);
  const addressLimiter: AsyncRateLimiter =
    deps.limiters?.address ?? createSlidingLimiter({ limit: o.rateBurst * 10, windowMs, prefix: 'addr' }, deps.now);
  const clientAddress = deps.clientAddress ?? createClientAddress();
  // Ten wrong staff tokens per address in ten minutes, then that address waits.
  const staffAuth = createStaffAuth({
    token: deps.staffToken,
    log: deps.log,
    clientAddress,
    attempts: deps.limiters?.staffAttempts ?? createSlidingLimiter({ limit: 10, windowMs: 600_000, prefix: 'staff' }),
  });
  const tooMany = (res: Parameters<Parameters<HttpServer['route']>[2]>[1], error = 'Demasiadas solicitudes; espera unos segundos.') => {
    deps.metrics.rateLimited.inc({ channel: 'web' });
    sendJson(res, 429, { error }, { 'Retry-After': '2' });
  };

  /** Both limits asked at once (each may be a Redis round trip). */
  const allowed = async (...takes: (boolean | Promise<boolean>)[]) => (await Promise.all(takes)).every(Boolean);

  /** Reads and validates a JSON body; answers the error itself and returns undefined when bad. */
  async function body<T>(req: HttpRequest, res: Parameters<Parameters<HttpServer['route']>[2]>[1], schema: z.ZodType<T>) {
    let raw: unknown;
    try {
      // (only JSON: a cross-site HTML form can post text/plain or form data without asking)
      requireJson(req);
      raw = await readJsonBody(req, o.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyError) {
        sendJson(res, err.status, { error: err.message }, err.status === 413 ? { Connection: 'close' } : {});
        return undefined;
      }
      throw err;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      sendJson(res, 400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'cuerpo'}: ${i.message}`).join('; ') });
      return undefined;
    }
    return parsed.data;
  }

  const icon = (_req: HttpRequest, res: Parameters<Parameters<HttpServer['route']>[2]>[1]) => {
    res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400', 'X-Content-Type-Options': 'nosniff' }).end(FAVICON_SVG);
  };
  http.route('GET', '/favicon.svg', icon);
  http.route('GET', '/favicon.ico', icon);

  http.route('GET', '/', (_req, res) => {
    res
      .writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        'X-Content-Type-Options': 'nosniff',
      })
      .end(CHAT_PAGE);
  });

  http.route('POST', '/api/messages', async (req, res) => {
    const msg = await body(req, res, WebMessage);
    if (!msg) return;
    // An emergency is never refused for going too fast, and never waits on a shared limiter.
    const urgent = isUrgent(deps.assistant, msg.text.slice(0, o.maxTextChars));
    if (!urgent && !(await allowed(limiter.take(msg.user), addressLimiter.take(clientAddress(req))))) {
      tooMany(res, 'Demasiados mensajes seguidos; espera unos segundos.');
      return;
    }
    const reply = await handleMessage(
      { assistant: deps.assistant, sessions: deps.sessions, now: deps.now },
      { userId: `web:${msg.user}`, text: msg.text.slice(0, o.maxTextChars), ...(msg.action ? { action: msg.action } : {}) },
    );
    deps.log.debug({ kind: reply.kind, intent: reply.intent }, 'web reply sent');
    sendJson(res, 200, reply);
  });

  http.route('POST', '/api/feedback', async (req, res) => {
    if (!(await addressLimiter.take(clientAddress(req)))) return tooMany(res);
    const f = await body(req, res, WebFeedback);
    if (!f) return;
    if (!isKnownEntry(deps.assistant.knowledge, f.entryId)) {
      sendJson(res, 400, { error: 'entryId: no es una entrada de la base de conocimiento' });
      return;
    }
    if (!(await limiter.take(f.user))) return tooMany(res);
    deps.store?.recordFeedback({ userId: `web:${f.user}`, entryId: f.entryId, useful: f.useful });
    sendJson(res, 200, { ok: true });
  });

  http.route('GET', '/healthz', (_req, res) => {
    // A store that cannot write still lets the bot answer: 200 with `status: 'degraded'` (a 503
    // would make a balancer drop, or an orchestrator restart, an instance serving citizens, and a
    // restart does not empty a full disk); alert on `staffStore`.
    const storeDegraded = deps.store?.degraded === true;
    const sessionsDegraded = deps.sessionsDegraded?.() === true;
    sendJson(res, 200, {
      status: storeDegraded || sessionsDegraded ? 'degraded' : 'ok',
      staffStore: deps.store ? (storeDegraded ? 'degraded' : 'ok') : 'off',
      ...(deps.sessionsDegraded ? { sessions: sessionsDegraded ? 'degraded' : 'ok' } : {}),
      knowledge: deps.assistant.knowledge.version,
      channels: { web: 'running', ...deps.channels?.() },
    });
  });

  http.route('GET', '/metrics', async (req, res) => {
    if (deps.metricsToken) {
      const given = bearerIs(req, deps.metricsToken);
      if (given !== 'ok') {
        res
          .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="orienta-metrics"' })
          .end(given === 'wrong' ? 'Token incorrecto.\n' : 'Falta el token: envíe «Authorization: Bearer METRICS_TOKEN».\n');
        return;
      }
    }
    // (awaited: a registry may render asynchronously)
    const text = await deps.metrics.render();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
  });

  http.route('GET', '/staff', async (req, res) => {
    const access = await staffAuth.check(req);
    if (access !== 'ok') {
      const inQuery = access === 'missing' && new URL(req.url ?? '/', 'http://x').searchParams.has('token');
      const status = access === 'limited' ? 429 : access === 'off' ? 404 : 401;
      res
        .writeHead(status, { ...STAFF_PAGE_HEADERS, ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="orienta-staff"' } : {}) })
        .end(staffLoginPage(inQuery ? STAFF_AUTH_TEXTS.inQuery : STAFF_AUTH_TEXTS[access]));
      return;
    }
    let report: StaffReport;
    try {
      report = deps.report ? await deps.report() : buildReport(deps.store?.events() ?? [], deps.assistant.knowledge);
    } catch (err) {
      deps.log.error({ err: { message: (err as Error).message } }, 'staff report failed');
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '60' }).end('El informe no se pudo preparar a tiempo; intente de nuevo en un minuto.\n');
      return;
    }
    res.writeHead(200, STAFF_PAGE_HEADERS).end(staffPage(report, deps.assistant.knowledge.version));
  });

  http.route('POST', '/staff/login', async (req, res) => {
    if (!(await addressLimiter.take(clientAddress(req)))) return tooMany(res);
    await staffAuth.login(req, res);
  });
}
