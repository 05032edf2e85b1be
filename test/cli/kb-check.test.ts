import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { editFile, makeMiniKb } from '../helpers/mini-kb.js';

const root = join(import.meta.dirname, '..', '..');
const kbCheck = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/kb-check.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, SOURCES_DIR: '/nonexistent', CI: '' } });

describe('npm run kb:check', () => {
  it('prints its usage for --help instead of checking a folder named --help', () => {
    const r = kbCheck(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^uso: npm run kb:check/);
    expect(r.stdout).not.toMatch(/falta este archivo/);
    expect(kbCheck(['--max-mb', 'x']).status).toBe(2);
  });

  it('prints one located message, with the line, for a tab in a folder given on the command line', () => {
    const dir = makeMiniKb();
    try {
      editFile(dir, 'topics/tramites.yaml', (t) => t.replace('    keywords: [qr, codigo]', '\tkeywords: [qr, codigo]'));
      const r = kbCheck([dir]);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/ERROR {2}\S*tramites\.yaml:23: la línea 23 empieza con un tabulador; use espacios/);
      expect(r.stdout).toContain('línea 23: «→keywords: [qr, codigo]»');
      expect(r.stdout).toContain('tiene 1 error(es)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
