import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage as HttpRequest } from 'node:http';
import { z } from 'zod';
import type { Assistant } from '../core/create-assistant.js';
import { handleMessage } from '../core/handle-message.js';
import { isUrgent } from '../core/is-urgent.js';
import type { SessionStore } from '../core/session-store.js';
import type { HttpServer } from '../http/create-http-server.js';
import { BodyError, readJsonBody, sendJson } from '../http/read-body.js';
import type { Logger } from '../logger.js';
import { buildReport, type StaffReport } from '../staff/build-report.js';
import type { StaffStore } from '../staff/create-staff-store.js';
import type { Metrics } from '../staff/metrics.js';
import { CHAT_PAGE } from './chat-page.js';
import type { AsyncRateLimiter } from '../store/create-redis-rate-limiter.js';
import { createRateLimiter } from './rate-limiter.js';
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
  /** State of each channel for `/healthz` (`{ telegram: 'running', whatsapp: 'off' }`). */
  channels?: () => Record<string, string>;
  options?: Partial<WebOptions>;
  /**
   * Shared limits (Redis) when several instances run; by default token buckets in memory built
   * from `options` (per web user, and ten times that per client address).
   */
  limiters?: { user?: AsyncRateLimiter; address?: AsyncRateLimiter };
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
  text: z.string().min(1, 'text: vacío'),
  action: WebAction.optional(),
});

/** The page's icon (also at `/favicon.ico`, which browsers ask for on their own). */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0b5d4b"/>' +
  '<path d="M26 14h12v12h12v12H38v12H26V38H14V26h12z" fill="#fff"/></svg>';

export const WebFeedback = z.strictObject({
  user: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  entryId: z.string().min(1).max(100),
  useful: z.boolean(),
});

const clientAddress = (req: HttpRequest) => req.socket.remoteAddress ?? 'unknown';

/** Whether the request carries the staff token: `ok`, `missing` (none given) or `wrong`. */
function staffTokenOf(req: HttpRequest, expected: string): 'ok' | 'missing' | 'wrong' {
  const auth = req.headers.authorization;
  const fromHeader = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
  const fromQuery = new URL(req.url ?? '/', 'http://x').searchParams.get('token') || undefined;
  const given = fromHeader || fromQuery;
  if (!given) return 'missing';
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(expected)) ? 'ok' : 'wrong';
}

const STAFF_DENIED = {
  off: 'La página del personal está desactivada: configure STAFF_TOKEN.\n',
  missing: 'Falta el token del personal: abra /staff?token=… o envíe «Authorization: Bearer …».\n',
  wrong: 'El token del personal no es correcto: revise que sea el mismo que STAFF_TOKEN.\n',
} as const;

/**
 * Mounts the web chat and the staff tools on the HTTP server:
 * `GET /` (chat page), `GET /favicon.svg` (and `.ico`), `POST /api/messages`, `POST /api/feedback`,
 * `GET /healthz`, `GET /metrics` (Prometheus text) and `GET /staff` (report; `Authorization: Bearer
 * STAFF_TOKEN` or `?token=`; a 401 says whether the token is missing or wrong). Web users are
 * `web:<user>`; replies carry `actions` next to `options`, and a message's `action` is run as is.
 * Bad JSON or fields → 400 with `{ error }`,
 * bodies over the limit → 413, too many messages → 429.
 *
 * ```ts
 * mountWeb(http, { assistant, sessions, log, metrics, store, staffToken: config.STAFF_TOKEN });
 * ```
 */
export function mountWeb(http: HttpServer, deps: WebDeps): void {
  const o: WebOptions = { ...DEFAULT_WEB_OPTIONS, ...deps.options };
  const limiter: AsyncRateLimiter = deps.limiters?.user ?? createRateLimiter({ perSecond: o.ratePerSecond, burst: o.rateBurst, now: deps.now });
  const addressLimiter: AsyncRateLimiter =
    deps.limiters?.address ?? createRateLimiter({ perSecond: o.ratePerSecond * 10, burst: o.rateBurst * 10, now: deps.now });

  /** Reads and validates a JSON body; answers the error itself and returns undefined when bad. */
  async function body<T>(req: HttpRequest, res: Parameters<Parameters<HttpServer['route']>[2]>[1], schema: z.ZodType<T>) {
    let raw: unknown;
    try {
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
        'Content-Security-Policy': "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
        'X-Content-Type-Options': 'nosniff',
      })
      .end(CHAT_PAGE);
  });

  http.route('POST', '/api/messages', async (req, res) => {
    const msg = await body(req, res, WebMessage);
    if (!msg) return;
    // An emergency is never refused for going too fast, and never waits on a shared limiter.
    const urgent = isUrgent(deps.assistant, msg.text.slice(0, o.maxTextChars));
    if (!urgent && (!(await limiter.take(msg.user)) || !(await addressLimiter.take(clientAddress(req))))) {
      deps.metrics.rateLimited.inc({ channel: 'web' });
      sendJson(res, 429, { error: 'Demasiados mensajes seguidos; espera unos segundos.' }, { 'Retry-After': '2' });
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
    const f = await body(req, res, WebFeedback);
    if (!f) return;
    if (!(await limiter.take(f.user))) {
      deps.metrics.rateLimited.inc({ channel: 'web' });
      sendJson(res, 429, { error: 'Demasiadas solicitudes.' });
      return;
    }
    deps.store?.recordFeedback({ userId: `web:${f.user}`, entryId: f.entryId, useful: f.useful });
    sendJson(res, 200, { ok: true });
  });

  http.route('GET', '/healthz', (_req, res) => {
    // A store that cannot write still lets the bot answer: 200 with `status: 'degraded'` (a 503
    // would make a balancer drop, or an orchestrator restart, an instance serving citizens, and a
    // restart does not empty a full disk); alert on `staffStore`.
    const degraded = deps.store?.degraded === true;
    sendJson(res, 200, {
      status: degraded ? 'degraded' : 'ok',
      staffStore: deps.store ? (degraded ? 'degraded' : 'ok') : 'off',
      knowledge: deps.assistant.knowledge.version,
      channels: { web: 'running', ...deps.channels?.() },
    });
  });

  http.route('GET', '/metrics', async (_req, res) => {
    // (awaited: a registry may render asynchronously)
    const text = await deps.metrics.render();
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' }).end(text);
  });

  http.route('GET', '/staff', async (req, res) => {
    const token = deps.staffToken ? staffTokenOf(req, deps.staffToken) : 'off';
    if (token !== 'ok') {
      res
        .writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="orienta-staff"' })
        .end(STAFF_DENIED[token]);
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
    res
      .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
      .end(staffPage(report, deps.assistant.knowledge.version));
  });
}
