/**
 * One engine in a worker thread (see `engine-pool.ts`): it opens the knowledge as a start does
 * (the snapshot and the engine cache under DATA_DIR, written by the main thread's own build), and
 * answers `respond` requests until it is told to reload or the thread ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openKnowledge } from '../knowledge/open-knowledge.js';
import { type Assistant, createAssistant } from './create-assistant.js';
import type { EngineOptions } from './engine-options.js';
import type { IncomingMessage, Session } from './types.js';

export interface EngineWorkerData {
  knowledgeDir: string;
  cacheDir?: string;
  options?: Partial<EngineOptions>;
}

export type EngineRequest =
  | { type: 'respond'; id: number; message: IncomingMessage; session: Session | undefined; now: number }
  | { type: 'reload'; id: number };

export type EngineResponse =
  | { type: 'ready'; version: string }
  | { type: 'done'; id: number; result?: ReturnType<Assistant['respond']>; version?: string; error?: string };

const data = workerData as EngineWorkerData;
const port = parentPort;

async function build(): Promise<Assistant> {
  const { knowledge, problems } = await openKnowledge(data.knowledgeDir, { snapshotDir: data.cacheDir, lastGood: true });
  if (!knowledge) throw new Error(`invalid knowledge base (${problems.length} problems): run npm run kb:check`);
  return createAssistant(knowledge, { options: data.options, cacheDir: data.cacheDir });
}

if (port) {
  let assistant = await build();
  port.on('message', (m: EngineRequest) => {
    if (m.type === 'respond') {
      try {
        port.postMessage({ type: 'done', id: m.id, result: assistant.respond(m.message, m.session, m.now) } satisfies EngineResponse);
      } catch (err) {
        port.postMessage({ type: 'done', id: m.id, error: String(err) } satisfies EngineResponse);
      }
      return;
    }
    build().then(
      (a) => {
        assistant = a;
        port.postMessage({ type: 'done', id: m.id, version: a.knowledge.version } satisfies EngineResponse);
      },
      (err: unknown) => port.postMessage({ type: 'done', id: m.id, error: String(err) } satisfies EngineResponse),
    );
  });
  port.postMessage({ type: 'ready', version: assistant.knowledge.version } satisfies EngineResponse);
}
