import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { DEFAULT_ENGINE_OPTIONS } from '../../src/core/engine-options.js';
import { readEngineCache } from '../../src/core/engine-cache.js';
import type { Session } from '../../src/core/types.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

const dirs: string[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'orienta-engine-cache-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const kb = loadOrThrow(REAL_KB_DIR);
/** Every example question, and a follow-up after each tenth, through one assistant. */
function replies(assistant: ReturnType<typeof createAssistant>): string[] {
  const out: string[] = [];
  kb.entries.forEach((e, i) =>
    e.questions.forEach((q, j) => {
      const first = assistant.respond({ userId: 'u', text: q }, undefined, 0);
      out.push(JSON.stringify(first.reply));
      if ((i + j) % 10 === 0) out.push(JSON.stringify(assistant.respond({ userId: 'u', text: 'y en guerrero?' }, first.session as Session, 0).reply));
    }),
  );
  return out;
}

describe('the engine cache under DATA_DIR', () => {
  it('makes a restart build the same engine: every reply identical to a build from nothing', () => {
    const dir = temp();
    const cold = replies(createAssistant(kb));
    createAssistant(kb, { cacheDir: dir }); // the first start writes it
    const file = readdirSync(dir).find((f) => f.startsWith('engine-'));
    expect(file).toBeDefined();
    const warmth = readEngineCache(dir, kb.version, DEFAULT_ENGINE_OPTIONS);
    expect(warmth?.postings.size).toBeGreaterThan(1000);
    expect(warmth?.tokens.size).toBeGreaterThan(1000);
    expect(replies(createAssistant(kb, { cacheDir: dir }))).toEqual(cold);
  });

  it('ignores a damaged file, or one made with other options, and writes it again', () => {
    const dir = temp();
    createAssistant(kb, { cacheDir: dir });
    const file = join(dir, readdirSync(dir).find((f) => f.startsWith('engine-')) as string);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/"lengths":\[(\d)/, (_, d) => `"lengths":[${(Number(d) + 1) % 10}`));
    expect(readEngineCache(dir, kb.version, DEFAULT_ENGINE_OPTIONS)).toBeUndefined();
    expect(readEngineCache(dir, kb.version, { ...DEFAULT_ENGINE_OPTIONS, maxQueryTerms: 5 })).toBeUndefined();
    const again = createAssistant(kb, { cacheDir: dir });
    expect(readEngineCache(dir, kb.version, DEFAULT_ENGINE_OPTIONS)).toBeDefined();
    expect(again.respond({ userId: 'u', text: 'como saco mi credencial' }, undefined, 0).reply.intent).toMatch(/credencial/);
  });
});
