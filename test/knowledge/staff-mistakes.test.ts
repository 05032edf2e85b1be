import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblems, loadKnowledge, type Problem } from '../../src/knowledge/load-knowledge.js';
import { watchKnowledge } from '../../src/staff/watch-knowledge.js';
import { editFile, loadOrThrow, makeMiniKb } from '../helpers/mini-kb.js';

// Each test makes one mistake the staff make when editing the YAML files, and asserts the single
// Spanish message they get: file, line, the line itself, and what to do.

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function afterEdit(file: string, edit: (t: string) => string): { problems: Problem[]; report: string; lineOf: (s: string) => number } {
  dir = makeMiniKb();
  editFile(dir, file, edit);
  const { knowledge, problems } = loadKnowledge(dir);
  expect(knowledge).toBeUndefined();
  const text = readFileSync(join(dir, file), 'utf8').split('\n');
  return { problems, report: formatProblems(problems), lineOf: (s) => text.findIndex((l) => l.includes(s)) + 1 };
}

const errors = (ps: Problem[]) => ps.filter((p) => p.severity === 'error');

describe('what the staff read when they make a mistake', () => {
  it('a misspelled field: one message, with the field it meant', () => {
    const { problems, lineOf } = afterEdit('topics/tramites.yaml', (t) =>
      t.replace('    answer: El código QR', '    anwser: El código QR'),
    );
    expect(errors(problems)).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: expect.stringContaining('tramites.yaml'),
      line: lineOf('anwser:'),
      entry: 'credencial-qr',
      message: 'campo desconocido «anwser»: ¿quiso decir «answer»?',
      excerpt: expect.stringContaining('anwser: El código QR'),
    });
  });

  it('a missing date names the field and how to write it', () => {
    const { problems } = afterEdit('topics/obras.yaml', (t) => t.replace(/\n\s+as_of: 2024-06-30/, ''));
    expect(errors(problems)).toEqual([
      expect.objectContaining({ entry: 'obras-imssb', field: 'as_of', message: 'falta el campo «as_of» (la fecha de los datos, como 2024-06-30)' }),
    ]);
    expect(problems[0]?.line).toBeGreaterThan(1);
  });

  it('a tab is named as a tab, once, at its line', () => {
    const { problems, report, lineOf } = afterEdit('topics/tramites.yaml', (t) => t.replace('    keywords: [qr, codigo]', '\tkeywords: [qr, codigo]'));
    const line = lineOf('\tkeywords');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(line);
    expect(problems[0]?.message).toMatch(new RegExp(`^la línea ${line} empieza con un tabulador; use espacios`));
    expect(report).toContain(`línea ${line}: «→keywords: [qr, codigo]»`);
  });

  it('a tab after some spaces is still a tab', () => {
    const { problems, lineOf } = afterEdit('topics/tramites.yaml', (t) => t.replace('    keywords: [qr, codigo]', '  \tkeywords: [qr, codigo]'));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain(`la línea ${lineOf('\tkeywords')} empieza con un tabulador`);
  });

  it('a bad indent says which line and how many spaces, once', () => {
    for (const spaces of ['     ', '   ']) {
      const { problems, lineOf } = afterEdit('topics/tramites.yaml', (t) => t.replace('    keywords: [qr, codigo]', `${spaces}keywords: [qr, codigo]`));
      const line = readFileSync(join(dir, 'topics/tramites.yaml'), 'utf8').split('\n').indexOf(`${spaces}keywords: [qr, codigo]`) + 1;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ line, excerpt: `${spaces}keywords: [qr, codigo]` });
      expect(problems[0]?.message).toBe(
        `la sangría de la línea ${line} no cuadra: empieza con ${spaces.length} espacios y los campos de arriba con 4; los campos de una misma entrada deben empezar en la misma columna`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unclosed quote points at the line that opens it', () => {
    const { problems, lineOf } = afterEdit('topics/tramites.yaml', (t) => t.replace('title: Vacuna de influenza', 'title: "Vacuna de influenza'));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(lineOf('"Vacuna de influenza'));
    expect(problems[0]?.message).toContain('se abren comillas (") que no se cierran');
  });

  it('a duplicate id names both places, and the related entries that break with it wait', () => {
    const { problems, lineOf } = afterEdit('topics/tramites.yaml', (t) => t.replace('  - id: credencial-qr', '  - id: vacuna-influenza'));
    // credencial-registro's `related: [credencial-qr]` now points nowhere: a follow-on, not said on its own
    expect(errors(problems)).toHaveLength(1);
    const first = lineOf('id: vacuna-influenza');
    const second = readFileSync(join(dir, 'topics/tramites.yaml'), 'utf8').split('\n').lastIndexOf('  - id: vacuna-influenza') + 1;
    expect(first).not.toBe(second);
    expect(problems[0]?.message).toMatch(
      new RegExp(`^el id «vacuna-influenza» está dos veces: en .*tramites\\.yaml, línea ${first} y en .*tramites\\.yaml, línea ${second} \\(esta\\)`),
    );
    expect(problems[0]?.message).toContain('un «related» apunta a un id que no existe');
    expect(problems[0]?.line).toBe(second);
  });

  it('a date that does not exist, or written with slashes: one message each', () => {
    const bad = afterEdit('topics/obras.yaml', (t) => t.replace('as_of: 2024-06-30', 'as_of: 2024-02-30'));
    expect(errors(bad.problems)).toEqual([
      expect.objectContaining({ field: 'as_of', line: bad.lineOf('2024-02-30'), message: 'la fecha 2024-02-30 no existe en el calendario; revise el día y el mes (AAAA-MM-DD)' }),
    ]);
    rmSync(dir, { recursive: true, force: true });
    const slashes = afterEdit('topics/obras.yaml', (t) => t.replace('as_of: 2024-06-30', 'as_of: 2024/02/03'));
    expect(errors(slashes.problems)).toEqual([
      expect.objectContaining({ field: 'as_of', message: '«2024/02/03» no es una fecha como la esperamos: escríbala AAAA-MM-DD, por ejemplo 2024-06-30' }),
    ]);
  });

  it('a phone number in an answer is refused, and masked in the report', () => {
    const { problems, report, lineOf } = afterEdit('topics/tramites.yaml', (t) => t.replace('pregunta en imss.gob.mx.', 'llama al 55 1234 5678.'));
    expect(errors(problems)).toEqual([
      expect.objectContaining({ entry: 'guarderia-requisitos', field: 'answer', line: lineOf('55 1234 5678'), message: expect.stringContaining('parece un número de teléfono') }),
    ]);
    expect(problems[0]?.excerpt).toContain('llama al ## #### ####.');
    expect(report).not.toMatch(/\d{4} \d{4}/);
  });

  it('a phone number inside a text of several lines points at its own line', () => {
    const { problems, lineOf } = afterEdit('topics/tramites.yaml', (t) =>
      t.replace('    answer: Los informes no traen los requisitos de la guardería; pregunta en imss.gob.mx.', '    answer: >\n      Los informes no traen los requisitos.\n      Llama al 5512345678 para más.'),
    );
    expect(errors(problems)).toEqual([expect.objectContaining({ field: 'answer', line: lineOf('5512345678'), excerpt: '      Llama al ########## para más.' })]);
  });

  it('a state that does not exist suggests the one it meant', () => {
    const { problems, lineOf } = afterEdit('units/obras.yaml', (t) => t.replace('state: Nayarit', 'state: Nayarrit'));
    expect(errors(problems)).toEqual([
      expect.objectContaining({
        entry: 'hg-tepic',
        field: 'state',
        line: lineOf('state: Nayarrit'),
        excerpt: '    state: Nayarrit',
        message: '«Nayarrit» no es un estado de states.yaml: ¿quiso decir «Nayarit»?',
      }),
    ]);
  });

  it('a file over the size cap is refused before it is parsed', () => {
    dir = makeMiniKb();
    editFile(dir, 'topics/obras.yaml', (t) => t + `# ${'x'.repeat(3 * 1024 * 1024)}\n`);
    const { knowledge, problems } = loadKnowledge(dir);
    expect(knowledge).toBeUndefined();
    expect(problems).toEqual([
      expect.objectContaining({ file: expect.stringContaining('obras.yaml'), message: expect.stringMatching(/^el archivo pesa 3\.0 MB y el máximo es 2\.0 MB; no lo leo/) }),
    ]);
    expect(loadKnowledge(dir, { maxFileBytes: 4 * 1024 * 1024 }).knowledge).toBeDefined();
  });

  it('hot reload refuses the edit with the same words as kb:check', () => {
    dir = makeMiniKb();
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) });
    const watcher = watchKnowledge({ dir, version: loadOrThrow(dir).version, log, onReload: () => undefined });
    editFile(dir, 'topics/tramites.yaml', (t) => t.replace('    keywords: [qr, codigo]', '\tkeywords: [qr, codigo]'));
    expect(watcher.check()).toBe('rejected');
    const report = lines.find((l) => l.level === 50)?.report;
    expect(report).toBe(formatProblems(loadKnowledge(dir).problems));
    expect(String(report)).toContain('empieza con un tabulador; use espacios');
  });
});
