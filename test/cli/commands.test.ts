import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
// (an absolute loader, so a command can run from another working directory)
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs');

/** Runs `src/cli/<name>.ts` as `npm run` does (through tsx), in `cwd`. */
function run(name: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'src', 'cli', `${name}.ts`), ...args], {
    cwd: opts.cwd ?? root,
    encoding: 'utf8',
    input: opts.input ?? '',
    env: { ...process.env, ...opts.env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the command lines (parseArgs: --help, mistakes exit 2 with the usage)', () => {
  it('report --top abc is a mistake, not 20', () => {
    const r = run('report', ['--top', 'abc']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --top espera un número entero entre 1 y 1000; recibió «abc»\n\nuso: npm run report/);
  });

  it('report --help prints the usage on stdout and exits 0', () => {
    const r = run('report', ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^uso: npm run report \[-- --top N\]/);
    expect(r.stdout).toContain('--top N');
    expect(r.stderr).toBe('');
  });

  it('ask: --help, a misspelt option with a suggestion, a missing question', () => {
    const help = run('ask', ['-h']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--json');
    expect(help.stdout).toContain('--explain');
    const typo = run('ask', ['--jsn']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/^error: no conozco la opción --jsn \(¿quiso decir --json\?\)\n\nuso: npm run ask/);
    const none = run('ask', []);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^error: falta la pregunta/);
  });

  it('eval-sets, kb:cross-check, bench, loadtest and record-replies refuse bad values', () => {
    const cases: [string, string[], RegExp][] = [
      ['eval-sets', ['--min', '1.5', 'x.jsonl'], /--min espera un número entre 0 y 1; recibió «1\.5»/],
      ['eval-sets', [], /faltan los archivos de preguntas/],
      ['cross-check', ['--folds', 'muchos'], /--folds espera un número entero entre 2 y 50/],
      ['bench', ['--child', 'todo'], /--child espera engine, uncached, fuzz, nlpjs, plain, telegram; recibió «todo»/],
      ['loadtest', ['--requests', '0'], /--requests espera un número entero de 1 en adelante; recibió «0»/],
      ['record-replies', ['--write'], /no conozco la opción --write/],
    ];
    for (const [name, args, message] of cases) {
      const r = run(name, args);
      expect({ name, status: r.status }).toEqual({ name, status: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/\n\nuso: /);
    }
  });

  it('--help of record-replies prints the usage and records nothing', () => {
    const r = run('record-replies', ['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^uso: npm run record-replies/);
    expect(r.stdout).not.toMatch(/replies of .* conversations recorded/);
  });
});

describe('an optional .env in the working directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orienta-dotenv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { KNOWLEDGE_DIR: join(root, 'knowledge'), PORT: undefined, DATA_DIR: undefined, REDIS_URL: undefined };

  it('is read by report: a bad value in it answers in Spanish, and the real environment wins over it', () => {
    writeFileSync(join(dir, '.env'), `# local\nPORT=abc\nDATA_DIR=${join(dir, 'datos')}\n`);
    const bad = run('report', [], { cwd: dir, env });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Configuración inválida:\n  PORT: escriba un número entero entre 1 y 65535, p. ej. 3000');
    expect(bad.stderr).toContain('el archivo .env');
    const fixed = run('report', ['--top', '3'], { cwd: dir, env: { ...env, PORT: '8080' } });
    expect(fixed.stderr).toBe('');
    expect(fixed.status).toBe(0);
  });

  it('is optional: without it the defaults apply', () => {
    const empty = mkdtempSync(join(tmpdir(), 'orienta-nodotenv-'));
    try {
      const r = run('report', ['--top', '3'], { cwd: empty, env });
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
