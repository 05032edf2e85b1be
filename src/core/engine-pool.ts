import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Assistant } from './create-assistant.js';
import type { EngineRequest, EngineResponse, EngineWorkerData } from './engine-worker.js';
import type { IncomingMessage, Session } from './types.js';

/**
 * Engines in worker threads, so that a channel's own thread (grammY, HTTP, sessions) and the
 * answering run on different cores. Each worker holds a whole engine built from the same
 * knowledge; a request goes to the worker with the fewest in flight. Emergencies never come here:
 * `handleMessage` answers them in the calling thread, before anything can queue.
 *
 * A request that fails or takes longer than `timeoutMs` is rejected, and `withPool` answers it in
 * the calling thread instead: a dead or stuck worker costs time, never a reply.
 */
export interface EnginePool {
  readonly size: number;
  respond(message: IncomingMessage, session: Session | undefined, now: number): Promise<ReturnType<Assistant['respond']>>;
  /** Every worker builds its engine again from the files (after a valid staff edit). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export interface EnginePoolOptions extends EngineWorkerData {
  size: number;
  timeoutMs?: number;
}

interface Slot {
  worker: Worker;
  inFlight: number;
  pending: Map<number, { resolve: (r: EngineResponse & { type: 'done' }) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>;
}

/**
 * The worker script beside this module; from TypeScript (tests, `tsx`), a module that registers
 * tsx in the worker first (loader hooks are not inherited by worker threads).
 */
function workerScript(): URL {
  const script = new URL('./engine-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return script;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const ts = new URL('./engine-worker.ts', import.meta.url).href;
  return new URL(`data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(ts)});`)}`);
}

export async function createEnginePool(opts: EnginePoolOptions): Promise<EnginePool> {
  const url = workerScript();
  const timeoutMs = opts.timeoutMs ?? 2_000;
  let nextId = 1;
  const data: EngineWorkerData = { knowledgeDir: opts.knowledgeDir, cacheDir: opts.cacheDir, options: opts.options };
  const start = () =>
    new Promise<Slot>((resolve, reject) => {
      const worker = new Worker(url, { workerData: data });
      const slot: Slot = { worker, inFlight: 0, pending: new Map() };
      const fail = (err: Error) => {
        for (const p of slot.pending.values()) {
          clearTimeout(p.timer);
          p.reject(err);
        }
        slot.pending.clear();
        slot.inFlight = 0;
      };
      worker.once('error', (err) => {
        fail(err);
        reject(err);
      });
      worker.once('exit', (code) => fail(new Error(`engine worker exited (${code})`)));
      worker.on('message', (m: EngineResponse) => {
        if (m.type === 'ready') return resolve(slot);
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
        slot.inFlight--;
        clearTimeout(p.timer);
        p.resolve(m);
      });
    });
  const slots = await Promise.all(Array.from({ length: Math.max(1, opts.size) }, start));
  let closed = false;

  const ask = (slot: Slot, request: EngineRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never, wait: number) =>
    new Promise<EngineResponse & { type: 'done' }>((resolve, reject) => {
      if (closed) return reject(new Error('engine pool closed'));
      const id = nextId++;
      const timer = setTimeout(() => {
        if (slot.pending.delete(id)) slot.inFlight--;
        reject(new Error(`engine worker did not answer within ${wait} ms`));
      }, wait);
      slot.pending.set(id, { resolve, reject, timer });
      slot.inFlight++;
      slot.worker.postMessage({ ...request, id } as EngineRequest);
    });

  return {
    size: slots.length,
    async respond(message, session, now) {
      const slot = slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      const done = await ask(slot, { type: 'respond', message, session, now }, timeoutMs);
      if (!done.result) throw new Error(done.error ?? 'engine worker failed');
      return done.result;
    },
    async reload() {
      await Promise.all(
        slots.map(async (s) => {
          const done = await ask(s, { type: 'reload' }, 60_000);
          if (done.error) throw new Error(done.error);
        }),
      );
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/**
 * The assistant with its answering done by the pool (`respondAsync`); everything else (the
 * emergency check, `explain`, the knowledge) stays on the calling thread's own engine, which also
 * answers whatever the pool could not.
 */
export function withPool(assistant: Assistant, pool: EnginePool): Assistant {
  return {
    ...assistant,
    respondAsync: (message, session, now = Date.now()) =>
      pool.respond(message, session, now).catch(() => assistant.respond(message, session, now)),
  };
}
