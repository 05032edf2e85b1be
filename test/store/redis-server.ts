import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { makeMiniKb } from '../helpers/mini-kb.js';

const BINARY = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p)) ?? (process.env.CI ? 'redis-server' : undefined);

/**
 * Whether the Redis tests run: always under CI (where `.ci/run` installs redis-server, so a
 * missing binary fails loudly); elsewhere only when redis-server is installed.
 */
export const REDIS_AVAILABLE = Boolean(BINARY) || Boolean(process.env.CI);
export const REDIS_SKIP_REASON = 'redis-server is not installed (apt-get install -y redis-server): Redis tests skipped';
if (!REDIS_AVAILABLE) console.warn(REDIS_SKIP_REASON);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface TestRedis {
  url: string;
  /** A new client (closed by `stop`). */
  client(): Redis;
  /** Freezes the server process (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
  /** Kills the server (SIGKILL) and waits until it is gone: connections drop. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** A real, throw-away redis-server on an ephemeral loopback port, without persistence. */
export async function startRedis(): Promise<TestRedis> {
  if (!BINARY) throw new Error('redis-server not found: install it (apt-get install -y redis-server)');
  const port = await freePort();
  const proc: ChildProcess = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis(url, { maxRetriesPerRequest: 1 });
    clients.push(c);
    return c;
  };
  // Wait until it answers PING.
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch {
      probe.disconnect();
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  probe.disconnect();
  return {
    url,
    client,
    pause: () => void proc.kill('SIGSTOP'),
    resume: () => void proc.kill('SIGCONT'),
    async kill() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      const alive = proc.exitCode === null && proc.signalCode === null;
      if (alive) proc.kill('SIGCONT');
      await Promise.all(clients.map((c) => (alive ? c.quit().catch(() => c.disconnect()) : c.disconnect())));
      if (alive) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/**
 * For a suite: a real redis-server and a mini knowledge base in a temporary folder, ready before
 * its tests and removed after them. Read the fields inside tests and hooks, not while declaring.
 */
export function useRedisAndMiniKb(): { redis: TestRedis; dir: string } {
  const suite = {} as { redis: TestRedis; dir: string };
  beforeAll(async () => {
    suite.redis = await startRedis();
    suite.dir = makeMiniKb();
  });
  afterAll(async () => {
    await suite.redis?.stop();
    if (suite.dir) rmSync(suite.dir, { recursive: true, force: true });
  });
  return suite;
}
