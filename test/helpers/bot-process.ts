import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tsxLoader = join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

/** `src/main.ts` as a real process on `dataDir` (web only), once it listens; its output in `output()`. */
export async function startBot(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', tsxLoader, join(root, 'src', 'main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ENGINE_WORKERS: '0', TELEGRAM_BOT_TOKEN: '', WHATSAPP_ENABLED: '', REDIS_URL: '', STAFF_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  await expect.poll(() => (child.exitCode !== null ? `exited: ${out}` : out), { timeout: 30_000, interval: 50 }).toContain('http server listening');
  return { child, port, output: () => out };
}
