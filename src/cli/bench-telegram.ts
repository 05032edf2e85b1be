/**
 * The Telegram rows of `npm run bench`: the bot as `npm start` runs it (grammY runner with its
 * production options, auto-retry, middleware, the real engine and formatter) long-polling the
 * fake Bot API server over loopback HTTP. The fake runs in a worker thread (Telegram is another
 * machine) and times every update from the moment `getUpdates` hands it out to the moment its
 * `sendMessage` arrives, on its own clock. Answers come from the dev question set (else the
 * knowledge's example questions), round-robin over the chats, so every chat holds a conversation.
 *
 * Two runs of `--updates` updates (default 5,000) from `--chats` chats (default 500), after a
 * warm-up of 1,000:
 * - **all queued at once**: the most updates per second the bot answers (first delivery to
 *   last reply); its latencies include waiting behind the backlog the runner took in;
 * - **offered at `--rate` per second** (default 1,000, the target): updates per second kept up
 *   and the latency a person would see at that load. Targets: ≥ 2,000 updates/s drained, p99 ≤ 20 ms at 1,000/s.
 *
 * Run alone: `npm run -s build && node dist/cli/bench-telegram.js` (prints JSON rows).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, type MessagePort, parentPort, Worker } from 'node:worker_threads';
import pino from 'pino';
import { createTelegramBot } from '../channels/telegram/create-telegram-bot.js';
import { createFakeBotApi } from '../channels/telegram/fake-bot-api.js';
import { startTelegram } from '../channels/telegram/start-telegram.js';
import { createAssistant } from '../core/create-assistant.js';
import { createEnginePool, withPool } from '../core/engine-pool.js';
import { createMemorySessionStore } from '../core/session-store.js';
import { openKnowledge } from '../knowledge/open-knowledge.js';
import { readCommandLine } from './cli-args.js';

export interface TelegramBenchResult {
  name: string;
  /** From nothing to the bot polling (knowledge, engine, fake server, getMe). */
  startupMs: number;
  /** Index build, as in the engine rows. */
  buildMs: number;
  messages: number;
  chats: number;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
  peakRssMb: number;
}

const TOKEN = '100000001:bench-token-for-the-fake-Bot-API';
const DEV_SET = '../shared/eval/dev.jsonl';

function questions(kbQuestions: string[]): string[] {
  if (existsSync(DEV_SET))
    return readFileSync(DEV_SET, 'utf8')
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => (JSON.parse(l) as { turns: string[] }).turns[0] as string);
  return kbQuestions;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** What the fake's thread is asked to do, and what it answers. */
type ToFake = { type: 'play'; n: number; firstChat: number; chats: number; texts: string[]; perSecond?: number } | { type: 'close' };
type FromFake = { type: 'ready'; apiRoot: string } | { type: 'played'; latencies: number[]; seconds: number } | { type: 'error'; message: string };

/**
 * The fake Bot API server's side, in its own thread (Telegram is another machine, after all):
 * queues the updates, and times each one from its delivery to its reply on its own clock.
 */
async function fakeThread(): Promise<void> {
  const port = parentPort as MessagePort;
  const fake = createFakeBotApi({ token: TOKEN });
  await fake.listen();
  port.on('message', async (msg: ToFake) => {
    if (msg.type === 'close') {
      await fake.close();
      port.close();
      return;
    }
    const pending = new Map<number, number[]>();
    const latencies: number[] = [];
    let first = Number.POSITIVE_INFINITY;
    fake.calls.length = 0;
    fake.onCall = (call) => {
      if (call.method !== 'sendMessage' || call.status !== 200) return;
      const id = pending.get(call.payload.chat_id as number)?.shift();
      const delivered = id === undefined ? undefined : fake.deliveredAt.get(id);
      if (delivered === undefined) return;
      first = Math.min(first, delivered);
      latencies.push(call.at - delivered);
      if (latencies.length === msg.n) {
        fake.onCall = undefined;
        port.postMessage({ type: 'played', latencies, seconds: (call.at - first) / 1000 } satisfies FromFake);
      }
    };
    let pushed = 0;
    const push = (upTo: number) => {
      for (; pushed < upTo; pushed++) {
        const chatId = msg.firstChat + (pushed % msg.chats);
        const update = fake.pushText(chatId, pushed + 1, msg.texts[pushed % msg.texts.length] as string, 'Bench');
        const queue = pending.get(chatId) ?? [];
        queue.push(update.update_id);
        pending.set(chatId, queue);
      }
    };
    if (!msg.perSecond) push(msg.n);
    else {
      // A steady arrival rate: every millisecond or so, whatever is due by now.
      const rate = msg.perSecond;
      const start = performance.now();
      const tick = setInterval(() => {
        push(Math.min(msg.n, Math.floor(((performance.now() - start) / 1000) * rate) + 1));
        if (pushed >= msg.n) clearInterval(tick);
      }, 1);
    }
  });
  port.postMessage({ type: 'ready', apiRoot: fake.apiRoot } satisfies FromFake);
}

export interface TelegramBenchOptions {
  updates?: number;
  chats?: number;
  /** Arrival rate of the steady run, updates per second. */
  rate?: number;
  knowledgeDir?: string;
  /** DATA_DIR/cache of the run: the knowledge snapshot and the engine cache, as a restart has them. */
  cacheDir?: string;
  /** Engine worker threads (ENGINE_WORKERS; by default one fewer than the cores, at least one). */
  workers?: number;
}

export async function benchTelegram(opts: TelegramBenchOptions = {}): Promise<TelegramBenchResult[]> {
  const total = opts.updates ?? 5_000;
  const chats = opts.chats ?? 500;
  const rate = opts.rate ?? 1_000;
  const t0 = performance.now();
  const { knowledge } = await openKnowledge(opts.knowledgeDir ?? 'knowledge', { snapshotDir: opts.cacheDir });
  if (!knowledge) throw new Error('invalid knowledge base: run npm run kb:check');
  const b0 = performance.now();
  // As main.ts composes it: the thread's own engine, and ENGINE_WORKERS' default of workers answering.
  const local = createAssistant(knowledge, { cacheDir: opts.cacheDir });
  const pool = await createEnginePool({
    size: opts.workers ?? Math.max(1, availableParallelism() - 1),
    knowledgeDir: opts.knowledgeDir ?? 'knowledge',
    cacheDir: opts.cacheDir,
  });
  const assistant = withPool(local, pool);
  const buildMs = performance.now() - b0;
  const texts = questions(knowledge.entries.flatMap((e) => e.questions));

  const worker = new Worker(fileURLToPath(import.meta.url));
  const next = () =>
    new Promise<FromFake>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('telegram bench: the fake Bot API thread did not answer within 120 s')), 120_000);
      worker.once('message', (m: FromFake) => {
        clearTimeout(timer);
        if (m.type === 'error') reject(new Error(m.message));
        else resolve(m);
      });
      worker.once('error', reject);
    });
  const ready = await next();
  if (ready.type !== 'ready') throw new Error('telegram bench: unexpected message from the fake');

  const log = pino({ level: 'silent' });
  const telegram = createTelegramBot(TOKEN, {
    assistant,
    sessions: createMemorySessionStore({ ttlMs: assistant.options.sessionTtlMs }),
    log,
    apiRoot: ready.apiRoot,
  });
  const channel = await startTelegram(telegram, { log });
  const startupMs = performance.now() - t0;

  let nextChat = 1;
  const play = async (name: string, n: number, perSecond?: number): Promise<TelegramBenchResult> => {
    const answer = next();
    worker.postMessage({ type: 'play', n, firstChat: nextChat, chats, texts, perSecond } satisfies ToFake);
    nextChat += chats; // fresh chats for every run
    const m = await answer;
    if (m.type !== 'played') throw new Error('telegram bench: unexpected message from the fake');
    const sorted = m.latencies.sort((a, b) => a - b);
    return {
      name,
      startupMs,
      buildMs,
      messages: n,
      chats,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      perSecond: n / m.seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  };

  try {
    await play('warm-up', Math.min(1_000, total)); // JIT, sockets; not reported
    const burst = await play('Telegram, updates all queued at once', total);
    const steady = await play(`Telegram, ${rate.toLocaleString('en-US')} updates/s offered`, total, rate);
    return [burst, steady];
  } finally {
    await channel.stop();
    await pool.close();
    worker.postMessage({ type: 'close' } satisfies ToFake);
    await new Promise((r) => worker.once('exit', r));
  }
}

if (!isMainThread) await fakeThread();
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cli = readCommandLine({
    usage: `uso: npm run -s build && node dist/cli/bench-telegram.js [--updates N] [--chats N] [--rate N]

Las filas de Telegram de npm run bench, solas: el bot contra el Bot API falso en loopback; imprime
los renglones en JSON.

  --updates N   mensajes por corrida (por defecto 5000)
  --chats N     chats distintos (por defecto 500)
  --rate N      mensajes por segundo ofrecidos en la corrida constante (por defecto 1000)
  -h, --help    esta ayuda`,
    options: { updates: { type: 'string' }, chats: { type: 'string' }, rate: { type: 'string' } },
  });
  const result = await benchTelegram({
    updates: cli.int('updates', { min: 1 }),
    chats: cli.int('chats', { min: 1 }),
    rate: cli.int('rate', { min: 1 }),
    knowledgeDir: process.env.KNOWLEDGE_DIR || undefined,
  });
  process.stdout.write(JSON.stringify(result));
}
