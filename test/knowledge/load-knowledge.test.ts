import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatProblems, loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { editFile, makeMiniKb } from '../helpers/mini-kb.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function problemsAfter(file: string, edit: (t: string) => string) {
  dir = makeMiniKb();
  editFile(dir, file, edit);
  return loadKnowledge(dir);
}

describe('loadKnowledge', () => {
  it('loads a valid knowledge base with no problems', () => {
    dir = makeMiniKb();
    const { knowledge, problems } = loadKnowledge(dir);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(knowledge?.entries.map((e) => e.id)).toContain('credencial-registro');
    expect(knowledge?.units).toHaveLength(3);
  });

  it('names file, entry, field and line when a required field is missing', () => {
    const { knowledge, problems } = problemsAfter('topics/tramites.yaml', (t) =>
      t.replace('    as_of: 2024-06-30\n    related: [credencial-qr]', '    related: [credencial-qr]'),
    );
    expect(knowledge).toBeUndefined();
    expect(problems).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        file: expect.stringContaining('tramites.yaml'),
        entry: 'credencial-registro',
        field: 'as_of',
        message: expect.stringContaining('falta el campo «as_of»'),
      }),
    );
    expect(problems[0]?.line).toBeGreaterThan(1);
  });

  it('reports a misspelled field instead of ignoring it', () => {
    const { problems } = problemsAfter('topics/tramites.yaml', (t) => t.replace('    keywords: [qr, codigo]', '    keyword: [qr, codigo]'));
    expect(problems).toContainEqual(
      expect.objectContaining({ entry: 'credencial-qr', message: expect.stringContaining('campo desconocido «keyword»') }),
    );
  });

  it('explains a badly written date', () => {
    const { problems } = problemsAfter('topics/obras.yaml', (t) => t.replace('as_of: 2024-06-30', 'as_of: 30/06/2024'));
    expect(problems).toContainEqual(
      expect.objectContaining({ entry: 'obras-imssb', field: 'as_of', message: expect.stringContaining('AAAA-MM-DD') }),
    );
  });

  it('rejects an institution that does not exist, listing the allowed values', () => {
    const { problems } = problemsAfter('topics/tramites.yaml', (t) => t.replace('institutions: [IMSS]', 'institutions: [IMSSS]'));
    expect(formatProblems(problems)).toMatch(
      /guarderia-requisitos › institutions\.0: valor no permitido; use uno de: IMSS-BIENESTAR, IMSS, ISSSTE, SECTOR/,
    );
  });

  it('rejects a source document that is not in sources.yaml', () => {
    const { problems } = problemsAfter('topics/obras.yaml', (t) => t.replace('document: imssb-semestral-2024', 'document: informe-x'));
    expect(formatProblems(problems)).toMatch(/obras-imssb › source\.document: no existe el informe «informe-x»/);
  });

  it('refuses phone numbers and e-mail addresses in answers', () => {
    const { knowledge, problems } = problemsAfter('topics/tramites.yaml', (t) =>
      t.replace('pregunta en imss.gob.mx.', 'llama al 55 1234 5678 o escribe a citas@imss.gob.mx.'),
    );
    expect(knowledge).toBeUndefined();
    const msgs = problems.filter((p) => p.entry === 'guarderia-requisitos').map((p) => p.message);
    expect(msgs.some((m) => m.includes('teléfono'))).toBe(true);
    expect(msgs.some((m) => m.includes('correo'))).toBe(true);
  });

  it('refuses a duplicate id', () => {
    const { problems } = problemsAfter('topics/obras.yaml', (t) => t.replace('id: obras-imssb', 'id: credencial-qr'));
    expect(problems).toContainEqual(
      expect.objectContaining({ severity: 'error', field: 'id', message: expect.stringContaining('está dos veces') }),
    );
  });

  it('refuses a related id or a unit state that does not exist', () => {
    const { problems } = problemsAfter('units/obras.yaml', (t) => t.replace('state: Nayarit', 'state: Nayarrit'));
    expect(problems).toContainEqual(expect.objectContaining({ entry: 'hg-tepic', field: 'state' }));
    const r = problemsAfter('topics/tramites.yaml', (t) => t.replace('related: [credencial-qr]', 'related: [credencial-qrr]'));
    expect(r.problems).toContainEqual(expect.objectContaining({ field: 'related', message: expect.stringContaining('credencial-qrr') }));
  });

  it('reports broken YAML with its line, in plain words', () => {
    const { knowledge, problems } = problemsAfter('topics/obras.yaml', (t) => t.replace('title: Obras de IMSS-BIENESTAR', 'title: "Obras de IMSS-BIENESTAR'));
    expect(knowledge).toBeUndefined();
    expect(problems[0]?.message).toMatch(/se abren comillas .* que no se cierran/);
    expect(problems[0]?.line).toBeGreaterThan(0);
  });

  it('warns, without failing, about long answers and questions shared by two entries', () => {
    const { knowledge, problems } = problemsAfter('topics/tramites.yaml', (t) =>
      t
        .replace('      - que tiene el codigo qr', '      - como saco la credencial')
        .replace('answer: El código QR', `answer: ${'Texto largo. '.repeat(70)}El código QR`),
    );
    expect(knowledge).toBeDefined();
    const warnings = problems.filter((p) => p.severity === 'warning');
    expect(warnings.some((w) => w.field === 'questions' && w.message.includes('credencial-registro'))).toBe(true);
    expect(warnings.some((w) => w.field === 'answer' && w.message.includes('caracteres'))).toBe(true);
  });

  it('reports a missing required file', () => {
    dir = makeMiniKb();
    rmSync(join(dir, 'emergencias.yaml'));
    const { knowledge, problems } = loadKnowledge(dir);
    expect(knowledge).toBeUndefined();
    expect(problems).toContainEqual(expect.objectContaining({ message: 'falta este archivo en la carpeta de conocimiento' }));
  });

  it('changes its version when a file changes', () => {
    dir = makeMiniKb();
    const before = loadKnowledge(dir).knowledge?.version;
    editFile(dir, 'topics/obras.yaml', (t) => t.replace('21 establecimientos', '21 establecimientos de salud'));
    expect(loadKnowledge(dir).knowledge?.version).not.toBe(before);
  });
});
