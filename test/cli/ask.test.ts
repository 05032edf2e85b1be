import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/types.js';

const root = join(import.meta.dirname, '..', '..');

function ask(lines: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', '--json'], {
    cwd: root,
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { ...r, replies: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Reply) };
}

describe('ask --json (the eval contract)', () => {
  it('writes exactly one JSON reply per input line, in order, and nothing else on stdout', () => {
    const r = ask([
      JSON.stringify({ user: 'a', text: 'hola' }),
      JSON.stringify({ user: 'b', text: 'me duele el pecho y no puedo respirar' }),
      JSON.stringify({ user: 'a', text: 'como saco la credencial del imss bienestar' }),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
    expect(r.replies.map((x) => x.kind)).toEqual(['smalltalk', 'emergency', 'answer']);
    for (const reply of r.replies) {
      expect(Object.keys(reply)).toEqual(expect.arrayContaining(['kind', 'intent', 'text', 'options', 'sources', 'score']));
      expect(Array.isArray(reply.options)).toBe(true);
    }
    expect(r.replies[2]?.sources[0]).toMatchObject({ id: expect.any(String), document: expect.any(String) });
  });

  it('keeps one conversation per user, so follow-ups and menu numbers work', () => {
    const r = ask([
      JSON.stringify({ user: 'x', text: 'el imss bienestar en que estados esta' }),
      JSON.stringify({ user: 'y', text: 'menu' }),
      JSON.stringify({ user: 'x', text: 'y jalisco?' }),
      JSON.stringify({ user: 'y', text: '1' }),
    ]);
    expect(r.replies[2]?.text).toMatch(/Jalisco no está/);
    expect(r.replies[3]?.kind).toBe('clarify');
    expect(r.replies[3]?.intent).toBe('credencial');
  });

  it('takes a plain-text line as a message from a fresh user, and survives broken lines', () => {
    const r = ask(['hola buenas', '{"user": "z", "text": ', JSON.stringify({ user: 'z' })]);
    expect(r.status).toBe(0);
    expect(r.replies).toHaveLength(3);
    expect(r.replies[0]?.kind).toBe('smalltalk');
  });

  it('refuses to run on an invalid knowledge base, saying why on stderr', () => {
    const r = ask(['hola'], { KNOWLEDGE_DIR: join(root, 'test', 'fixtures', 'does-not-exist') });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    // (the loader's own words name the folder; ask adds what to do)
    expect(r.stderr).toContain('does-not-exist');
    expect(r.stderr).toContain('La base de conocimiento tiene errores: corríjalos (npm run kb:check).');
  });
});
