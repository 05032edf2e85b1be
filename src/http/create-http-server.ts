import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { Metrics } from '../staff/metrics.js';

/** Handles one request; may be async (a rejection becomes a 500). */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface HttpServer {
  /** Mounts a handler on an exact method and path (`route('POST', '/telegram', handler)`); replaces any previous one. */
  route(method: string, path: string, handler: RouteHandler): void;
  /** Removes a route. */
  unroute(method: string, path: string): void;
  /** Starts listening; resolves with the port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting connections, lets running requests finish (at most `graceMs`, default 5 s), then closes. */
  close(graceMs?: number): Promise<void>;
  readonly server: Server;
}

export interface HttpServerDeps {
  log: Logger;
  /** Requests announcing a larger body are refused with 413 (default 1 MiB). */
  maxBodyBytes?: number;
  /** When given, every request's duration goes to `orienta_http_request_duration_seconds`. */
  metrics?: Pick<Metrics, 'httpRequests'>;
  /** How long slow clients may hold a connection (see `DEFAULT_HTTP_LIMITS`). */
  limits?: Partial<HttpLimits>;
}

/** Node's own guards against slow or too many clients, in one object. */
export interface HttpLimits {
  /** The request line and headers must have arrived within this (default 5 s): a client sending them byte by byte is cut. */
  headersTimeoutMs: number;
  /** The whole request, body included, within this (default 10 s). */
  requestTimeoutMs: number;
  /** How often Node checks the two timeouts above (default 1 s): a cut comes at most this late. */
  checkIntervalMs: number;
  /** An idle keep-alive connection is closed after this (default 5 s). */
  keepAliveTimeoutMs: number;
  /** Connections beyond this many open ones are refused at once (default 2,000). */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  checkIntervalMs: 1_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 2_000,
};

/**
 * Sent with every response unless the route sets its own: no MIME sniffing, no framing by
 * another site, nothing loaded by a page that did not ask for it, no referrer leaving the site.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The `route` label of a mounted path: the path itself, bounded by the route table, except
 * segments that may be secrets (an operator may put a token in a webhook path, and `/metrics`
 * is public), which become `:secret`.
 */
export function routeLabel(path: string): string {
  return path
    .split('/')
    .map((s) => (s === '' || /^[A-Za-z][\w.-]{0,23}$/.test(s) ? s : ':secret'))
    .join('/');
}

/**
 * The process's HTTP server (on `PORT`): a route table over `node:http`, so channels can mount
 * what they need (the Telegram webhook today; the web chat, staff pages and health later).
 * Unknown paths get 404, a known path with another method 405, a failing handler 500.
 *
 * ```ts
 * const http = createHttpServer({ log, metrics });
 * http.route('POST', '/telegram', webhookHandler);
 * await http.listen(config.PORT);
 * ```
 */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const routes = new Map<string, RouteHandler>();
  const maxBody = deps.maxBodyBytes ?? 1 << 20;
  const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

  /** Observes the request's duration when the response is sent (or the connection drops). */
  const timed = (req: IncomingMessage, res: ServerResponse, route: string) => {
    const metrics = deps.metrics;
    if (!metrics) return;
    const t0 = performance.now();
    const method = METHODS.has(req.method ?? '') ? (req.method as string) : 'other';
    let done = false;
    const end = () => {
      if (done) return;
      done = true;
      metrics.httpRequests.observe({ method, route, status_code: String(res.statusCode) }, (performance.now() - t0) / 1000);
    };
    res.once('finish', end);
    res.once('close', end);
  };

  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...deps.limits };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const path = (req.url ?? '/').split('?')[0] as string;
    const handler = routes.get(key(req.method ?? 'GET', path));
    const allowed = handler ? [] : [...routes.keys()].filter((k) => k.endsWith(` ${path}`)).map((k) => k.split(' ')[0]);
    // Unknown paths share one label, so scanners cannot grow the series without bound.
    timed(req, res, handler || allowed.length > 0 ? routeLabel(path) : 'other');
    if (!handler) {
      if (allowed.length > 0) res.writeHead(405, { Allow: allowed.join(', ') }).end();
      else res.writeHead(404).end();
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBody) {
      res.writeHead(413, { Connection: 'close' }).end();
      return;
    }
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        deps.log.error({ err, route: key(req.method ?? 'GET', path) }, 'http handler failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  };
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
    },
    handle,
  );
  // A slow or stalled client cannot hold a connection for long, nor can a crowd of them.
  server.maxConnections = limits.maxConnections;

  return {
    server,
    route(method, path, handler) {
      routes.set(key(method, path), handler);
    },
    unroute(method, path) {
      routes.delete(key(method, path));
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close(graceMs = 5_000) {
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
