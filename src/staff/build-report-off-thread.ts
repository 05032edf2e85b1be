import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Knowledge } from '../knowledge/load-knowledge.js';
import type { ReportOptions, StaffReport } from './build-report.js';
import type { StaffEvent } from './create-staff-store.js';
import type { ReportWorkerData } from './report-worker.js';

export interface OffThreadReport {
  /** The staff JSON-lines file: the worker reads it itself (nothing large crosses threads). */
  path?: string;
  /** Or the events themselves (the Redis store's), copied to the worker. */
  events?: readonly StaffEvent[];
  knowledge?: Knowledge;
  opts?: ReportOptions;
  /** The worker is stopped and the promise rejected after this long (default 30 s). */
  timeoutMs?: number;
}

/** The worker script; from TypeScript (tests, `tsx`), a module that registers tsx in the worker first. */
function workerScript(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./report-worker.js', import.meta.url);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const ts = new URL('./report-worker.ts', import.meta.url).href;
  return new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(ts)});`)}`);
}

/** Only what the report reads of the knowledge (titles, files, topics, menu labels): small to copy. */
function slim(k: Knowledge): Knowledge {
  return {
    version: k.version,
    topics: k.topics.map((t) => ({ topic: t.topic, title: t.title, file: t.file })),
    entriesById: new Map([...k.entriesById].map(([id, e]) => [id, { id, title: e.title, file: e.file, topic: e.topic }])),
    unitsById: new Map([...k.unitsById].map(([id, u]) => [id, { id, name: u.name, file: u.file }])),
    conversation: { menu: k.conversation.menu.map((m) => ({ topic: m.topic, label: m.label })) },
  } as unknown as Knowledge;
}

/**
 * `buildReport` in a worker thread, so a large store (a million events take a few seconds)
 * never stops the bot answering; bounded by `timeoutMs`.
 *
 * ```ts
 * const report = await buildReportOffThread({ path: 'data/staff-events.jsonl', knowledge });
 * ```
 */
export function buildReportOffThread(o: OffThreadReport): Promise<StaffReport> {
  const data: ReportWorkerData = { path: o.path, events: o.events, knowledge: o.knowledge && slim(o.knowledge), opts: o.opts ?? {} };
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript(), { workerData: data });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the staff report took longer than ${o.timeoutMs ?? 30_000} ms`));
    }, o.timeoutMs ?? 30_000);
    const done = () => clearTimeout(timer);
    worker.once('message', (m: { ok: true; report: StaffReport } | { ok: false; message: string }) => {
      done();
      void worker.terminate();
      if (m.ok) resolve(m.report);
      else reject(new Error(m.message));
    });
    worker.once('error', (err) => {
      done();
      reject(err);
    });
    worker.once('exit', (code) => {
      done();
      reject(new Error(`the report worker exited (${code})`));
    });
  });
}
