import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { openKnowledge } from '../../src/knowledge/open-knowledge.js';
import { editFile, makeMiniKb } from '../helpers/mini-kb.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const kb = () => {
  const d = makeMiniKb();
  dirs.push(d);
  return d;
};

describe('knowledge faults', () => {
  it('refuses a 60 MB file before parsing it: fast, and without its size in memory', () => {
    const dir = kb();
    // A valid YAML list of 60 MB: parsed, it would take seconds and hundreds of MB; read whole, 60 MB at least.
    // (Loading the rest of the knowledge costs some 15–20 MB of heap itself, hence the size.)
    writeFileSync(join(dir, 'topics', 'pegado.yaml'), `topic: pegado\ntitle: Pegado\nentries:\n${'  - x\n'.repeat(10_500_000)}`);
    global.gc?.();
    const heap = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const { knowledge, problems } = loadKnowledge(dir);
    const ms = performance.now() - t0;
    const grew = process.memoryUsage().heapUsed - heap;
    expect(knowledge).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({ file: expect.stringContaining('pegado.yaml'), message: expect.stringMatching(/^el archivo pesa 60\.\d MB y el máximo es 2\.0 MB/) }),
    ]);
    expect(ms).toBeLessThan(3_000);
    expect(grew).toBeLessThan(40 * 1024 * 1024);
  });

  it('an invalid edit on disk at restart: starts on the last good copy, with the files’ problems', async () => {
    const dir = kb();
    const snaps = mkdtempSync(join(tmpdir(), 'orienta-lastgood-'));
    dirs.push(snaps);
    const first = await openKnowledge(dir, { snapshotDir: snaps, lastGood: true });
    expect(first.knowledge).toBeDefined();
    expect(first.lastGood).toBeUndefined();
    const good = first.knowledge?.version;

    editFile(dir, 'topics/tramites.yaml', (t) => t.replace('    keywords: [qr, codigo]', '\tkeywords: [qr, codigo]'));
    const restart = await openKnowledge(dir, { snapshotDir: snaps, lastGood: true });
    expect(restart.lastGood).toEqual({ version: good });
    expect(restart.knowledge?.version).toBe(good);
    expect(restart.knowledge?.entriesById.get('credencial-qr')?.keywords).toEqual(['qr', 'codigo']);
    expect(restart.problems).toEqual([expect.objectContaining({ message: expect.stringContaining('empieza con un tabulador') })]);

    // Without a last good copy (or not asked for), invalid files still stop the start.
    expect((await openKnowledge(dir, { snapshotDir: snaps })).knowledge).toBeUndefined();
    const empty = mkdtempSync(join(tmpdir(), 'orienta-lastgood-'));
    dirs.push(empty);
    expect((await openKnowledge(dir, { snapshotDir: empty, lastGood: true })).knowledge).toBeUndefined();
  });
});
