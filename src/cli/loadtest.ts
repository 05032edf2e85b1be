/**
 * `npm run loadtest`: sustained concurrent load on loopback against the web API
 * (`POST /api/messages`) and the Telegram path (the bot long-polling the fake Bot API server),
 * bounded both in count and in time. Prints, per path: requests, throughput, p50/p99, errors
 * (failed requests, non-200 answers, malformed replies, missing Telegram replies) and memory at
 * the start of the measured run vs its end (RSS, and heap after a GC when run with
 * `--expose-gc`, as the npm script does). Exits 1 on any error.
 *
 * Each path runs a warm-up (JIT, sockets, sessions) and then the measured run. The web's rate
 * limit is raised for the run (every request comes from 127.0.0.1): its own tests cover it.
 * The fake Bot API server runs in a child process (this module, started again): it keeps every
 * message it is sent (to serve edits), and that store is not in the figures, which are the bot's.
 *
 * `npm run loadtest -- --requests 20000 --concurrency 64 --updates 5000 --seconds 60`
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { createTelegramBot } from '../channels/telegram/create-telegram-bot.js';
import { createFakeBotApi } from '../channels/telegram/fake-bot-api.js';
import { startTelegram } from '../channels/telegram/start-telegram.js';
import { createAssistant } from '../core/create-assistant.js';
import { createMemorySessionStore } from '../core/session-store.js';
import { createHttpServer } from '../http/create-http-server.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { createMetrics } from '../staff/metrics.js';
import { mountWeb } from '../web/mount-web.js';
import { readCommandLine } from './cli-args.js';

/** The run's bounds and shape, with their defaults. */
export interface LoadtestOptions {
  /** Web requests in the measured run (default 10,000). */
  requests: number;
  /** Web requests in flight at once (default 50). */
  concurrency: number;
  /** Distinct web users and Telegram chats the load is spread over (default 500). */
  users: number;
  /** Telegram updates in the measured run (default 5,000). */
  updates: number;
  /** Each measured run stops after this many seconds even if not done (default 60). */
  seconds: number;
  knowledgeDir: string;
}

export const DEFAULT_LOADTEST_OPTIONS: LoadtestOptions = {
  requests: 10_000,
  concurrency: 50,
  users: 500,
  updates: 5_000,
  seconds: 60,
  knowledgeDir: 'knowledge',
};

export interface LoadtestRow {
  path: 'web' | 'telegram';
  /** Requests (or updates) sent / answered well in the measured run. */
  sent: number;
  ok: number;
  errors: number;
  /** True when the time bound cut the run short. */
  timedOut: boolean;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  rssStartMb: number;
  rssEndMb: number;
  /** Heap after a full GC, when `global.gc` is exposed. */
  heapStartMb?: number;
  heapEndMb?: number;
}

const TOKEN = '100000002:loadtest-token-for-the-fake-Bot-API';
const MB = 1024 * 1024;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Memory now; heap after a full collection when the process was started with --expose-gc. */
function memory(): { rssMb: number; heapMb?: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  return { rssMb: m.rss / MB, ...(gc ? { heapMb: m.heapUsed / MB } : {}) };
}

/** Questions people ask, with some noise: emoji, a large (under the 4 KiB body cap) and control-character inputs. */
function texts(questions: string[]): string[] {
  const noise = ['hola 👋🏽', '¿y en Guerrero?', 'a'.repeat(3_000), 'menú', '\u0000\u202e¿dónde me vacuno?', '2', 'gracias'];
  return [...questions.slice(0, 200), ...noise];
}

function row(path: LoadtestRow['path'], sent: number, latencies: number[], errors: number, ms: number, timedOut: boolean, start: ReturnType<typeof memory>): LoadtestRow {
  const end = memory();
  const sorted = latencies.sort((a, b) => a - b);
  return {
    path,
    sent,
    ok: latencies.length,
    errors,
    timedOut,
    seconds: ms / 1000,
    perSecond: latencies.length / (ms / 1000),
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    rssStartMb: start.rssMb,
    rssEndMb: end.rssMb,
    ...(start.heapMb !== undefined ? { heapStartMb: start.heapMb, heapEndMb: end.heapMb } : {}),
  };
}

interface PlayRequest {
  n: number;
  firstChat: number;
  users: number;
  texts: string[];
  timeoutMs: number;
}
interface PlayResult {
  sent: number;
  latencies: number[];
  errors: number;
  timedOut: boolean;
}
type ToFake = ({ type: 'play' } & PlayRequest) | { type: 'close' };
type FromFake = { type: 'ready'; apiRoot: string } | ({ type: 'played' } & PlayResult);
const FAKE_ROLE = 'ORIENTA_LOADTEST_FAKE';

/** The fake Bot API's side, in its own process: queues the updates and times each reply on its own clock. */
async function fakeProcess(): Promise<void> {
  const send = (m: FromFake) => process.send?.(m);
  process.on('disconnect', () => process.exit(0)); // the load test ended (or died): so does the fake
  const fake = createFakeBotApi({ token: TOKEN });
  await fake.listen();
  process.on('message', async (msg: ToFake) => {
    if (msg.type === 'close') {
      await fake.close();
      process.exit(0);
    }
    // Only this run's records: the previous run's calls and delivery times are dropped.
    fake.calls.length = 0;
    fake.deliveredAt.clear();
    const pending = new Map<number, number[]>();
    const latencies: number[] = [];
    let errors = 0;
    let done = false;
    const finish = (timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fake.onCall = undefined;
      let missing = 0;
      for (const q of pending.values()) missing += q.length;
      fake.calls.length = 0;
      send({ type: 'played', sent: msg.n, latencies, errors: errors + missing, timedOut });
    };
    fake.onCall = (call) => {
      if (call.method !== 'sendMessage') return;
      const id = pending.get(call.payload.chat_id as number)?.shift();
      const delivered = id === undefined ? undefined : fake.deliveredAt.get(id);
      if (call.status !== 200 || delivered === undefined || typeof call.payload.text !== 'string') errors++;
      else latencies.push(call.at - delivered);
      if (latencies.length + errors >= msg.n) finish(false);
    };
    const timer = setTimeout(() => finish(true), msg.timeoutMs);
    for (let i = 0; i < msg.n; i++) {
      const chatId = msg.firstChat + (i % msg.users);
      const update = fake.pushText(chatId, i + 1, msg.texts[i % msg.texts.length] as string, 'Carga');
      const q = pending.get(chatId) ?? [];
      q.push(update.update_id);
      pending.set(chatId, q);
    }
  });
  send({ type: 'ready', apiRoot: fake.apiRoot });
}

/** Starts the fake Bot API server in a child process (this same module; through tsx when run from source). */
async function startFakeProcess(): Promise<{ apiRoot: string; play(r: PlayRequest): Promise<PlayResult>; close(): Promise<void> }> {
  const fromSource = import.meta.url.endsWith('.ts');
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, [FAKE_ROLE]: '1' },
    execArgv: fromSource ? ['--import', 'tsx'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (timeoutMs: number) =>
    new Promise<FromFake>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('loadtest: the fake Bot API process did not answer')), timeoutMs);
      const onError = (err: Error) => {
        clearTimeout(timer);
        child.off('exit', onExit);
        reject(err);
      };
      const onExit = (code: number | null) => onError(new Error(`loadtest: the fake Bot API process exited (${code})`));
      child.once('error', onError);
      child.once('exit', onExit);
      child.once('message', (m: FromFake) => {
        clearTimeout(timer);
        child.off('error', onError);
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const ready = await next(30_000);
  if (ready.type !== 'ready') throw new Error('loadtest: unexpected message from the fake');
  return {
    apiRoot: ready.apiRoot,
    async play(r) {
      const answer = next(r.timeoutMs + 30_000);
      child.send({ type: 'play', ...r } satisfies ToFake);
      const m = await answer;
      if (m.type !== 'played') throw new Error('loadtest: unexpected message from the fake');
      return m;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ type: 'close' } satisfies ToFake);
      await exited;
    },
  };
}

/** Runs both paths and returns one row each. Everything listens on 127.0.0.1 and is closed after. */
export async function loadtest(options: Partial<LoadtestOptions> = {}): Promise<LoadtestRow[]> {
  const o: LoadtestOptions = { ...DEFAULT_LOADTEST_OPTIONS, ...options };
  const { knowledge } = loadKnowledge(o.knowledgeDir);
  if (!knowledge) throw new Error('invalid knowledge base: run npm run kb:check');
  const assistant = createAssistant(knowledge);
  const corpus = texts(knowledge.entries.flatMap((e) => e.questions));
  const log = pino({ level: 'silent' });
  const rows: LoadtestRow[] = [];

  // ---------- web ----------
  const http = createHttpServer({ log });
  mountWeb(http, {
    assistant,
    sessions: createMemorySessionStore({ ttlMs: assistant.options.sessionTtlMs }),
    log,
    metrics: createMetrics(),
    options: { ratePerSecond: 1e9, rateBurst: 1e9 },
  });
  const base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  const web = async (n: number, deadline: number) => {
    let next = 0;
    let errors = 0;
    const latencies: number[] = [];
    const worker = async () => {
      while (next < n && performance.now() < deadline) {
        const i = next++;
        const t = performance.now();
        try {
          const res = await fetch(`${base}/api/messages`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ user: `load${i % o.users}`, text: corpus[i % corpus.length] }),
          });
          const body = (await res.json()) as { text?: unknown; kind?: unknown };
          if (res.status === 200 && typeof body.text === 'string' && body.text.length > 0 && typeof body.kind === 'string')
            latencies.push(performance.now() - t);
          else errors++;
        } catch {
          errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency }, worker));
    return { sent: next, latencies, errors };
  };
  try {
    await web(Math.min(1_000, o.requests), performance.now() + o.seconds * 1000);
    const start = memory();
    const t0 = performance.now();
    const deadline = t0 + o.seconds * 1000;
    const r = await web(o.requests, deadline);
    rows.push(row('web', r.sent, r.latencies, r.errors, performance.now() - t0, r.sent < o.requests || performance.now() >= deadline, start));
  } finally {
    await http.close();
  }

  // ---------- Telegram ----------
  // The fake Bot API server runs in a child process: it keeps every message it is sent, and that
  // must not count as the bot's memory (heap or RSS).
  const fake = await startFakeProcess();
  const telegram = createTelegramBot(TOKEN, {
    assistant,
    sessions: createMemorySessionStore({ ttlMs: assistant.options.sessionTtlMs }),
    log,
    apiRoot: fake.apiRoot,
    typingDelayMs: -1,
  });
  const channel = await startTelegram(telegram, { log, pollTimeoutSeconds: 1 });
  // The same chats in the warm-up and the measured run: their sessions exist before it starts.
  const play = (n: number, deadline: number) =>
    fake.play({ n, firstChat: 1, users: o.users, texts: corpus.map((t) => t.slice(0, 4096)), timeoutMs: Math.max(0, deadline - performance.now()) });
  try {
    await play(Math.min(1_000, o.updates), performance.now() + o.seconds * 1000);
    const start = memory();
    const t0 = performance.now();
    const r = await play(o.updates, t0 + o.seconds * 1000);
    rows.push(row('telegram', r.sent, r.latencies, r.errors, performance.now() - t0, r.timedOut, start));
  } finally {
    await channel.stop();
    await fake.close();
  }
  return rows;
}

function print(rows: LoadtestRow[]): void {
  const f = (n: number | undefined, d = 1) => (n === undefined ? '–' : n.toFixed(d));
  console.log('| path | sent | ok | errors | seconds | per second | p50 ms | p99 ms | RSS start → end MB | heap after GC start → end MB |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.path}${r.timedOut ? ' (time bound hit)' : ''} | ${r.sent} | ${r.ok} | ${r.errors} | ${f(r.seconds, 2)} | ${f(r.perSecond, 0)} | ${f(r.p50Ms, 2)} | ${f(r.p99Ms, 2)} | ${f(r.rssStartMb)} → ${f(r.rssEndMb)} | ${f(r.heapStartMb)} → ${f(r.heapEndMb)} |`,
    );
}

if (process.env[FAKE_ROLE] === '1') await fakeProcess();
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const d = DEFAULT_LOADTEST_OPTIONS;
  const cli = readCommandLine({
    usage: `uso: npm run loadtest [-- --requests N] [--concurrency N] [--users N] [--updates N] [--seconds S] [--json]
     (en la imagen de Docker: node --expose-gc dist/cli/loadtest.js …)

Carga sostenida en loopback contra la API web y el camino de Telegram (con el Bot API falso):
solicitudes, por segundo, p50/p99, errores y memoria al inicio y al final. Sale con 1 si hubo errores.

  --requests N      solicitudes web medidas (por defecto ${d.requests})
  --concurrency N   solicitudes web a la vez (por defecto ${d.concurrency})
  --users N         usuarios web y chats de Telegram distintos (por defecto ${d.users})
  --updates N       mensajes de Telegram medidos (por defecto ${d.updates})
  --seconds S       cada corrida medida se corta tras S segundos (por defecto ${d.seconds})
  --json            además imprime los renglones en JSON
  -h, --help        esta ayuda`,
    options: {
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      users: { type: 'string' },
      updates: { type: 'string' },
      seconds: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const given: Partial<LoadtestOptions> = {};
  for (const k of ['requests', 'concurrency', 'users', 'updates'] as const) {
    const v = cli.int(k, { min: 1 });
    if (v !== undefined) given[k] = v;
  }
  const seconds = cli.number('seconds', { min: 0.1 });
  if (seconds !== undefined) given.seconds = seconds;
  const rows = await loadtest({ ...given, knowledgeDir: process.env.KNOWLEDGE_DIR || DEFAULT_LOADTEST_OPTIONS.knowledgeDir });
  print(rows);
  if (cli.values.json) console.log(JSON.stringify(rows));
  const errors = rows.reduce((n, r) => n + r.errors, 0);
  if (errors > 0) {
    console.error(`loadtest: ${errors} errors`);
    process.exit(1);
  }
  process.exit(0);
}
