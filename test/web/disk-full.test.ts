import * as fs from 'node:fs';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import type { Reply } from '../../src/core/types.js';
import { createHttpServer } from '../../src/http/create-http-server.js';
import { createStaffStore, type StaffFs } from '../../src/staff/create-staff-store.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { withStaffTools } from '../../src/staff/with-staff-tools.js';
import { mountWeb } from '../../src/web/mount-web.js';
import { loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

let full = false;
const enospc = () => {
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
};
const diskFs: StaffFs = {
  ...fs,
  appendFileSync: ((...a: Parameters<typeof fs.appendFileSync>) => (full ? enospc() : fs.appendFileSync(...a))) as typeof fs.appendFileSync,
  writeSync: ((...a: unknown[]) => (full ? enospc() : (fs.writeSync as (...x: unknown[]) => number)(...a))) as typeof fs.writeSync,
};
const dir = mkdtempSync(join(tmpdir(), 'orienta-full-'));
let http: ReturnType<typeof createHttpServer>;
let base: string;
beforeAll(async () => {
  const engine = createAssistant(loadOrThrow(makeMiniKb()));
  const store = createStaffStore({ path: join(dir, 'staff-events.jsonl'), key: Buffer.alloc(32, 3), fs: diskFs });
  const log = pino({ level: 'silent' });
  const metrics = createMetrics();
  http = createHttpServer({ log });
  mountWeb(http, { assistant: withStaffTools(() => engine, { store, metrics }), sessions: createMemorySessionStore({ ttlMs: 60_000 }), log, metrics, store });
  base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
});
afterAll(() => http.close());

const ask = (user: string, text: string) =>
  fetch(`${base}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user, text }) });
const health = async () => (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;

describe('a full disk under the web chat', () => {
  it('answers every new user, flips /healthz to degraded, and recovers when space returns', async () => {
    expect(await health()).toMatchObject({ status: 'ok', staffStore: 'ok' });
    full = true;
    for (const user of ['nuevo1', 'nuevo2', 'nuevo3']) {
      const res = await ask(user, 'receta de pastel de chocolate');
      expect(res.status).toBe(200);
      expect(((await res.json()) as Reply).text.length).toBeGreaterThan(0);
    }
    expect((await ask('nuevo4', 'baja')).status).toBe(200);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', staffStore: 'degraded' });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    full = false;
    expect((await ask('nuevo5', 'receta de pastel de chocolate')).status).toBe(200);
    expect(await health()).toMatchObject({ status: 'ok', staffStore: 'ok' });
  });
});
