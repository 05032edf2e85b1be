import { Counter as PromCounter, collectDefaultMetrics, Histogram as PromHistogram, Registry } from 'prom-client';

/**
 * The process's metrics on prom-client, rendered in the Prometheus text format for `GET /metrics`:
 * the default process and Node metrics (CPU, memory, heap, event-loop lag, GC, handles), the HTTP
 * request durations (fed by `createHttpServer`) and the engine's own counters. Each call makes
 * its own registry (never prom-client's global one), so tests and several instances do not collide.
 *
 * ```ts
 * const metrics = createMetrics();
 * metrics.messages.inc({ channel: 'web', kind: 'answer' });
 * res.writeHead(200, { 'Content-Type': metrics.contentType }).end(await metrics.render());
 * ```
 */

type Labels<L extends string> = Partial<Record<L, string>>;

export interface Counter<L extends string = string> {
  inc(labels?: Labels<L>, by?: number): void;
  /** Current value for exactly these labels (0 when never incremented). */
  get(labels?: Labels<L>): number;
}

export interface Histogram {
  observe(seconds: number): void;
  readonly count: number;
}

export interface LabeledHistogram<L extends string> {
  observe(labels: Labels<L>, seconds: number): void;
}

export type HttpLabel = 'method' | 'route' | 'status_code';

export interface Metrics {
  /** Replies by channel and kind (answer, clarify, fallback, emergency, smalltalk). */
  messages: Counter<'channel' | 'kind'>;
  fallbacks: Counter<'channel'>;
  emergencies: Counter<'channel'>;
  /** Seconds the engine took per reply. */
  latency: Histogram;
  /** Knowledge reloads by result (`ok`, `rejected`). */
  knowledgeReloads: Counter<'result'>;
  /** WhatsApp reconnections by reason (`restart`, `backoff`). */
  whatsappReconnects: Counter<'reason'>;
  /** WhatsApp messages that arrived without content we could decrypt (stub CIPHERTEXT or empty). */
  whatsappDecryptFailures: Counter<never>;
  /** Requests refused with 429. */
  rateLimited: Counter<'channel'>;
  /** Seconds per HTTP request, by method, route (the mounted path, or `other`) and status code. */
  httpRequests: LabeledHistogram<HttpLabel>;
  /** The registry behind all of the above, for adding metrics elsewhere. */
  readonly registry: Registry;
  /** `Content-Type` of `render()`'s text. */
  readonly contentType: string;
  /** Everything in the Prometheus text exposition format (async: prom-client collects first). */
  render(): Promise<string>;
}

const labelKey = (labels: Record<string, string | undefined> = {}) =>
  JSON.stringify(
    Object.keys(labels)
      .filter((k) => labels[k] !== undefined)
      .sort()
      .map((k) => [k, labels[k]]),
  );

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[], zeros: Labels<L>[] = []): Counter<L> {
  const c = new PromCounter<L>({ name, help, labelNames, registers: [registry] });
  // prom-client reads values back only asynchronously; callers and tests want them at once.
  const values = new Map<string, number>();
  const inc = (labels: Labels<L> = {}, by = 1) => {
    c.inc(labels as Record<L, string>, by);
    const k = labelKey(labels);
    values.set(k, (values.get(k) ?? 0) + by);
  };
  // Series known in advance start at 0, so `rate()` sees their first increment.
  for (const labels of zeros) inc(labels, 0);
  return { inc, get: (labels) => values.get(labelKey(labels)) ?? 0 };
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters, which `promtool check metrics` rejects; each is the sum of the
  // by-type gauge of the same name without `_total` (`sum(nodejs_active_handles)`).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'])
    registry.removeSingleMetric(name);

  const reply = new PromHistogram({
    name: 'orienta_reply_seconds',
    help: 'Time the engine took to reply.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });
  let replies = 0;

  const http = new PromHistogram<HttpLabel>({
    name: 'orienta_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route (mounted path or "other") and status code.',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return {
    messages: counter(registry, 'orienta_messages_total', 'Replies given, by channel and kind.', ['channel', 'kind']),
    fallbacks: counter(registry, 'orienta_fallbacks_total', 'Questions the knowledge did not answer, by channel.', ['channel']),
    emergencies: counter(registry, 'orienta_emergencies_total', 'Emergency replies, by channel.', ['channel']),
    latency: {
      observe(seconds) {
        replies++;
        reply.observe(seconds);
      },
      get count() {
        return replies;
      },
    },
    knowledgeReloads: counter(registry, 'orienta_knowledge_reloads_total', 'Knowledge reloads after an edit, by result.', ['result'], [
      { result: 'ok' },
      { result: 'rejected' },
    ]),
    whatsappReconnects: counter(registry, 'orienta_whatsapp_reconnects_total', 'WhatsApp reconnections, by reason.', ['reason'], [
      { reason: 'restart' },
      { reason: 'backoff' },
    ]),
    whatsappDecryptFailures: counter<never>(registry, 'orienta_whatsapp_decrypt_failures_total', 'WhatsApp messages that could not be decrypted.', [], [{}]),
    rateLimited: counter(registry, 'orienta_rate_limited_total', 'Requests refused for going over the rate limit, by channel.', ['channel']),
    httpRequests: { observe: (labels, seconds) => http.observe(labels, seconds) },
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
