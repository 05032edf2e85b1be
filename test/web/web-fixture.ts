import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { createHttpServer } from '../../src/http/create-http-server.js';
import { createStaffStore } from '../../src/staff/create-staff-store.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { withStaffTools } from '../../src/staff/with-staff-tools.js';
import { mountWeb, type WebOptions } from '../../src/web/mount-web.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

export const STAFF_TOKEN = 'token-del-personal-0123456789';

/**
 * The web app over the mini knowledge base (or the one in `knowledgeDir`, e.g. `REAL_KB_DIR`),
 * listening on 127.0.0.1 on an ephemeral port.
 */
export async function startWeb(options: Partial<WebOptions> = {}, knowledgeDir = makeMiniKb()) {
  const engine = createAssistant(loadOrThrow(knowledgeDir));
  const store = createStaffStore({ path: join(mkdtempSync(join(tmpdir(), 'orienta-web-')), 'e.jsonl'), key: Buffer.alloc(32, 2) });
  const metrics = createMetrics();
  const assistant = withStaffTools(() => engine, { store, metrics });
  const log = pino({ level: 'silent' });
  const http = createHttpServer({ log });
  mountWeb(http, {
    assistant,
    sessions: createMemorySessionStore({ ttlMs: 60_000 }),
    log,
    metrics,
    store,
    staffToken: STAFF_TOKEN,
    channels: () => ({ telegram: 'off' }),
    options,
  });
  const port = await http.listen(0, '127.0.0.1');
  return { http, store, metrics, base: `http://127.0.0.1:${port}` };
}
