import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createEnginePool, type EnginePool, withPool } from '../../src/core/engine-pool.js';
import { handleMessage } from '../../src/core/handle-message.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import type { Session } from '../../src/core/types.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

const kb = loadOrThrow(REAL_KB_DIR);
const local = createAssistant(kb);
let pool: EnginePool;
beforeAll(async () => {
  pool = await createEnginePool({ size: 2, knowledgeDir: REAL_KB_DIR });
}, 60_000);
afterAll(async () => {
  await pool?.close();
});

describe('the engine pool (worker threads)', () => {
  it('answers exactly as the thread’s own engine, follow-ups included', async () => {
    const questions = kb.entries.flatMap((e) => e.questions.slice(0, 2));
    const replies = await Promise.all(
      questions.map(async (q) => {
        const first = await pool.respond({ userId: 'u', text: q }, undefined, 0);
        const next = await pool.respond({ userId: 'u', text: 'y en oaxaca?' }, first.session, 0);
        return [first, next];
      }),
    );
    const expected = questions.map((q) => {
      const first = local.respond({ userId: 'u', text: q }, undefined, 0);
      return [first, local.respond({ userId: 'u', text: 'y en oaxaca?' }, first.session as Session, 0)];
    });
    expect(replies).toEqual(expected);
  });

  it('never holds an emergency: it is answered on the calling thread even while the pool is stuck', async () => {
    const stuck: EnginePool = { size: 1, respond: () => new Promise(() => {}), reload: async () => {}, close: async () => {} };
    const sessions = createMemorySessionStore({ ttlMs: 60_000 });
    const reply = await handleMessage({ assistant: withPool(local, stuck), sessions }, { userId: 't:1', text: 'mi papa no respira y esta morado' });
    expect(reply.kind).toBe('emergency');
    expect(reply.text).toContain('911');
  });

  it('answers on the calling thread what the pool cannot (a closed or failing pool)', async () => {
    const failing: EnginePool = { size: 1, respond: async () => Promise.reject(new Error('worker gone')), reload: async () => {}, close: async () => {} };
    const sessions = createMemorySessionStore({ ttlMs: 60_000 });
    const text = 'como saco mi credencial del bienestar';
    const reply = await handleMessage({ assistant: withPool(local, failing), sessions }, { userId: 't:2', text });
    expect(reply).toEqual(local.respond({ userId: 't:2', text }, undefined).reply);
  });

  it('builds its engines again from the files on reload, and still answers', async () => {
    await pool.reload();
    const r = await pool.respond({ userId: 'u', text: 'que vacunas le tocan a mi bebe' }, undefined, 0);
    expect(r.reply).toEqual(local.respond({ userId: 'u', text: 'que vacunas le tocan a mi bebe' }, undefined, 0).reply);
  }, 60_000);
});
