import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import {
  checkCitations,
  checkKnowledgeCitations,
  claimsOf,
  datesOf,
  figuresOf,
  markOf,
  parseCited,
  sourcesDir,
} from '../../src/knowledge/citations.js';
import type { Source } from '../../src/knowledge/schema.js';
import { copyRealKb, editFile, loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

const dirs: string[] = [];
const temp = (d: string) => (dirs.push(d), d);
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A one-report folder: line 1 a heading, line 2 the figures and names the records cite. */
function reportFolder(text = 'Informe de prueba\nEl Hospital General de Tlaxiaco tiene 6,089,914,040 pesos y 38.5 % (U013).\n') {
  const dir = temp(mkdtempSync(join(tmpdir(), 'orienta-sources-')));
  writeFileSync(join(dir, '007_prueba.txt'), text);
  const source: Source = {
    id: 'prueba',
    title: 'Informe de prueba',
    short: 'Prueba',
    issuer: 'Nadie',
    date: '2024-06-30',
    file: '007_prueba.txt',
    sha256: createHash('sha256').update(text).digest('hex'),
  };
  return { dir, source };
}

const record = (text: string, lines?: string) => ({
  file: 'topics/x.yaml',
  id: 'x',
  lines,
  fields: [{ field: 'answer', segments: parseCited(text).segments }],
});

describe('citation marks', () => {
  it('are taken out of what the citizen reads; a general mark leaves its reason in brackets', () => {
    const r = parseCited('Tiene 90 camas [003:362-388, 973; 001:5]. Está en Tapachula [general: ubicación aproximada].');
    expect(r.text).toBe('Tiene 90 camas. Está en Tapachula (ubicación aproximada).');
    expect(r.segments[0]?.cites).toEqual([
      { code: '003', from: 362, to: 388 },
      { code: '003', from: 973, to: 973 },
      { code: '001', from: 5, to: 5 },
    ]);
    expect(r.segments[1]?.general).toBe('ubicación aproximada');
    expect(r.problems).toEqual([]);
  });

  it('reports a mark it cannot read instead of guessing', () => {
    const r = parseCited('Tiene 90 camas [03 362].');
    expect(r.problems[0]).toMatch(/«\[03 362\]» no se entiende/);
    expect(r.text).toBe('Tiene 90 camas.');
  });
});

describe('the claims a text makes', () => {
  it('are its figures, URLs, codes and proper names, not the first word of a sentence', () => {
    const claims = claimsOf('El 38.5 % de 6,089,914,040 pesos (U013) va al HRAE del Bajío. Visita imssbienestar.gob.mx.');
    expect(claims.map((c) => `${c.kind}:${c.text}`)).toEqual([
      'url:imssbienestar.gob.mx',
      'figure:38.5',
      'figure:6,089,914,040',
      'code:U013',
      'name:HRAE',
      'name:Bajío',
    ]);
  });
});

describe('the figures of a text', () => {
  it('are read as a report writes them: separators, misprints, millions, hours; item numbers are not figures', () => {
    const forms = (t: string) => figuresOf(t).map((f) => f.forms);
    expect(forms("191'907,868 y 6,089,914,040")).toEqual([['191907868'], ['6089914040']]);
    expect(forms('12.469,965 dosis')).toEqual([['12469965']]);
    expect(forms('2.5 millones')).toEqual([['2.5', '2500000']]);
    expect(forms('de 8:00 a 12:00')).toEqual([['8:00', '8'], ['12:00', '12']]);
    expect(forms('1) en línea 2) en persona')).toEqual([]);
    expect(forms('6 mil 553 plazas')).toEqual([['6', '6000'], ['553'], ['6553']]);
    expect(forms('mil 115 claves y 2 mil 495 millones')).toEqual([['115'], ['2', '2000'], ['495', '495000000'], ['1115'], ['2495', '2495000000']]);
  });
});

describe('the dates of a text', () => {
  it('are the same date in any written form, and a day without its year matches a line that gives none', () => {
    const forms = (t: string) => datesOf(t).map((d) => d.forms);
    expect(forms('el 13 de octubre de 2023, el 13/10/2023, el 2023-10-13 y el 24 agosto 2024')).toEqual([
      ['13-10-2023', '13-10'],
      ['24-8-2024', '24-8'],
      ['13-10-2023', '13-10'],
      ['13-10-2023', '13-10'],
    ]);
    const { dir, source } = reportFolder('Informe de prueba\nabrió el 23 de abril, y el DOF del 13/10/2023.\n');
    // (the year 2024 is the record's own: its data are as of 2024-06-30, which the footer says)
    const ok = checkCitations([source], [{ ...record('Abrió el 23 de abril de 2024; el DOF, 13 de octubre de 2023 [007:2].'), asOf: '2024-06-30' }], dir);
    expect(ok.problems).toEqual([]);
    const [wrong] = checkCitations([source], [record('El DOF del 13 de noviembre de 2023 [007:2].')], dir).problems;
    expect(wrong?.message).toMatch(/«13 de noviembre de 2023» no aparece/);
  });
});

describe('checkCitations', () => {
  it('passes what the cited line says, with or without separators', () => {
    const { dir, source } = reportFolder();
    const ok = checkCitations([source], [record('Hay 6089914040 pesos y 38.5 % en Tlaxiaco (U013) [007:2].')], dir);
    expect(ok.problems).toEqual([]);
    expect(ok.stats.claims).toBe(4);
  });

  it('fails a figure or a name that is not in the cited lines, and says where it is', () => {
    const { dir, source } = reportFolder();
    const [wrongFigure] = checkCitations([source], [record('Hay 39.5 % [007:2].')], dir).problems;
    expect(wrongFigure?.message).toMatch(/«39.5» no aparece en las líneas citadas \(007:2\); no aparece en ningún informe/);
    const [wrongLine] = checkCitations([source], [record('Hay 38.5 % [007:1].')], dir).problems;
    expect(wrongLine?.message).toMatch(/«38.5» no aparece en las líneas citadas \(007:1\); sí aparece en 007:2/);
    const [wrongName] = checkCitations([source], [record('Está en Tapachula [007:2].')], dir).problems;
    expect(wrongName?.message).toMatch(/«Tapachula» no aparece/);
  });

  it('asks free text for a mark of its own, and proposes the fewest lines of the record that hold its claims', () => {
    const { dir, source } = reportFolder('Informe de prueba\nTiene 38.5 %.\nEl Hospital General de Tlaxiaco tiene 6,089,914,040 pesos y 38.5 % (U013).\n');
    const free = {
      ...record('Tiene 38.5 % y 6,089,914,040 pesos.', '007:1-3'),
      fields: [{ field: 'answer', segments: parseCited('Tiene 38.5 % y 6,089,914,040 pesos.').segments.map((s) => ({ ...s, ownMark: true })) }],
    };
    const [problem] = checkCitations([source], [free], dir).problems;
    expect(problem?.message).toBe('esta parte no tiene marca propia: escriba [007:3] al final de «Tiene 38.5 % y 6,089,914,040 pesos.»');
    expect(markOf([{ code: '003', from: 4, to: 4 }, { code: '003', from: 5, to: 5 }, { code: '001', from: 9, to: 9 }, { code: '003', from: 1, to: 1 }])).toBe('[003:1, 4-5; 001:9]');
  });

  it('backs unmarked text with the record’s own lines, and needs some lines for every claim', () => {
    const { dir, source } = reportFolder();
    expect(checkCitations([source], [record('Tiene 38.5 %.', '007:2')], dir).problems).toEqual([]);
    expect(checkCitations([source], [record('Tiene 38.5 %.')], dir).problems[0]?.message).toMatch(/no cita líneas/);
    expect(checkCitations([source], [record('Tiene 38.5 % [007:99].')], dir).problems[0]?.message).toMatch(/líneas que no existen/);
  });

  it('takes another way the report writes a whole field (a state as «Oax.»)', () => {
    const { dir, source } = reportFolder('Informe de prueba\nHospital de la Mujer, Oax.\n');
    const field = (alternatives?: string[]) => ({
      file: 'units/x.yaml',
      id: 'u',
      lines: '007:2',
      fields: [{ field: 'state', segments: [{ text: 'Oaxaca', nameAtStart: true, alternatives }] }],
    });
    expect(checkCitations([source], [field()], dir).problems[0]?.message).toMatch(/«Oaxaca» no aparece/);
    expect(checkCitations([source], [field(['Oaxaca', 'oax'])], dir).problems).toEqual([]);
  });

  it('does not check what is marked as general knowledge', () => {
    const { dir, source } = reportFolder();
    const r = checkCitations([source], [record('Está en Tapachula [general: ubicación aproximada].')], dir);
    expect(r.problems).toEqual([]);
    expect(r.stats.general).toBe(1);
  });

  it('refuses a report whose file changed, and says plainly when a report is missing', () => {
    const { dir, source } = reportFolder();
    const changed = checkCitations([{ ...source, sha256: 'a'.repeat(64) }], [record('Hay 38.5 % [007:2].')], dir);
    expect(changed.problems[0]?.message).toMatch(/no es el que se citó/);
    const missing = checkCitations([source], [], join(dir, 'no-existe'));
    expect(missing.problems[0]?.message).toMatch(/no encontré el archivo 007_prueba.txt/);
  });

  it('lets every answer repeat a common fact, once it is checked against its own lines', () => {
    const { dir, source } = reportFolder();
    const common = [{ text: 'Hospital General de Tlaxiaco', lines: '007:2' }];
    expect(checkCitations([source], [record('Ve al Hospital General de Tlaxiaco [007:1].')], dir, common).problems).toEqual([]);
    const wrong = checkCitations([source], [], dir, [{ text: 'Hospital de Tapachula', lines: '007:2' }]);
    expect(wrong.problems[0]?.message).toMatch(/«Tapachula» no aparece/);
  });
});

// The real knowledge base against the real reports (../shared/seeds, as on CI machines).
const reports = sourcesDir();
describe.skipIf(!reports && !process.env.CI)('the knowledge base against the reports', () => {
  it('is found: CI always checks the citations', () => {
    expect(reports, 'the reports are not beside the project (set SOURCES_DIR)').toBeDefined();
  });

  it('cites, for every entry and unit, lines that hold each of its figures and names', () => {
    const { problems, stats } = checkKnowledgeCitations(loadOrThrow(REAL_KB_DIR, { citations: true }), reports as string);
    expect(problems.map((p) => `${p.file} › ${p.entry} › ${p.field}: ${p.message}`)).toEqual([]);
    expect(stats.claims).toBeGreaterThan(3000);
  });

  it('fails an entry whose figure a staff member mistypes', () => {
    const dir = temp(copyRealKb());
    editFile(dir, 'units/imss-bienestar.yaml', (t) => t.replace(/beds: 90\n/, 'beds: 9090\n'));
    const kb = loadOrThrow(dir, { citations: true });
    const mutated = kb.units.find((u) => u.beds === 9090);
    expect(mutated).toBeDefined();
    const { problems } = checkKnowledgeCitations(kb, reports as string);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ entry: mutated?.id, field: 'beds' });
    expect(problems[0]?.message).toMatch(/«9090» no aparece en las líneas citadas/);
  });

  it('names every report an answer cites in its source line', () => {
    const kb = loadOrThrow(REAL_KB_DIR);
    const entry = kb.entries.find((e) => e.documents.length > 1 && e.kind === 'answer');
    expect(entry).toBeDefined();
    const { reply } = createAssistant(kb).respond({ userId: 't', text: entry?.questions[0] ?? '' }, undefined);
    for (const d of entry?.documents ?? []) expect(reply.footer).toContain(kb.sources.get(d)?.short);
  });
});

describe('the reports a record names', () => {
  it('must include every report its lines cite', () => {
    const { dir, source } = reportFolder();
    const other = reportFolder('Otro informe\n');
    const both = [source, { ...other.source, id: 'otro', file: '008_otro.txt' }];
    writeFileSync(join(dir, '008_otro.txt'), 'Otro informe\n');
    const r = { ...record('Hay 38.5 % [007:2]. Y otro [008:1].'), named: ['otro'] };
    const [problem] = checkCitations(both, [r], dir).problems;
    expect(problem).toMatchObject({ field: 'source.document' });
    expect(problem?.message).toMatch(/cita «prueba» y «source.document» no lo nombra: escriba document: \[otro, prueba\]/);
    expect(checkCitations(both, [{ ...r, named: ['otro', 'prueba'] }], dir).problems).toEqual([]);
  });
});
