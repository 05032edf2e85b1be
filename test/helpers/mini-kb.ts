import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Knowledge, loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const root = join(import.meta.dirname, '..', '..');

/**
 * A small knowledge base in a temporary folder: the real sources, states and emergency rules,
 * plus the fixture topics and units of `test/fixtures/mini-kb`. Tests may edit its files.
 */
export function makeMiniKb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-kb-'));
  cpSync(join(root, 'test', 'fixtures', 'mini-kb'), dir, { recursive: true });
  for (const f of ['sources.yaml', 'states.yaml', 'emergencias.yaml'])
    cpSync(join(root, 'knowledge', f), join(dir, f));
  return dir;
}

/** Copy of the real knowledge base, for tests that mutate it. */
export function copyRealKb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-real-kb-'));
  cpSync(join(root, 'knowledge'), dir, { recursive: true });
  return dir;
}

export function editFile(dir: string, file: string, edit: (text: string) => string): void {
  const p = join(dir, file);
  writeFileSync(p, edit(readFileSync(p, 'utf8')));
}

export function loadOrThrow(dir: string, opts: { citations?: boolean } = {}): Knowledge {
  const { knowledge, problems } = loadKnowledge(dir, opts);
  if (!knowledge) throw new Error(problems.map((p) => `${p.file} ${p.entry ?? ''} ${p.field ?? ''} ${p.message}`).join('\n'));
  return knowledge;
}

export const REAL_KB_DIR = join(root, 'knowledge');
