import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { handleMessage } from '../../src/core/handle-message.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { createHttpServer, type HttpServer, routeLabel } from '../../src/http/create-http-server.js';
import { createMetrics, type Metrics } from '../../src/staff/metrics.js';
import { withStaffTools } from '../../src/staff/with-staff-tools.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

// A strict reader of the Prometheus text exposition format (version 0.0.4), so the test fails
// on what Prometheus (or `promtool check metrics`) would reject or misread.

interface Family {
  name: string;
  help?: string;
  type?: string;
  samples: Sample[];
}
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Exposition {
  families: Map<string, Family>;
  /** Every sample by `name{labels}` (labels sorted), for comparing two scrapes. */
  series: Map<string, number>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_sum', '_count'], summary: ['', '_sum', '_count'] };

const seriesKey = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`)
    .join(',')}}`;

/** As Prometheus reads it (Go's ParseFloat: `NaN` and `Inf` in any case; prom-client writes `Nan`). */
function parseValue(raw: string, line: string): number {
  if (/^[-+]?inf(inity)?$/i.test(raw)) return raw.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(raw)) return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`bad value in: ${line}`);
  return Number(raw);
}

function parseLabels(raw: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
  let at = 0;
  while (at < raw.length) {
    re.lastIndex = at;
    const m = re.exec(raw);
    if (!m) throw new Error(`bad labels in: ${line}`);
    const [, k, v] = m as unknown as [string, string, string];
    if (k in labels) throw new Error(`label ${k} twice in: ${line}`);
    labels[k] = v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    at = re.lastIndex;
  }
  return labels;
}

function parseExposition(text: string): Exposition {
  if (!text.endsWith('\n')) throw new Error('the text must end with a newline');
  const families = new Map<string, Family>();
  const series = new Map<string, number>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, samples: [] }));
    return f;
  };
  let current: Family | undefined;
  const closed = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
    if (meta) {
      const [, what, name, rest] = meta as unknown as [string, string, string, string];
      const f = family(name);
      if (f.samples.length > 0) throw new Error(`${what} after the samples of ${name}`);
      if (what === 'HELP') {
        if (f.help !== undefined) throw new Error(`HELP twice for ${name}`);
        f.help = rest;
      } else {
        if (f.type !== undefined) throw new Error(`TYPE twice for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`unknown TYPE ${rest} for ${name}`);
        f.type = rest;
      }
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)( -?\\d+)?$`).exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const [, name, rawLabels, rawValue] = m as unknown as [string, string, string | undefined, string];
    // The family this sample belongs to: exact name, or name minus a suffix its type allows.
    const owner = [...families.values()].find(
      (f) => f.type !== undefined && (SUFFIXES[f.type] ?? ['']).some((s) => name === `${f.name}${s}`),
    );
    if (!owner) throw new Error(`sample ${name} has no family with a TYPE`);
    if (owner.help === undefined) throw new Error(`family ${owner.name} has no HELP`);
    if (current !== owner) {
      if (closed.has(owner.name)) throw new Error(`samples of ${owner.name} are not together`);
      if (current) closed.add(current.name);
      current = owner;
    }
    const labels = parseLabels(rawLabels ?? '', line);
    const value = parseValue(rawValue, line);
    const key = seriesKey(name, labels);
    if (series.has(key)) throw new Error(`series twice: ${key}`);
    series.set(key, value);
    owner.samples.push({ name, labels, value });
  }
  for (const f of families.values()) {
    if (f.help === undefined || f.type === undefined) throw new Error(`family ${f.name} lacks HELP or TYPE`);
    if (f.type === 'histogram') checkHistogram(f);
  }
  return { families, series };
}

/** Per label set: buckets in increasing `le`, cumulative, last one `+Inf` equal to `_count`, and a `_sum`. */
function checkHistogram(f: Family) {
  const groups = new Map<string, { le: number; value: number }[]>();
  const counts = new Map<string, number>();
  const sums = new Set<string>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const k = seriesKey('', rest);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${f.name} bucket without le`);
      const list = groups.get(k) ?? [];
      list.push({ le: parseValue(le, s.name), value: s.value });
      groups.set(k, list);
    } else if (s.name.endsWith('_count')) counts.set(k, s.value);
    else sums.add(k);
  }
  for (const [k, buckets] of groups) {
    for (let i = 1; i < buckets.length; i++) {
      const [prev, cur] = [buckets[i - 1], buckets[i]] as [{ le: number; value: number }, { le: number; value: number }];
      if (!(cur.le > prev.le)) throw new Error(`${f.name}${k}: buckets out of order`);
      if (cur.value < prev.value) throw new Error(`${f.name}${k}: buckets not cumulative`);
    }
    const last = buckets[buckets.length - 1];
    if (last?.le !== Infinity) throw new Error(`${f.name}${k}: buckets do not end in +Inf`);
    if (counts.get(k) !== last.value) throw new Error(`${f.name}${k}: +Inf bucket differs from _count`);
    if (!sums.has(k)) throw new Error(`${f.name}${k}: no _sum`);
  }
  if (counts.size !== groups.size) throw new Error(`${f.name}: a _count without buckets`);
}

describe('the exposition reader used here', () => {
  const ok = '# HELP a_seconds A.\n# TYPE a_seconds histogram\na_seconds_bucket{le="1"} 1\na_seconds_bucket{le="+Inf"} 2\na_seconds_sum 3\na_seconds_count 2\n';

  it('accepts a well-formed histogram and rejects each kind of breakage', () => {
    expect(parseExposition(ok).series.get('a_seconds_count{}')).toBe(2);
    const broken = {
      'not cumulative': ok.replace('le="+Inf"} 2', 'le="+Inf"} 0').replace('count 2', 'count 0'),
      'no +Inf': ok.replace('a_seconds_bucket{le="+Inf"} 2\n', ''),
      'count differs': ok.replace('count 2', 'count 5'),
      'no HELP': ok.replace('# HELP a_seconds A.\n', ''),
      'no TYPE': ok.replace('# TYPE a_seconds histogram\n', ''),
      'unknown family': `${ok}b_total 1\n`,
      'bad value': ok.replace('sum 3', 'sum tres'),
      'bad labels': ok.replace('{le="1"}', '{le=1}'),
      'no final newline': ok.trimEnd(),
    };
    for (const [what, text] of Object.entries(broken)) expect(() => parseExposition(text), what).toThrow();
  });
});

let http: HttpServer | undefined;
afterEach(async () => {
  await http?.close();
  http = undefined;
});

/** A server on an ephemeral port with one route, its durations going to `metrics`. */
async function serve(metrics: Metrics) {
  http = createHttpServer({ log: pino({ level: 'silent' }), metrics });
  http.route('GET', '/ping', (_req, res) => res.writeHead(200).end('pong'));
  http.route('GET', '/metrics', async (_req, res) => {
    const text = await metrics.render();
    res.writeHead(200, { 'Content-Type': metrics.contentType }).end(text);
  });
  return `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
}

describe('createMetrics (prom-client)', () => {
  it('renders valid Prometheus text with process, heap, event-loop, GC and the engine families', async () => {
    const metrics = createMetrics();
    const { families } = parseExposition(await metrics.render());
    const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]));
    expect(types).toMatchObject({
      process_cpu_user_seconds_total: 'counter',
      process_resident_memory_bytes: 'gauge',
      process_start_time_seconds: 'gauge',
      nodejs_heap_size_used_bytes: 'gauge',
      nodejs_eventloop_lag_seconds: 'gauge',
      nodejs_eventloop_lag_p99_seconds: 'gauge',
      nodejs_gc_duration_seconds: 'histogram',
      orienta_messages_total: 'counter',
      orienta_fallbacks_total: 'counter',
      orienta_emergencies_total: 'counter',
      orienta_reply_seconds: 'histogram',
      orienta_knowledge_reloads_total: 'counter',
      orienta_whatsapp_reconnects_total: 'counter',
      orienta_whatsapp_decrypt_failures_total: 'counter',
      orienta_rate_limited_total: 'counter',
      orienta_http_request_duration_seconds: 'histogram',
    });
    // promtool's naming rule: counters, and only counters, end in `_total`.
    for (const f of families.values()) expect(f.name.endsWith('_total'), f.name).toBe(f.type === 'counter');
    expect(families.get('process_resident_memory_bytes')?.samples[0]?.value).toBeGreaterThan(1e6);
    // Known series start at 0, so the first increment shows up in rate().
    expect(families.get('orienta_knowledge_reloads_total')?.samples.map((s) => [s.labels.result, s.value])).toEqual([
      ['ok', 0],
      ['rejected', 0],
    ]);
  });

  it('a message and HTTP requests change exactly their own series', async () => {
    const metrics = createMetrics();
    const engine = createAssistant(loadOrThrow(makeMiniKb()));
    const assistant = withStaffTools(() => engine, { metrics });
    const sessions = createMemorySessionStore({ ttlMs: 60_000 });
    const base = await serve(metrics);
    const scrape = async () => parseExposition(await (await fetch(`${base}/metrics`)).text()).series;
    const before = await scrape();

    const reply = await handleMessage({ assistant, sessions }, { userId: 'web:ana', text: 'receta de pastel de chocolate' });
    expect(reply.kind).toBe('fallback');
    expect((await fetch(`${base}/ping`)).status).toBe(200);
    expect((await fetch(`${base}/ping`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${base}/wp-login.php?x=1`)).status).toBe(404);

    const http = (method: string, route: string, status: number) =>
      `orienta_http_request_duration_seconds_count{method="${method}",route="${route}",status_code="${status}"}`;
    // The response ends before the server's 'finish' is certain to have run: wait for it.
    const after = await vi.waitFor(async () => {
      const s = await scrape();
      expect(s.get(http('GET', 'other', 404))).toBe(1);
      return s;
    });
    expect(after.get(http('GET', '/ping', 200))).toBe(1);
    expect(after.get(http('POST', '/ping', 405))).toBe(1);
    expect(after.get(http('GET', '/metrics', 200))).toBeGreaterThanOrEqual(1);
    expect(after.get('orienta_messages_total{channel="web",kind="fallback"}')).toBe(1);
    expect(after.get('orienta_fallbacks_total{channel="web"}')).toBe(1);
    expect(after.get('orienta_reply_seconds_count{}')).toBe(1);
    expect(after.get('orienta_reply_seconds_bucket{le="+Inf"}')).toBe(1);

    // Nothing else of Orienta's moved (the process metrics do, on their own).
    const changed = [...after]
      .filter(([k, v]) => k.startsWith('orienta_') && before.get(k) !== v)
      .map(([k]) => k.replace(/_(bucket|sum|count)\{/, '{').replace(/le="[^"]*",?/, '').replace(/,\}$/, '}'))
      .filter((k) => !k.includes('route="/metrics"'));
    expect(new Set(changed)).toEqual(
      new Set([
        'orienta_messages_total{channel="web",kind="fallback"}',
        'orienta_fallbacks_total{channel="web"}',
        'orienta_reply_seconds{}',
        'orienta_http_request_duration_seconds{method="GET",route="/ping",status_code="200"}',
        'orienta_http_request_duration_seconds{method="POST",route="/ping",status_code="405"}',
        'orienta_http_request_duration_seconds{method="GET",route="other",status_code="404"}',
      ]),
    );
  });

  it('keeps the values callers read back at once', () => {
    const metrics = createMetrics();
    metrics.rateLimited.inc({ channel: 'web' });
    metrics.rateLimited.inc({ channel: 'web' }, 2);
    metrics.latency.observe(0.01);
    expect(metrics.rateLimited.get({ channel: 'web' })).toBe(3);
    expect(metrics.rateLimited.get({ channel: 'telegram' })).toBe(0);
    expect(metrics.latency.count).toBe(1);
  });

  it('gives every instance its own registry', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.emergencies.inc({ channel: 'whatsapp' });
    expect(parseExposition(await a.render()).series.get('orienta_emergencies_total{channel="whatsapp"}')).toBe(1);
    expect(parseExposition(await b.render()).series.has('orienta_emergencies_total{channel="whatsapp"}')).toBe(false);
    expect(b.emergencies.get({ channel: 'whatsapp' })).toBe(0);
  });
});

describe('routeLabel', () => {
  it('keeps mounted paths and hides segments that may be secrets', () => {
    for (const p of ['/', '/api/messages', '/healthz', '/staff', '/telegram']) expect(routeLabel(p)).toBe(p);
    expect(routeLabel('/bot123456:AAE-secret_token')).toBe('/:secret');
    expect(routeLabel('/telegram/9f86d081884c7d659a2feaa0c55ad015')).toBe('/telegram/:secret');
  });
});
