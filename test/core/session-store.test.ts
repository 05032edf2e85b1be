import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../../src/core/session-store.js';

describe('memory session store', () => {
  it('forgets a session after its time-to-live', async () => {
    let now = 0;
    const store = createMemorySessionStore({ ttlMs: 1000, now: () => now });
    await store.set('u', { topic: 'credencial', updatedAt: 0 });
    now = 999;
    expect((await store.get('u'))?.topic).toBe('credencial');
    now = 1000;
    expect(await store.get('u')).toBeUndefined();
  });

  it('drops the oldest sessions beyond its size limit', async () => {
    const store = createMemorySessionStore({ ttlMs: 1e9, maxSessions: 2, now: () => 0 });
    for (const u of ['a', 'b', 'c']) await store.set(u, { updatedAt: 0 });
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
  });

  it('keeps live conversations across a restart through its snapshot file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'orienta-sessions-')), 'sessions.json');
    let now = 0;
    const first = createMemorySessionStore({ ttlMs: 1000, snapshotPath: path, now: () => now });
    await first.set('live', { topic: 'vacunas', updatedAt: 500 });
    await first.set('stale', { topic: 'imss', updatedAt: 0 });
    now = 900;
    await first.set('stale', { topic: 'imss', updatedAt: -200 });
    await first.close();
    // (one session, filed under a pseudonym of the user id, not the id itself)
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')))).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).not.toContain('live');
    const second = createMemorySessionStore({ ttlMs: 1000, snapshotPath: path, now: () => now });
    expect((await second.get('live'))?.topic).toBe('vacunas');
  });

  it('writes a change to its file within saveEveryMs, without waiting for close, mode 600', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'orienta-sessions-')), 'sessions.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    const store = createMemorySessionStore({ ttlMs: 60_000, snapshotPath: path, saveEveryMs: 50 });
    await store.set('whatsapp:5215512345678@s.whatsapp.net', { topic: 'vacunas', updatedAt: Date.now() });
    await expect.poll(() => readFileSync(path, 'utf8'), { timeout: 1000, interval: 5 }).toContain('vacunas');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).not.toContain('5215512345678');
    // Read back by another store (as after a crash), and found by the same user id.
    const again = createMemorySessionStore({ ttlMs: 60_000, snapshotPath: path });
    expect((await again.get('whatsapp:5215512345678@s.whatsapp.net'))?.topic).toBe('vacunas');
    // A deletion reaches the file too.
    await store.delete('whatsapp:5215512345678@s.whatsapp.net');
    await expect.poll(() => readFileSync(path, 'utf8'), { timeout: 1000, interval: 5 }).toBe('{}');
    await store.close();
  });

  it('tells when a save fails and when saving works again, leaving no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orienta-sessions-'));
    // A directory where the file should be: every write fails, as on a full or read-only disk.
    const path = join(dir, 'sessions.json');
    mkdirSync(path);
    const told: string[] = [];
    const store = createMemorySessionStore({ ttlMs: 60_000, snapshotPath: path, saveEveryMs: 20, onSaveError: () => told.push('error'), onSaved: () => told.push('saved') });
    await store.set('web:a', { topic: 'vacunas', updatedAt: Date.now() });
    await expect.poll(() => told, { timeout: 1000, interval: 5 }).toEqual(['error']);
    expect(readdirSync(dir)).toEqual(['sessions.json']);
    rmSync(path, { recursive: true });
    await new Promise((r) => setTimeout(r, 30));
    await store.set('web:a', { topic: 'credencial', updatedAt: Date.now() });
    await expect.poll(() => told, { timeout: 1000, interval: 5 }).toEqual(['error', 'saved']);
    expect(readFileSync(path, 'utf8')).toContain('credencial');
    await store.close();
  });

  it('saves a burst of changes in one write, not one per message', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'orienta-sessions-')), 'sessions.json');
    const store = createMemorySessionStore({ ttlMs: 60_000, snapshotPath: path, saveEveryMs: 60_000 });
    await store.set('a', { topic: 'uno', updatedAt: Date.now() });
    await expect.poll(() => readFileSync(path, 'utf8'), { timeout: 1000, interval: 5 }).toContain('uno');
    // (the first change went out at once; the next ones wait for the interval, or for close)
    await store.set('b', { topic: 'dos', updatedAt: Date.now() });
    await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(path, 'utf8')).not.toContain('dos');
    await store.close();
    expect(readFileSync(path, 'utf8')).toContain('dos');
  });
});
