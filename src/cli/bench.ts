/**
 * `npm run bench`: speed and memory of the answer engine, next to two peers over the same
 * entries: NLP.js with default settings, trained once on the example questions and loaded from
 * its saved model, and a plain MiniSearch index (fuzzy and prefix). Each row runs in its own
 * process, so start-up time and peak memory are its own. Prints one table and checks the targets.
 *
 * - **Orienta (engine)** is the product: a first message seen before is answered from the reply
 *   cache. **every message computed** is the same engine with that cache off.
 * - **fuzzed input**: the fuzz test's generator (3,000 random messages), one conversation.
 * - `--scale N` builds an N× copy of the knowledge base in a temporary folder
 *   (`scale-knowledge.ts`) and measures the engine on it: growth should stay sub-linear.
 * - `--rounds N`: how many times the dev question set is replayed (default 50).
 *
 * Runs the compiled code (`npm run bench` builds it first), as `npm start` does. The Telegram
 * rows come from `bench-telegram.ts` (5,000 updates from 500 chats over loopback).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { createAssistant } from '../core/create-assistant.js';
import { DEFAULT_ENGINE_OPTIONS } from '../core/engine-options.js';
import type { Session } from '../core/types.js';
import type { Knowledge } from '../knowledge/load-knowledge.js';
import { openKnowledge } from '../knowledge/open-knowledge.js';
import { readCommandLine } from './cli-args.js';
import { fuzzMessages } from './fuzz-messages.js';

interface Metrics {
  name: string;
  startupMs: number;
  buildMs: number;
  messages: number;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
  peakRssMb: number;
  maxMs?: number;
}

const DEV_SET = '../shared/eval/dev.jsonl';

/** Conversations to replay: the dev question set when present, else every example question. */
function conversations(kbQuestions: string[]): string[][] {
  if (existsSync(DEV_SET))
    return readFileSync(DEV_SET, 'utf8')
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => (JSON.parse(l) as { turns: string[] }).turns);
  return kbQuestions.map((q) => [q]);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function measure(name: string, build: () => (text: string, session?: Session) => Session | undefined, convs: string[][], rounds: number): Metrics {
  const t0 = performance.now();
  const ask = build();
  const buildMs = performance.now() - t0;
  const startupMs = performance.now();
  // warm-up round (JIT), not measured
  for (const c of convs) {
    let s: Session | undefined;
    for (const t of c) s = ask(t, s);
  }
  const times: number[] = [];
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++)
    for (const c of convs) {
      let s: Session | undefined;
      for (const t of c) {
        const a = process.hrtime.bigint();
        s = ask(t, s);
        times.push(Number(process.hrtime.bigint() - a) / 1e6);
      }
    }
  const totalS = Number(process.hrtime.bigint() - started) / 1e9;
  return summary(name, startupMs, buildMs, times, times.length / totalS);
}

/** A row of the table from the latencies measured (in ms, any order); `withMax` adds the slowest. */
function summary(name: string, startupMs: number, buildMs: number, times: number[], perSecond: number, withMax = false): Metrics {
  times.sort((a, b) => a - b);
  return {
    name,
    startupMs,
    buildMs,
    messages: times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    ...(withMax ? { maxMs: times.at(-1) ?? 0 } : {}),
    perSecond,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** The NLP.js peer: trained once on the example questions, saved, and loaded from the saved model. */
async function nlpjsAsk(knowledge: Knowledge): Promise<(text: string) => Promise<unknown>> {
  const require = createRequire(import.meta.url);
  const { containerBootstrap } = require('@nlpjs/core') as { containerBootstrap: () => Promise<NlpContainer> };
  const { Nlp } = require('@nlpjs/nlp') as { Nlp: unknown };
  const { LangEs } = require('@nlpjs/lang-es') as { LangEs: unknown };
  const make = async () => {
    const container = await containerBootstrap();
    container.use(Nlp);
    container.use(LangEs);
    const nlp = container.get('nlp');
    nlp.settings.autoSave = false;
    nlp.settings.autoLoad = false;
    nlp.addLanguage('es');
    return nlp;
  };
  const model = join(tmpdir(), `orienta-bench-nlpjs-${knowledge.version}.json`);
  if (!existsSync(model)) {
    const nlp = await make();
    for (const e of knowledge.entries) for (const q of e.questions) nlp.addDocument('es', q, e.id);
    const log = console.log;
    console.log = () => {};
    try {
      await nlp.train();
    } finally {
      console.log = log;
    }
    writeFileSync(model, nlp.export(true));
  }
  const nlp = await make();
  nlp.import(readFileSync(model, 'utf8'));
  return (text) => nlp.process('es', text);
}

interface NlpContainer {
  use(plugin: unknown): void;
  get(name: 'nlp'): {
    settings: Record<string, unknown>;
    addLanguage(l: string): void;
    addDocument(l: string, text: string, intent: string): void;
    train(): Promise<void>;
    export(minified: boolean): string;
    import(json: string): void;
    process(l: string, text: string): Promise<unknown>;
  };
}

/** The engine with its reply cache off: every message computed. */
const UNCACHED = { ...DEFAULT_ENGINE_OPTIONS, replyCacheSize: 0 };

async function child(mode: string, rounds: number): Promise<void> {
  // As `npm start` loads it: from the checked snapshot when no file changed (the parent made it).
  const { knowledge } = await openKnowledge(process.env.KNOWLEDGE_DIR || 'knowledge', { snapshotDir: process.env.BENCH_SNAPSHOTS });
  if (!knowledge) throw new Error('invalid knowledge base: run npm run kb:check');
  const convs = conversations(knowledge.entries.flatMap((e) => e.questions));
  let m: Metrics;
  if (mode === 'engine' || mode === 'uncached') {
    const options = mode === 'uncached' ? UNCACHED : undefined;
    m = measure(
      mode === 'engine' ? 'Orienta (engine)' : 'Orienta, every message computed (no reply cache)',
      () => {
        const assistant = createAssistant(knowledge, { options, cacheDir: process.env.BENCH_SNAPSHOTS });
        return (text, session) => assistant.respond({ userId: 'bench', text }, session, 0).session;
      },
      convs,
      rounds,
    );
  } else if (mode === 'fuzz') {
    // The fuzz test's messages, one conversation that starts anew one time in ten.
    const fuzz = [...fuzzMessages(20261122, 3000)];
    const t0 = performance.now();
    const assistant = createAssistant(knowledge, { cacheDir: process.env.BENCH_SNAPSHOTS });
    const buildMs = performance.now() - t0;
    const startupMs = performance.now();
    const times: number[] = [];
    const started = process.hrtime.bigint();
    for (let r = 0; r < 2; r++) {
      let s: Session | undefined;
      for (const { text, keepSession } of fuzz) {
        const a = process.hrtime.bigint();
        const next = assistant.respond({ userId: 'fuzz', text }, s, 0).session;
        if (r > 0) times.push(Number(process.hrtime.bigint() - a) / 1e6);
        s = keepSession ? next : undefined;
      }
    }
    const totalS = Number(process.hrtime.bigint() - started) / 1e9;
    m = summary('Orienta, fuzzed input (fuzz test generator)', startupMs, buildMs, times, (2 * fuzz.length) / totalS, true);
  } else if (mode === 'nlpjs') {
    const t0 = performance.now();
    const ask = await nlpjsAsk(knowledge);
    m = await measureAsync('NLP.js, default settings, saved model', ask, convs, rounds, performance.now() - t0);
  } else {
    m = measure(
      'plain MiniSearch, fuzzy + prefix',
      () => {
        const mini = new MiniSearch({ fields: ['title', 'questions', 'keywords', 'answer'], searchOptions: { fuzzy: 0.2, prefix: true } });
        mini.addAll(
          knowledge.entries.map((e) => ({
            id: e.id,
            title: e.title,
            questions: e.questions.join(' '),
            keywords: e.keywords.join(' '),
            answer: e.answer,
          })),
        );
        return (text) => {
          mini.search(text);
          return undefined;
        };
      },
      convs,
      rounds,
    );
  }
  process.stdout.write(JSON.stringify(m));
}

/** Like `measure`, for a peer that answers with a promise (NLP.js). */
async function measureAsync(name: string, ask: (text: string) => Promise<unknown>, convs: string[][], rounds: number, buildMs: number): Promise<Metrics> {
  const startupMs = performance.now();
  for (const c of convs) for (const t of c) await ask(t);
  const times: number[] = [];
  const started = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++)
    for (const c of convs)
      for (const t of c) {
        const a = process.hrtime.bigint();
        await ask(t);
        times.push(Number(process.hrtime.bigint() - a) / 1e6);
      }
  const totalS = Number(process.hrtime.bigint() - started) / 1e9;
  return summary(name, startupMs, buildMs, times, times.length / totalS);
}

/** The node flags of `npm start` (package.json), so each row runs as the bot does. */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/).filter((a) => a.startsWith('--'));
}

async function parent(rounds: number, scale: number): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const flags = startFlags();
  // (the parser and the scaler are the parent's: a child loads only what a start loads)
  const { loadKnowledge } = await import('../knowledge/load-knowledge.js');
  const { scaleKnowledge } = await import('./scale-knowledge.js');
  const knowledgeDir = scale > 1 ? scaleKnowledge(process.env.KNOWLEDGE_DIR || 'knowledge', scale) : process.env.KNOWLEDGE_DIR;
  const snapshots = mkdtempSync(join(tmpdir(), 'orienta-bench-snapshots-'));
  // An earlier start, as the bot's first one: the knowledge snapshot and the stems it keeps.
  const prepared = loadKnowledge(knowledgeDir || 'knowledge', { snapshotDir: snapshots }).knowledge;
  if (prepared)
    for (const options of [DEFAULT_ENGINE_OPTIONS, UNCACHED]) createAssistant(prepared, { options, cacheDir: snapshots });
  const env = { ...process.env, BENCH_SNAPSHOTS: snapshots, ...(knowledgeDir ? { KNOWLEDGE_DIR: knowledgeDir } : {}) };
  const run = (mode: string): Metrics => {
    const r = spawnSync(process.execPath, [...flags, self, '--child', mode, '--rounds', String(rounds)], { encoding: 'utf8', maxBuffer: 1 << 20, env });
    if (r.status !== 0) throw new Error(`bench ${mode} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as Metrics;
  };
  const rows = scale > 1 ? [run('engine'), run('uncached'), run('fuzz')] : [run('engine'), run('uncached'), run('fuzz'), run('nlpjs'), run('plain')];
  const f = (n: number, d = 2) => n.toFixed(d);
  console.log(
    `Replaying ${existsSync(DEV_SET) ? DEV_SET : 'the example questions'} ${rounds} times, one core, Node ${process.version}${flags.length > 0 ? ` ${flags.join(' ')} (as npm start)` : ''}${scale > 1 ? `, knowledge base at ${scale}× (${knowledgeDir})` : ''}\n`,
  );
  console.log('| | start-up to ready | index build | messages | p50 | p99 | max | messages/s | peak RSS |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const line = (m: Metrics, extra = '') =>
    console.log(
      `| ${m.name} | ${f(m.startupMs, 0)} ms | ${f(m.buildMs, 1)} ms | ${m.messages}${extra} | ${f(m.p50Ms, 3)} ms | ${f(m.p99Ms, 3)} ms | ${m.maxMs === undefined ? '' : `${f(m.maxMs, 1)} ms`} | ${f(m.perSecond, 0)} | ${f(m.peakRssMb, 0)} MB |`,
    );
  for (const m of rows) line(m);
  const [e, uncached, fuzz] = rows as [Metrics, Metrics, Metrics];
  let checks: [string, boolean][];
  if (scale > 1) {
    checks = [
      [`at ${scale}×: p50 ≤ 0.3 ms (${f(e.p50Ms, 3)}; every message computed ${f(uncached.p50Ms, 3)})`, e.p50Ms <= 0.3],
      [`at ${scale}×: p99 ≤ 1.5 ms (${f(e.p99Ms, 3)}; every message computed ${f(uncached.p99Ms, 3)})`, e.p99Ms <= 1.5],
      [`at ${scale}×: index build ≤ 1 s (${f(e.buildMs, 0)} ms)`, e.buildMs <= 1000],
      [`at ${scale}×: peak RSS ≤ 200 MB (${f(e.peakRssMb, 0)} MB)`, e.peakRssMb <= 200],
    ];
  } else {
    // Telegram: the bot over the fake Bot API on loopback (src/cli/bench-telegram.ts), its own process too.
    const tg = spawnSync(process.execPath, [...flags, self, '--child', 'telegram'], { encoding: 'utf8', maxBuffer: 1 << 20, env });
    if (tg.status !== 0) throw new Error(`bench telegram failed:\n${tg.stderr}`);
    const telegram = JSON.parse(tg.stdout) as [Metrics & { chats: number }, Metrics & { chats: number }];
    for (const m of telegram) line(m, ` from ${m.chats} chats`);
    const [burst, steady] = telegram;
    checks = [
      [`p50 ≤ 0.1 ms (${f(e.p50Ms, 3)}; every message computed ${f(uncached.p50Ms, 3)})`, e.p50Ms <= 0.1],
      [`p99 ≤ 0.5 ms (${f(e.p99Ms, 3)}; every message computed ${f(uncached.p99Ms, 3)})`, e.p99Ms <= 0.5],
      [`≥ 8,000 messages/s (${f(e.perSecond, 0)}; every message computed ${f(uncached.perSecond, 0)})`, e.perSecond >= 8000],
      [`fuzzed input: p99 ≤ 1 ms (${f(fuzz.p99Ms, 3)}), max ≤ 10 ms (${f(fuzz.maxMs ?? 0, 1)})`, fuzz.p99Ms <= 1 && (fuzz.maxMs ?? 0) <= 10],
      [`start-up to ready ≤ 0.5 s (${f(e.startupMs, 0)} ms)`, e.startupMs <= 500],
      [`peak RSS ≤ 100 MB (${f(e.peakRssMb, 0)} MB)`, e.peakRssMb <= 100],
      [`Telegram ≥ 2,000 updates/s (${f(burst.perSecond, 0)})`, burst.perSecond >= 2000],
      [`Telegram p99 ≤ 20 ms at 1,000 updates/s (${f(steady.p99Ms, 1)} ms)`, steady.p99Ms <= 20],
    ];
  }
  console.log(`\n${checks.map(([label, ok]) => `${ok ? 'ok  ' : 'MISS'} ${label}`).join('\n')}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  if (scale > 1 && knowledgeDir) rmSync(knowledgeDir, { recursive: true, force: true });
  rmSync(snapshots, { recursive: true, force: true });
}

const MODES = ['engine', 'uncached', 'fuzz', 'nlpjs', 'plain', 'telegram'] as const;
const cli = readCommandLine({
  usage: `uso: npm run bench [-- --rounds N] [--scale N]
     (sin compilar antes: npm run -s build && node dist/cli/bench.js …)

Velocidad y memoria del motor junto a NLP.js y MiniSearch, más el camino de Telegram; cada fila
corre en su propio proceso con las banderas de node de npm start, y al final se revisan las metas.

  --rounds N   cuántas veces se repite el conjunto de preguntas (por defecto 50)
  --scale N    mide sobre una copia N× de la base de conocimiento (p. ej. 10)
  --child M    uso interno: una sola fila (${MODES.join(', ')}), en JSON
  -h, --help   esta ayuda`,
  options: { rounds: { type: 'string' }, scale: { type: 'string' }, child: { type: 'string' } },
});
const rounds = cli.int('rounds', { min: 1 }) ?? 50;
const mode = cli.oneOf('child', MODES);
if (mode === 'telegram')
  process.stdout.write(JSON.stringify(await (await import('./bench-telegram.js')).benchTelegram({ knowledgeDir: process.env.KNOWLEDGE_DIR || undefined, cacheDir: process.env.BENCH_SNAPSHOTS })));
else if (mode) await child(mode, rounds);
else await parent(rounds, cli.int('scale', { min: 1, max: 100 }) ?? 1);
