import * as fs from 'node:fs';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStaffStore, optOutPath, type StaffFs } from '../../src/staff/create-staff-store.js';

const DAY = 86_400_000;
const key = Buffer.alloc(32, 7);
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-faults-'));
  return { dir, path: join(dir, 'staff-events.jsonl') };
};
const logs = () => {
  const seen: { level: string; msg: string }[] = [];
  return { seen, log: { warn: (_o: unknown, msg?: string) => seen.push({ level: 'warn', msg: String(msg) }), error: (_o: unknown, msg?: string) => seen.push({ level: 'error', msg: String(msg) }) } };
};
const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
const ask = (n: number) => ({ userId: `web:u${n}`, outcome: 'unanswered' as const, intent: 'desconocido', text: `pregunta ${n}`, score: 0 });

describe('the staff store on a failing disk', () => {
  it('an unreadable file is an error, never "empty": logged, not compacted, appended to', () => {
    const { path } = fresh();
    const old = createStaffStore({ path, key, now: () => 10 * DAY });
    for (let i = 0; i < 5; i++) old.recordQuestion(ask(i));
    const before = readFileSync(path, 'utf8');
    const { seen, log } = logs();
    const failingFs: StaffFs = { ...fs, openSync: ((p: string, flags: string) => (p === path && flags === 'r' ? (() => { throw errno('EACCES'); })() : fs.openSync(p, flags))) as typeof fs.openSync };
    const store = createStaffStore({ path, key, now: () => 11 * DAY, fs: failingFs, log });
    expect(store.degraded).toBe(true);
    expect(seen.some((l) => l.level === 'error' && /could not read/.test(l.msg))).toBe(true);
    store.compact();
    store.forget('web:u1');
    store.recordQuestion(ask(9));
    const after = readFileSync(path, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.length).toBeGreaterThan(before.length);
  });

  it('a torn last line is skipped with a warning, the rest kept', () => {
    const { path } = fresh();
    createStaffStore({ path, key }).recordQuestion(ask(1));
    appendFileSync(path, '{"type":"quest');
    const { seen, log } = logs();
    const store = createStaffStore({ path, key, log });
    expect(store.events()).toHaveLength(1);
    expect(store.degraded).toBe(false);
    expect(seen.some((l) => l.level === 'warn' && /torn last line/.test(l.msg))).toBe(true);
  });

  it('ENOSPC while recording never throws: the store flips degraded, then recovers', () => {
    const { path, dir } = fresh();
    let full = true;
    const { seen, log } = logs();
    const diskFs: StaffFs = {
      ...fs,
      appendFileSync: ((...a: Parameters<typeof fs.appendFileSync>) => (full ? (() => { throw errno('ENOSPC'); })() : fs.appendFileSync(...a))) as typeof fs.appendFileSync,
      writeSync: ((...a: Parameters<typeof fs.writeSync>) => (full ? (() => { throw errno('ENOSPC'); })() : (fs.writeSync as (...x: unknown[]) => number)(...a))) as typeof fs.writeSync,
    };
    const store = createStaffStore({ path, key, fs: diskFs, log });
    expect(() => store.recordQuestion(ask(1))).not.toThrow();
    expect(() => store.firstContact('web:u1')).not.toThrow();
    expect(() => store.optOut('web:u2')).not.toThrow();
    expect(() => store.compact()).not.toThrow();
    expect(store.degraded).toBe(true);
    expect(seen.filter((l) => l.level === 'error')).toHaveLength(1); // told once, not per message
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(store.isOptedOut('web:u2')).toBe(true); // kept in memory at least
    full = false;
    store.recordQuestion(ask(3));
    expect(store.degraded).toBe(false);
  });

  it('keeps opt-outs in their own file, and reads older ones kept among the events', () => {
    const { path } = fresh();
    const store = createStaffStore({ path, key });
    store.recordQuestion(ask(1));
    store.optOut('web:u1');
    expect(readFileSync(optOutPath(path), 'utf8')).toContain('"optout"');
    expect(readFileSync(path, 'utf8')).not.toContain('optout');
    expect(createStaffStore({ path, key }).isOptedOut('web:u1')).toBe(true);
    // The opt-out file alone says it, even if the events file is lost.
    writeFileSync(path, '');
    expect(createStaffStore({ path, key }).isOptedOut('web:u1')).toBe(true);
    store.optIn('web:u1');
    expect(createStaffStore({ path, key }).isOptedOut('web:u1')).toBe(false);
    // Legacy: an opt-out marker in the events file.
    const legacy = fresh();
    const user = store.pseudonym('web:old');
    writeFileSync(legacy.path, `${JSON.stringify({ type: 'optout', at: 1, user })}\n`);
    expect(createStaffStore({ path: legacy.path, key }).isOptedOut('web:old')).toBe(true);
    expect(readFileSync(optOutPath(legacy.path), 'utf8')).toContain(user);
  });

  it('bounds the file size: past maxBytes the oldest records go', () => {
    const { path } = fresh();
    const store = createStaffStore({ path, key, maxBytes: 20_000 });
    for (let i = 0; i < 1_000; i++) store.recordQuestion(ask(i));
    expect(statSync(path).size).toBeLessThanOrEqual(20_000 + 500);
    const texts = store.events().map((e) => (e.type === 'question' ? e.text : ''));
    expect(texts).toContain('pregunta 999');
    expect(texts).not.toContain('pregunta 0');
  });

  it('in a real read-only folder, records are lost but nothing throws (skipped as root)', (ctx) => {
    if (process.getuid?.() === 0) ctx.skip();
    const { path, dir } = fresh();
    createStaffStore({ path, key }).recordQuestion(ask(1));
    chmodSync(dir, 0o500);
    chmodSync(path, 0o400);
    try {
      const store = createStaffStore({ path, key });
      expect(() => store.recordQuestion(ask(2))).not.toThrow();
      expect(() => store.compact()).not.toThrow();
      expect(store.degraded).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
