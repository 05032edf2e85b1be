import { mkdtempSync, readFileSync } from 'node:fs';
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
    expect(Object.keys(JSON.parse(readFileSync(path, 'utf8')))).toEqual(['live']);
    const second = createMemorySessionStore({ ttlMs: 1000, snapshotPath: path, now: () => now });
    expect((await second.get('live'))?.topic).toBe('vacunas');
  });
});
