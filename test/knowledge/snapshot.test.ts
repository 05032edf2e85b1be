import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { copyRealKb, editFile } from '../helpers/mini-kb.js';

const dirs: string[] = [];
const temp = (d: string) => (dirs.push(d), d);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const snapshotFile = (dir: string) => join(dir, readdirSync(dir).find((f) => f.startsWith('knowledge-')) as string);
/** Rewrites the snapshot's first answer, with a checksum that matches (`sealed`) or not. */
function tamper(dir: string, sealed: boolean) {
  const file = snapshotFile(dir);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { checksum: string; body: string };
  const body = JSON.parse(stored.body);
  body.knowledge.entries[0].answer = 'TAMPERED';
  stored.body = JSON.stringify(body);
  if (sealed) stored.checksum = createHash('sha256').update(stored.body).digest('hex');
  writeFileSync(file, JSON.stringify(stored));
}

describe('the knowledge snapshot', () => {
  it('serves a restart from the snapshot while no file changes, and rebuilds when one does', () => {
    const kb = temp(copyRealKb());
    const snaps = temp(mkdtempSync(join(tmpdir(), 'orienta-snap-')));
    const first = loadKnowledge(kb, { snapshotDir: snaps }).knowledge;
    const again = loadKnowledge(kb, { snapshotDir: snaps }).knowledge;
    expect(again?.version).toBe(first?.version);
    expect(again?.entries).toEqual(first?.entries);
    expect(again?.entriesById.get(first?.entries[0]?.id ?? '')).toBe(again?.entries[0]);
    // (it is really read: a sealed change to the snapshot shows; nobody but us writes it)
    tamper(snaps, true);
    expect(loadKnowledge(kb, { snapshotDir: snaps }).knowledge?.entries[0]?.answer).toBe('TAMPERED');
    // a staff edit makes a new version: parsed again from the files
    editFile(kb, 'conversacion.yaml', (t) => t.replace('clarify_intro: "', 'clarify_intro: "Dime: '));
    const edited = loadKnowledge(kb, { snapshotDir: snaps }).knowledge;
    expect(edited?.version).not.toBe(first?.version);
    expect(edited?.entries[0]?.answer).toBe(first?.entries[0]?.answer);
    expect(edited?.conversation.clarify_intro).toMatch(/^Dime: /);
    expect(readdirSync(snaps).filter((f) => f.startsWith('knowledge-'))).toHaveLength(1);
  });

  it('ignores a damaged snapshot or one whose checksum does not match, and writes it again', () => {
    const kb = temp(copyRealKb());
    const snaps = temp(mkdtempSync(join(tmpdir(), 'orienta-snap-')));
    const real = loadKnowledge(kb, { snapshotDir: snaps }).knowledge;
    tamper(snaps, false);
    expect(loadKnowledge(kb, { snapshotDir: snaps }).knowledge?.entries[0]?.answer).toBe(real?.entries[0]?.answer);
    writeFileSync(snapshotFile(snaps), '{"checksum": "x", "bo');
    expect(loadKnowledge(kb, { snapshotDir: snaps }).knowledge?.entries[0]?.answer).toBe(real?.entries[0]?.answer);
    expect(() => JSON.parse(readFileSync(snapshotFile(snaps), 'utf8'))).not.toThrow();
  });

  it('is never written for a knowledge base with errors', () => {
    const kb = temp(copyRealKb());
    const snaps = temp(mkdtempSync(join(tmpdir(), 'orienta-snap-')));
    editFile(kb, 'conversacion.yaml', (t) => t.replace('clarify_intro:', 'clarify_intro_typo:'));
    expect(loadKnowledge(kb, { snapshotDir: snaps }).knowledge).toBeUndefined();
    expect(readdirSync(snaps)).toEqual([]);
  });
});
