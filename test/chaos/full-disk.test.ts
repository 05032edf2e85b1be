import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBot } from '../helpers/bot-process.js';

// A real full disk: a 512 KiB tmpfs, filled to the last byte. Mounting needs root (CI runs as
// root); elsewhere test/web/disk-full.test.ts covers the same with a simulated ENOSPC.
const mountPoint = mkdtempSync(join(tmpdir(), 'orienta-full-'));
const canMount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mountPoint]).status === 0;

function fill(dir: string) {
  // (until the disk says no: a big write, then small ones into the last blocks)
  for (const size of [1 << 20, 4096, 512, 64, 1]) {
    for (let i = 0; ; i++) {
      try {
        writeFileSync(join(dir, `fill-${size}-${i}`), Buffer.alloc(size));
      } catch {
        break;
      }
    }
  }
}
const tmpFiles = (dir: string) => readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.tmp'));

describe.skipIf(!canMount)('a full disk under DATA_DIR (real tmpfs)', () => {
  afterAll(() => {
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('starts, answers every citizen, says "degraded" in /healthz and leaves no half or stray file', async () => {
    const data = join(mountPoint, 'data');
    mkdirSync(data);
    fill(mountPoint);
    const bot = await startBot(data);
    try {
      const base = `http://127.0.0.1:${bot.port}`;
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${base}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: `lleno-${i}`, text: i === 0 ? 'mi papa no respira' : 'asdf qwer zxcv' }),
        });
        expect(res.status).toBe(200);
        const reply = (await res.json()) as { kind: string; text: string };
        expect(reply.text.length).toBeGreaterThan(20);
        if (i === 0) expect(reply.text).toContain('911');
      }
      const health = async () => (await (await fetch(`${base}/healthz`)).json()) as { status: string; staffStore: string; sessions: string };
      // (sessions are saved a moment after the message)
      await expect.poll(health, { timeout: 5_000, interval: 100 }).toMatchObject({ status: 'degraded', staffStore: 'degraded', sessions: 'degraded' });
      expect(bot.child.exitCode).toBeNull();
      expect(tmpFiles(mountPoint)).toEqual([]);
      expect(bot.output()).toContain('no space left on device');
      expect(bot.output()).not.toMatch(/^\s+at /m); // one readable line per fault, not a raw stack
    } finally {
      bot.child.kill('SIGKILL');
    }
  }, 60_000);
});
