/**
 * `npm run bench`: speed and memory of the answer engine, next to a plain MiniSearch index with
 * default options over the same entries (the reference). Each side runs in its own process so
 * start-up time and peak memory are its own. Prints one table and checks the targets:
 * p50 ≤ 0.5 ms and p99 ≤ 3 ms per message, start-up ≤ 1.5 s, peak RSS ≤ 150 MB.
 *
 * Runs the compiled code (`npm run bench` builds it first), as `npm start` does.
 * Options: `--rounds N` (how many times the question set is replayed, default 50).
 * The Telegram rows come from `bench-telegram.ts` (5,000 updates from 500 chats over loopback).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import MiniSearch from 'minisearch';
import { createAssistant } from '../core/create-assistant.js';
import type { Session } from '../core/types.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';

interface Metrics {
  name: string;
  startupMs: number;
  buildMs: number;
  messages: number;
  p50Ms: number;
  p99Ms: number;
  perSecond: number;
  peakRssMb: number;
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
  times.sort((a, b) => a - b);
  return {
    name,
    startupMs,
    buildMs,
    messages: times.length,
    p50Ms: percentile(times, 50),
    p99Ms: percentile(times, 99),
    perSecond: times.length / totalS,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

function child(mode: string, rounds: number): void {
  const { knowledge } = loadKnowledge(process.env.KNOWLEDGE_DIR || 'knowledge');
  if (!knowledge) throw new Error('invalid knowledge base: run npm run kb:check');
  const convs = conversations(knowledge.entries.flatMap((e) => e.questions));
  let m: Metrics;
  if (mode === 'engine') {
    m = measure(
      'Orienta (engine)',
      () => {
        const assistant = createAssistant(knowledge);
        return (text, session) => assistant.respond({ userId: 'bench', text }, session, 0).session;
      },
      convs,
      rounds,
    );
  } else {
    m = measure(
      'MiniSearch, default options',
      () => {
        const mini = new MiniSearch({ fields: ['title', 'questions', 'keywords', 'answer'] });
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

function parent(rounds: number): void {
  const self = fileURLToPath(import.meta.url);
  const run = (mode: string): Metrics => {
    const r = spawnSync(process.execPath, [self, '--child', mode, '--rounds', String(rounds)], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (r.status !== 0) throw new Error(`bench ${mode} failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as Metrics;
  };
  const rows = [run('engine'), run('plain')];
  const f = (n: number, d = 2) => n.toFixed(d);
  console.log(`Replaying ${existsSync(DEV_SET) ? DEV_SET : 'the example questions'} ${rounds} times, one core, Node ${process.version}\n`);
  console.log('| | start-up to ready | index build | messages | p50 | p99 | messages/s | peak RSS |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const m of rows)
    console.log(
      `| ${m.name} | ${f(m.startupMs, 0)} ms | ${f(m.buildMs, 1)} ms | ${m.messages} | ${f(m.p50Ms, 3)} ms | ${f(m.p99Ms, 3)} ms | ${f(m.perSecond, 0)} | ${f(m.peakRssMb, 0)} MB |`,
    );
  // Telegram: the bot over the fake Bot API on loopback (src/cli/bench-telegram.ts), its own process too.
  const tg = spawnSync(process.execPath, [self, '--child', 'telegram'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (tg.status !== 0) throw new Error(`bench telegram failed:\n${tg.stderr}`);
  const telegram = JSON.parse(tg.stdout) as [Metrics & { chats: number }, Metrics & { chats: number }];
  for (const m of telegram)
    console.log(
      `| ${m.name} | ${f(m.startupMs, 0)} ms | ${f(m.buildMs, 1)} ms | ${m.messages} from ${m.chats} chats | ${f(m.p50Ms, 1)} ms | ${f(m.p99Ms, 1)} ms | ${f(m.perSecond, 0)} | ${f(m.peakRssMb, 0)} MB |`,
    );
  const [burst, steady] = telegram;
  const e = rows[0] as Metrics;
  const checks: [string, boolean][] = [
    [`p50 ≤ 0.5 ms (${f(e.p50Ms, 3)})`, e.p50Ms <= 0.5],
    [`p99 ≤ 3 ms (${f(e.p99Ms, 3)})`, e.p99Ms <= 3],
    [`start-up ≤ 1.5 s (${f(e.startupMs, 0)} ms)`, e.startupMs <= 1500],
    [`peak RSS ≤ 150 MB (${f(e.peakRssMb, 0)} MB)`, e.peakRssMb <= 150],
    [`Telegram ≥ 1,000 updates/s (${f(burst.perSecond, 0)})`, burst.perSecond >= 1000],
    [`Telegram p99 ≤ 50 ms at 1,000 updates/s (${f(steady.p99Ms, 1)} ms)`, steady.p99Ms <= 50],
  ];
  console.log(`\n${checks.map(([label, ok]) => `${ok ? 'ok  ' : 'MISS'} ${label}`).join('\n')}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 50;
const childAt = args.indexOf('--child');
if (childAt >= 0 && args[childAt + 1] === 'telegram')
  process.stdout.write(JSON.stringify(await (await import('./bench-telegram.js')).benchTelegram({ knowledgeDir: process.env.KNOWLEDGE_DIR || undefined })));
else if (childAt >= 0) child(args[childAt + 1] as string, rounds);
else parent(rounds);
