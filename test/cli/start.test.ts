/**
 * How the bot is started and shipped: `npm start` execs node (a SIGTERM to npm reaches it and
 * leaves nothing running), its prestart builds only when src/ changed, and in a tree without
 * src/ (the Docker image's) it builds nothing and every CLI runs as compiled JavaScript.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const linux = process.platform === 'linux';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** The live children of `pid` (from /proc): pid and command line. */
function childrenOf(pid: number): { pid: number; argv: string[] }[] {
  const out: { pid: number; argv: string[] }[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid && state !== 'Z') out.push({ pid: Number(name), argv: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Whether `pid` is still a running (not zombie) process. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

describe.runIf(linux)('npm start and the image (a tree with dist/ and no src/)', () => {
  const app = mkdtempSync(join(tmpdir(), 'orienta-image-'));
  const data = join(app, 'data');
  const started: ChildProcess[] = [];

  beforeAll(() => {
    // As the Dockerfile's runtime stage: package.json, dist/, scripts/, knowledge/ and node_modules.
    spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(app, 'dist'), '--tsBuildInfoFile', join(app, 'dist', '.tsbuildinfo')],
      { cwd: root, encoding: 'utf8' },
    );
    expect(existsSync(join(app, 'dist', 'main.js'))).toBe(true);
    cpSync(join(root, 'package.json'), join(app, 'package.json'));
    cpSync(join(root, 'scripts'), join(app, 'scripts'), { recursive: true });
    symlinkSync(join(root, 'knowledge'), join(app, 'knowledge'));
    symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'));
    mkdirSync(data);
  }, 240_000);
  afterAll(() => {
    for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(app, { recursive: true, force: true });
  });

  it('npm start builds nothing, runs node in place of the shell, and a SIGTERM to npm stops node', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      cwd: app,
      env: { ...process.env, PORT: String(port), DATA_DIR: data, ENGINE_WORKERS: '0', LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '', WHATSAPP_ENABLED: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    started.push(npm);
    let out = '';
    npm.stdout.on('data', (d) => (out += d));
    npm.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => npm.on('exit', (code) => r(code)));
    await expect.poll(() => out, { timeout: 30_000 }).toContain('http server listening');
    expect(out).not.toMatch(/[Cc]ompilando/);

    // npm → node directly: `exec` replaced the shell, so npm's forwarded signal reaches node.
    const kids = childrenOf(npm.pid as number);
    expect(kids).toHaveLength(1);
    const node = kids[0] as { pid: number; argv: string[] };
    const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    expect(node.argv).toEqual([expect.stringMatching(/node$/), ...start.replace(/^exec node /, '').split(/\s+/)]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).ok).toBe(true);

    npm.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect.poll(() => alive(node.pid), { timeout: 10_000 }).toBe(false);
    expect(out).toContain('"signal":"SIGTERM"');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('runs the CLIs from dist/ with plain node (no tsx, no src/)', () => {
    // (not under CI's rule that the citations must be checked: the reports are not in the image)
    const { CI: _ci, SOURCES_DIR: _sources, KNOWLEDGE_DIR: _knowledge, ...env } = process.env;
    const node = (args: string[], input = '') => spawnSync(process.execPath, args, { cwd: app, input, encoding: 'utf8', env: { ...env, DATA_DIR: data }, timeout: 60_000 });
    const ask = node(['dist/cli/ask.js', '--json'], `${JSON.stringify({ user: 'a', text: 'hola' })}\n`);
    expect(ask.status).toBe(0);
    expect((JSON.parse(ask.stdout) as { kind: string }).kind).toBe('smalltalk');
    const report = node(['dist/cli/report.js', '--top', '3']);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    const check = node(['dist/cli/kb-check.js']);
    expect({ status: check.status, stdout: check.stdout }).toMatchObject({ status: 0, stdout: expect.stringMatching(/válida/) });
    expect(node(['dist/cli/ask.js', '--help']).status).toBe(0);
    expect(node(['dist/cli/report.js', '--top', 'abc']).status).toBe(2);
  }, 120_000);
});

describe.runIf(linux)("npm start's prestart (scripts/build-if-stale.mjs)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-stale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const builds = () => (existsSync(join(dir, 'builds.log')) ? readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length : 0);
  const prestart = () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-if-stale.mjs')], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    return r;
  };
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);

  beforeAll(() => {
    // A project whose `npm run build` writes dist/ and tsc's state file, and counts its runs.
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'stale-fixture', private: true, scripts: { build: 'node build.mjs' } }),
    );
    writeFileSync(
      join(dir, 'build.mjs'),
      "import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist', { recursive: true });\nwriteFileSync('dist/main.js', '');\nwriteFileSync('dist/.tsbuildinfo', '{}');\nappendFileSync('builds.log', 'built\\n');\n",
    );
    mkdirSync(join(dir, 'src', 'core'), { recursive: true });
    writeFileSync(join(dir, 'src', 'core', 'a.ts'), 'export const a = 1;\n');
    utimesSync(join(dir, 'src', 'core', 'a.ts'), ago(120), ago(120));
  });

  it('builds when there is no dist/, then skips while dist/ is newer than src/', () => {
    expect(prestart().stderr).toContain('Compilando src/ a dist/');
    expect(builds()).toBe(1);
    const again = prestart();
    expect(again.stderr).toBe('');
    expect(builds()).toBe(1);
  });

  it('builds again when a source file (at any depth) changed after the last build, and only once', () => {
    utimesSync(join(dir, 'dist', '.tsbuildinfo'), ago(60), ago(60));
    utimesSync(join(dir, 'src', 'core', 'a.ts'), ago(30), ago(30));
    expect(prestart().stderr).toContain('src/ cambió desde la última compilación');
    expect(builds()).toBe(2);
    prestart();
    expect(builds()).toBe(2);
  });

  it('builds again when the outputs are gone, and never without src/ (the image)', () => {
    rmSync(join(dir, 'dist', 'main.js'));
    prestart();
    expect(builds()).toBe(3);
    rmSync(join(dir, 'src'), { recursive: true });
    rmSync(join(dir, 'dist'), { recursive: true });
    expect(prestart().stderr).toBe('');
    expect(builds()).toBe(3);
  });
});
