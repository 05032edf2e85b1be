/**
 * A small in-process metrics registry rendered in the Prometheus text format (no prom-client):
 * counters with labels and one kind of histogram, enough for `GET /metrics`.
 *
 * ```ts
 * const metrics = createMetrics();
 * metrics.messages.inc({ channel: 'web', kind: 'answer' });
 * res.end(metrics.render());
 * ```
 */

type Labels = Record<string, string>;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  /** Current value for exactly these labels (0 when never incremented). */
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(value: number): void;
  readonly count: number;
}

export interface Metrics {
  /** Replies by channel and kind (answer, clarify, fallback, emergency, smalltalk). */
  messages: Counter;
  fallbacks: Counter;
  emergencies: Counter;
  /** Seconds the engine took per reply. */
  latency: Histogram;
  /** Knowledge reloads by result (`ok`, `rejected`). */
  knowledgeReloads: Counter;
  whatsappReconnects: Counter;
  /** Requests refused with 429. */
  rateLimited: Counter;
  render(): string;
}

const labelKey = (labels: Labels = {}) =>
  Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

function counter(name: string, help: string, out: (() => string)[]): Counter {
  const values = new Map<string, number>();
  out.push(() => {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
    if (values.size === 0) lines.push(`${name} 0`);
    for (const [k, v] of values) lines.push(k ? `${name}{${k}} ${v}` : `${name} ${v}`);
    return lines.join('\n');
  });
  return {
    inc(labels, by = 1) {
      const k = labelKey(labels);
      values.set(k, (values.get(k) ?? 0) + by);
    },
    get(labels) {
      return values.get(labelKey(labels)) ?? 0;
    },
  };
}

function histogram(name: string, help: string, buckets: readonly number[], out: (() => string)[]): Histogram {
  const counts = buckets.map(() => 0);
  let sum = 0;
  let count = 0;
  out.push(() => {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    buckets.forEach((b, i) => lines.push(`${name}_bucket{le="${b}"} ${counts[i]}`));
    lines.push(`${name}_bucket{le="+Inf"} ${count}`, `${name}_sum ${sum}`, `${name}_count ${count}`);
    return lines.join('\n');
  });
  return {
    observe(v) {
      count++;
      sum += v;
      buckets.forEach((b, i) => {
        if (v <= b) counts[i] = (counts[i] ?? 0) + 1;
      });
    },
    get count() {
      return count;
    },
  };
}

export function createMetrics(): Metrics {
  const out: (() => string)[] = [];
  return {
    messages: counter('orienta_messages_total', 'Replies given, by channel and kind.', out),
    fallbacks: counter('orienta_fallbacks_total', 'Questions the knowledge did not answer, by channel.', out),
    emergencies: counter('orienta_emergencies_total', 'Emergency replies, by channel.', out),
    latency: histogram(
      'orienta_reply_seconds',
      'Time the engine took to reply.',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      out,
    ),
    knowledgeReloads: counter('orienta_knowledge_reloads_total', 'Knowledge reloads after an edit, by result.', out),
    whatsappReconnects: counter('orienta_whatsapp_reconnects_total', 'WhatsApp reconnections.', out),
    rateLimited: counter('orienta_rate_limited_total', 'Requests refused for going over the rate limit.', out),
    render: () => `${out.map((f) => f()).join('\n')}\n`,
  };
}
