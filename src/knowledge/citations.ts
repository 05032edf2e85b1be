/**
 * Citations a machine can check. Staff write, after a sentence, the report lines it rests on:
 *
 * ```yaml
 * answer: >
 *   A junio de 2024 tenía 90 camas censables [003:362-388]. Está en Tapachula
 *   [general: ubicación aproximada].
 * ```
 *
 * A mark `[003:362-388]` backs the text written before it, back to the previous mark. In free text
 * (answer, details, summary) every piece with a claim needs its mark; a title, a table line or a
 * unit's field is checked against the record's `source.lines`. `[general: motivo]` marks what is not
 * in the reports: it is not checked, and the citizen reads the reason in brackets ("(ubicación
 * aproximada)"). `checkCitations` then verifies that every figure, URL, code and proper name of
 * each piece of text appears in the lines it cites.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Knowledge, Problem } from './load-knowledge.js';
import type { Source } from './schema.js';

/** Lines `from`–`to` (1-based, inclusive) of the report whose file starts with `code` ("003"). */
export interface LineRange {
  code: string;
  from: number;
  to: number;
}

/** A piece of a text and what backs it: lines, general knowledge (with its reason), or the entry's lines. */
export interface Segment {
  text: string;
  cites?: LineRange[];
  general?: string;
  /** A field that is a name by itself (a unit's municipality): its first word is a name too. */
  nameAtStart?: boolean;
  /** Other ways the reports write the whole text (a state's abbreviations, "Gro."): any of them will do. */
  alternatives?: readonly string[];
  /** Free text (an answer, its details, a summary): each piece with a claim carries its own mark. */
  ownMark?: boolean;
}

/** A text field of an entry or unit as the staff wrote it, cut into its cited pieces. */
export interface CitedField {
  field: string;
  segments: Segment[];
}

const LINES_SPEC = /^\d{3}:\d+(-\d+)?([,;] ?(\d{3}:)?\d+(-\d+)?)*$/;
const MARK = /\s*\[([^\]]*)\]/g;

/** `"003:136-138, 3119; 001:40"` → ranges; a number without its report keeps the previous one. */
export function parseLines(spec: string): LineRange[] {
  const out: LineRange[] = [];
  let code = '';
  for (const part of spec.split(/[,;]/)) {
    const m = /^\s*(?:(\d{3}):)?(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) continue;
    code = m[1] ?? code;
    const from = Number(m[2]);
    out.push({ code, from, to: m[3] ? Number(m[3]) : from });
  }
  return out;
}

/**
 * Cuts a staff text at its marks. `text` is what the citizen reads: line marks removed, a general
 * mark replaced by its reason in brackets. `problems` lists marks that are neither.
 */
export function parseCited(raw: string): { text: string; segments: Segment[]; problems: string[] } {
  const segments: Segment[] = [];
  const problems: string[] = [];
  let text = '';
  let piece = '';
  let last = 0;
  for (const m of raw.matchAll(MARK)) {
    const before = raw.slice(last, m.index);
    last = m.index + m[0].length;
    piece += before;
    text += before;
    const inner = (m[1] ?? '').trim();
    const general = /^general\s*:\s*(.+)$/i.exec(inner);
    if (general) {
      const reason = (general[1] ?? '').trim();
      text += ` (${reason})`;
      segments.push({ text: piece, general: reason });
    } else if (LINES_SPEC.test(inner.replace(/\s+/g, ' ').replace(/ ?([,;]) ?/g, '$1 ').replace(/ $/, ''))) {
      segments.push({ text: piece, cites: parseLines(inner) });
    } else {
      problems.push(
        `la marca «[${inner}]» no se entiende: escriba las líneas como [003:120-125] o, para lo que no está en los informes, [general: motivo]`,
      );
      segments.push({ text: piece });
    }
    piece = '';
  }
  const rest = raw.slice(last);
  text += rest;
  if (rest.trim()) segments.push({ text: rest });
  return { text, segments, problems };
}

/** What must be found in the cited lines: a figure, a URL, a code such as "U013", or a proper name. */
export interface Claim {
  kind: 'figure' | 'date' | 'url' | 'code' | 'name';
  text: string;
}

/** Terms every answer may use without a citation: the institutions themselves and the emergency lines. */
const UNIVERSAL = new Set(['imss', 'issste', 'imss bienestar', 'bienestar', 'mexico', 'gobierno', 'orienta', '911', 'linea', 'vida']);

const URL = /\b(?:https?:\/\/)?(?:[a-z0-9-]+\.)+(?:gob\.mx|org\.mx|com\.mx|edu\.mx|mx|com|org|net)(?:\/[^\s)»"'<>]*)?/gi;
const TOKEN = /[\p{L}\p{N}]+(?:[-'][\p{L}\p{N}]+)*|[.!?¿¡]/gu;
const SCALE: Record<string, number> = { mil: 1e3, millon: 1e6, millones: 1e6 };

/** Lower case, no accents, only letters and digits separated by single spaces. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The forms a number may take in a report: "6,089,914,040" → "6089914040"; "38.50" → "38.5". */
function canonical(n: string): string {
  return String(Number(n.replace(/[,'’]/g, '')));
}

/** Every number of a text, with and without separators, and multiplied out when "mil" or "millones" follow. */
export function figuresOf(text: string): { shown: string; forms: string[] }[] {
  const out: { shown: string; forms: string[] }[] = [];
  // An hour ("8:00") is one figure; an item number ("1) …") none.
  const rest = text
    .replace(/(?<!\d)(\d{1,2}):(\d{2})(?!\d)/g, (t, h: string) => {
      out.push({ shown: t, forms: [t, String(Number(h))] });
      return ' ';
    })
    .replace(/(^|\s)\d{1,2}\)/g, ' ');
  const re =
    /(?<![\p{L}\d.,])(\d{1,3}(?:[.,'’ ]\d{3}){2,}(?![\d])|\d{1,3}(?:[,'’ ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\p{L}\d]|[.,]\d)(\s+(?:de\s+)?(mil\s+millones|millones|millon|millón|mil)\b)?/gu;
  for (const m of rest.matchAll(re)) {
    const shown = m[1] ?? '';
    const forms = new Set<string>();
    if (shown.includes(' ')) for (const part of shown.split(' ')) forms.add(canonical(part));
    // (a misprinted "12.469,965" is still twelve million: with two groups of three or more, every mark separates)
    if (/^\d{1,3}(?:[.,'’ ]\d{3}){2,}$/.test(shown)) forms.add(String(Number(shown.replace(/\D/g, ''))));
    else forms.add(canonical(shown.replace(/ /g, '')));
    const scale = m[3] ? fold(m[3]) : '';
    const factor = scale === 'mil millones' ? 1e9 : SCALE[scale];
    if (factor) forms.add(String(Math.round(Number(shown.replace(/[,'’ ]/g, '')) * factor)));
    out.push({ shown: m[0].trim(), forms: [...forms] });
  }
  // A figure in words and digits, as some reports write them: "6 mil 553" is 6553, "mil 115" 1115.
  for (const m of rest.matchAll(/(?<![\d.,])(?:(\d{1,3}) )?mil (\d{3})(?![\d.,])(\s+(?:de\s+)?millones)?/g)) {
    const value = (m[1] ? Number(m[1]) : 1) * 1000 + Number(m[2]);
    out.push({ shown: m[0].trim(), forms: m[3] ? [String(value), String(value * 1e6)] : [String(value)] });
  }
  return out;
}

const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
const WRITTEN_DATE = new RegExp(`(?<!\\d)(\\d{1,2})(?:°|º|o)?(?: de)? (${MONTHS.join('|')}|setiembre)(?:,? (?:de |del )?(\\d{4}))?`, 'gi');
const NUMERIC_DATE = /(?<!\d)(\d{1,2})\/(\d{1,2})\/(\d{4})(?!\d)|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/g;

/**
 * The dates of a text with a day in them, in every written form: "13 de octubre de 2023",
 * "13/10/2023" and "2023-10-13" are all `13-10-2023` (and `13-10`, for a date given without its year).
 */
export function datesOf(text: string): { shown: string; forms: string[] }[] {
  const out: { shown: string; forms: string[] }[] = [];
  const add = (shown: string, d: number, m: number, y?: number) => {
    if (d < 1 || d > 31 || m < 1 || m > 12) return;
    out.push({ shown, forms: y ? [`${d}-${m}-${y}`, `${d}-${m}`] : [`${d}-${m}`] });
  };
  for (const m of text.matchAll(WRITTEN_DATE)) {
    const month = (m[2] ?? '').toLowerCase();
    add(m[0], Number(m[1]), month === 'setiembre' ? 9 : MONTHS.indexOf(month) + 1, m[3] ? Number(m[3]) : undefined);
  }
  for (const m of text.matchAll(NUMERIC_DATE))
    if (m[1]) add(m[0], Number(m[1]), Number(m[2]), Number(m[3]));
    else add(m[0], Number(m[6]), Number(m[5]), Number(m[4]));
  return out;
}

/** The claims of a piece of text that the cited lines must contain. */
export function claimsOf(text: string, opts: { nameAtStart?: boolean } = {}): Claim[] {
  const claims: Claim[] = [];
  const noUrls = text.replace(URL, (u) => {
    claims.push({ kind: 'url', text: u.replace(/[.,;:]+$/, '') });
    return ' ';
  });
  for (const f of figuresOf(noUrls)) if (!UNIVERSAL.has(f.forms[0] ?? '')) claims.push({ kind: 'figure', text: f.shown });
  for (const d of datesOf(noUrls)) claims.push({ kind: 'date', text: d.shown });
  let sentenceStart = !opts.nameAtStart;
  for (const m of noUrls.matchAll(TOKEN)) {
    const t = m[0];
    if (/^[.!?¿¡]$/.test(t)) {
      sentenceStart = true;
      continue;
    }
    const initial = sentenceStart;
    sentenceStart = false;
    const hasDigit = /\d/.test(t);
    const hasLetter = /\p{L}/u.test(t);
    if (hasDigit && hasLetter) {
      claims.push({ kind: 'code', text: t });
      continue;
    }
    if (initial || hasDigit || !/^\p{Lu}/u.test(t) || t.length < 2) continue;
    const key = fold(t);
    if (UNIVERSAL.has(key)) continue;
    claims.push({ kind: 'name', text: t });
  }
  return claims;
}

/** A report read once: its lines, and for each its words and figures. */
interface Report {
  source: Source;
  code: string;
  lines: string[];
  words: Set<string>[];
  figures: Set<string>[];
  dates: Set<string>[];
  folded: string[];
}

function readReport(source: Source, dir: string): Report | string {
  if (!source.file) return `el informe «${source.id}» no dice en qué archivo está (campo file)`;
  const path = join(dir, source.file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return `no encontré el archivo ${source.file} del informe «${source.id}» en ${dir}`;
  }
  const sum = createHash('sha256').update(bytes).digest('hex');
  if (!source.sha256) return `el informe «${source.id}» no tiene su suma sha256 en sources.yaml (es ${sum})`;
  if (sum !== source.sha256)
    return `el archivo ${source.file} no es el que se citó (su suma sha256 es ${sum}, sources.yaml dice ${source.sha256}): las líneas citadas pueden haberse movido`;
  const lines = bytes.toString('utf8').split('\n');
  const folded = lines.map((l) => ` ${fold(l)} `);
  return {
    source,
    code: /^(\d{3})/.exec(source.file)?.[1] ?? '',
    lines,
    folded,
    words: folded.map((l) => new Set(l.split(' ').filter(Boolean))),
    figures: lines.map((l) => new Set(figuresOf(l).flatMap((f) => f.forms))),
    dates: lines.map((l) => new Set(datesOf(l).flatMap((d) => d.forms))),
  };
}

/** The folder with the report texts: `SOURCES_DIR`, else `../shared/seeds` when it exists. */
export function sourcesDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.SOURCES_DIR) return resolve(env.SOURCES_DIR);
  const sibling = resolve('../shared/seeds');
  return existsSync(sibling) ? sibling : undefined;
}

/** Word forms a proper name may take in the report (singular or plural). */
function nameForms(word: string): string[] {
  const w = fold(word);
  const forms = [w, `${w}s`, `${w}es`];
  if (w.endsWith('es')) forms.push(w.slice(0, -2));
  if (w.endsWith('s')) forms.push(w.slice(0, -1));
  return forms;
}

export interface CitedRecord {
  file: string;
  id: string;
  /** `YYYY-MM-DD` of the record's data: it and its year are stated by the footer and need no citation. */
  asOf?: string;
  /** Titles of the reports the record cites: naming a report is not a claim about its content. */
  titles?: string[];
  /** The reports its `source.document` names: every report its lines cite must be among them. */
  named?: readonly string[];
  /** The record's own lines (`source.lines`), backing text that carries no mark of its own. */
  lines?: string;
  fields: CitedField[];
}

export interface CitationCheck {
  problems: Problem[];
  /** Pieces of text checked, claims checked, and claims marked as general knowledge. */
  stats: { segments: number; claims: number; general: number };
}

/**
 * Verifies every record against the report texts under `dir` (checksums first). Never throws: a
 * missing folder or report is a problem like any other.
 */
/** A fact many answers repeat (the institution's web page), cited once in sources.yaml. */
export interface CommonFact {
  text: string;
  lines: string;
}

const keyOf = (c: Claim) =>
  `${c.kind === 'code' ? 'name' : c.kind}:${c.kind === 'figure' ? figuresOf(c.text)[0]?.forms[0] : c.kind === 'date' ? datesOf(c.text)[0]?.forms[0] : fold(c.text)}`;

export function checkCitations(
  sources: readonly Source[],
  records: readonly CitedRecord[],
  dir: string,
  common: readonly CommonFact[] = [],
): CitationCheck {
  const problems: Problem[] = [];
  const stats = { segments: 0, claims: 0, general: 0 };
  const reports = new Map<string, Report>();
  for (const s of sources) {
    const r = readReport(s, dir);
    if (typeof r === 'string') problems.push({ severity: 'error', file: 'knowledge/sources.yaml', entry: s.id, message: r });
    else reports.set(r.code, r);
  }
  if (problems.length > 0) return { problems, stats };

  const where = (claim: Claim): string[] => {
    const found: string[] = [];
    for (const r of reports.values())
      for (let i = 0; i < r.lines.length && found.length < 3; i++) if (lineHas(r, i, claim)) found.push(`${r.code}:${i + 1}`);
    return found;
  };

  // The common facts are checked first, as records of their own; then any answer may repeat them.
  const commonRecords: CitedRecord[] = common.map((c, i) => ({
    file: 'knowledge/sources.yaml',
    id: `common.${i + 1} (${c.text})`,
    lines: c.lines,
    fields: [{ field: 'text', segments: [{ text: c.text, nameAtStart: true }] }],
  }));
  const allowed = new Set(common.flatMap((c) => claimsOf(c.text, { nameAtStart: true }).map(keyOf)));

  for (const rec of [...commonRecords, ...records]) {
    const own = rec.lines ? parseLines(rec.lines) : [];
    if (rec.named) {
      const cited = [...own, ...rec.fields.flatMap((f) => f.segments.flatMap((s) => s.cites ?? []))];
      const missing = [...new Set(cited.map((r) => reports.get(r.code)?.source.id ?? r.code))].filter((id) => !rec.named?.includes(id));
      if (missing.length > 0)
        problems.push({
          severity: 'error',
          file: rec.file,
          entry: rec.id,
          field: 'source.document',
          message: `cita ${missing.map((m) => `«${m}»`).join(', ')} y «source.document» no lo nombra: escriba document: [${[...rec.named, ...missing].join(', ')}]`,
        });
    }
    // (a common fact is itself checked: only the records after it may lean on it)
    const free = new Set(commonRecords.includes(rec) ? [] : allowed);
    if (rec.asOf) {
      const [y, m, d] = rec.asOf.split('-').map(Number);
      free.add(`figure:${y}`).add(`date:${d}-${m}-${y}`);
    }
    for (const t of rec.titles ?? []) for (const c of claimsOf(t, { nameAtStart: true })) free.add(keyOf(c));
    for (const f of rec.fields)
      for (const seg of f.segments) {
        const claims = claimsOf(seg.text, { nameAtStart: seg.nameAtStart }).filter((c) => !free.has(keyOf(c)));
        if (claims.length === 0) continue;
        stats.segments++;
        if (seg.general !== undefined) {
          stats.general += claims.length;
          continue;
        }
        const ranges = seg.cites ?? own;
        if (seg.alternatives?.some((alt) => ranges.some((r) => phraseIn(reports.get(r.code), r, alt)))) continue;
        const report = { severity: 'error' as const, file: rec.file, entry: rec.id, field: f.field };
        if (ranges.length === 0) {
          problems.push({ ...report, message: `no cita líneas de ningún informe: agregue la marca, por ejemplo [003:120-125], o «lines» en «source»` });
          continue;
        }
        const bad = ranges.filter((r) => !reports.get(r.code) || r.to < r.from || r.to > (reports.get(r.code)?.lines.length ?? 0));
        if (bad.length > 0) {
          problems.push({ ...report, message: `cita líneas que no existen: ${bad.map(showRange).join(', ')}` });
          continue;
        }
        const found: LineRange[][] = [];
        let missing = false;
        for (const claim of claims) {
          stats.claims++;
          const at = ranges.flatMap((r) => linesWith(reports.get(r.code) as Report, r, claim));
          if (at.length > 0) {
            found.push(at);
            continue;
          }
          missing = true;
          const seen = where(claim);
          problems.push({
            ...report,
            message:
              `«${claim.text}» no aparece en las líneas citadas (${ranges.map(showRange).join(', ')})` +
              (seen.length > 0 ? `; sí aparece en ${seen.join(', ')}` : '; no aparece en ningún informe: corríjalo o márquelo [general: motivo]') +
              ` — en: «${excerpt(seg.text, claim.text)}»`,
          });
        }
        // Backed only by the record's lines: right, but the sentence should say which of them.
        if (!missing && seg.ownMark && !seg.cites)
          problems.push({
            ...report,
            message: `esta parte no tiene marca propia: escriba ${markOf(fewestLines(found))} al final de «${tailOf(seg.text)}»`,
          });
      }
  }
  return { problems, stats };
}

/** `[003:136, 3119-3121; 001:40]`: the lines, by report, in order, neighbours joined. */
export function markOf(lines: readonly LineRange[]): string {
  const byCode = new Map<string, number[]>();
  for (const l of lines) for (let n = l.from; n <= l.to; n++) byCode.set(l.code, [...(byCode.get(l.code) ?? []), n]);
  const spans = (ns: number[]) => {
    const sorted = [...new Set(ns)].sort((a, b) => a - b);
    const out: string[] = [];
    for (let i = 0; i < sorted.length; ) {
      let j = i;
      while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
      out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
      i = j + 1;
    }
    return out.join(', ');
  };
  return `[${[...byCode].map(([code, ns]) => `${code}:${spans(ns)}`).join('; ')}]`;
}

/** A few lines that hold every claim: each time, the line that holds most of those still missing. */
function fewestLines(options: readonly LineRange[][]): LineRange[] {
  const key = (l: LineRange) => `${l.code}:${l.from}-${l.to}`;
  const chosen: LineRange[] = [];
  let open = options.map((o) => new Set(o.map(key)));
  while (open.length > 0) {
    const votes = new Map<string, number>();
    for (const o of open) for (const k of o) votes.set(k, (votes.get(k) ?? 0) + 1);
    const [best] = [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] as [string, number];
    chosen.push(options.flat().find((l) => key(l) === best) as LineRange);
    open = open.filter((o) => !o.has(best));
  }
  return chosen;
}

/** The last words of a piece of text, to find where its mark goes. */
function tailOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `…${flat.slice(-60)}` : flat;
}

/** The lines of a range that hold a claim (the whole range when it is cut across lines). */
function linesWith(r: Report, range: LineRange, claim: Claim): LineRange[] {
  const out: LineRange[] = [];
  for (let i = range.from - 1; i < range.to; i++) if (lineHas(r, i, claim)) out.push({ code: range.code, from: i + 1, to: i + 1 });
  return out.length > 0 || !rangeHas(r, range, claim) ? out : [range];
}

function phraseIn(r: Report | undefined, range: LineRange, phrase: string): boolean {
  const p = ` ${fold(phrase)} `;
  if (!r || p.trim() === '') return false;
  for (let i = range.from - 1; i < range.to && i < r.folded.length; i++) if ((r.folded[i] ?? '').includes(p)) return true;
  return false;
}

function showRange(r: LineRange): string {
  return r.from === r.to ? `${r.code}:${r.from}` : `${r.code}:${r.from}-${r.to}`;
}

function excerpt(text: string, around: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const at = Math.max(0, flat.indexOf(around));
  const from = Math.max(0, at - 50);
  return `${from > 0 ? '…' : ''}${flat.slice(from, at + around.length + 50)}${at + around.length + 50 < flat.length ? '…' : ''}`;
}

function rangeHas(r: Report, range: LineRange, claim: Claim): boolean {
  for (let i = range.from - 1; i < range.to; i++) if (lineHas(r, i, claim)) return true;
  // A name or URL cut across two lines of the extracted text.
  if (claim.kind !== 'figure') {
    const joined = ` ${r.folded.slice(range.from - 1, range.to).join(' ').replace(/\s+/g, ' ')} `;
    return joined.includes(` ${fold(claim.text)} `);
  }
  return false;
}

function lineHas(r: Report, i: number, claim: Claim): boolean {
  switch (claim.kind) {
    case 'figure':
      return figuresOf(claim.text)
        .flatMap((f) => f.forms)
        .some((form) => r.figures[i]?.has(form));
    case 'date': {
      // The same day, month and year; or the day and month in a line that gives them no year.
      const [full, dayMonth] = datesOf(claim.text)[0]?.forms ?? [];
      const line = r.dates[i];
      if (!line || full === undefined) return false;
      if (line.has(full)) return true;
      const dm = dayMonth ?? full;
      return line.has(dm) && ![...line].some((f) => f.startsWith(`${dm}-`));
    }
    case 'name':
      return nameForms(claim.text).some((w) => (w.includes(' ') ? (r.folded[i] ?? '').includes(` ${w} `) : r.words[i]?.has(w)));
    default:
      return (r.folded[i] ?? '').includes(` ${fold(claim.text)} `);
  }
}

/**
 * The citation check of a whole knowledge base, as `kb:check` and CI run it: every entry and unit
 * against the reports in `dir`.
 */
export function checkKnowledgeCitations(kb: Knowledge, dir: string): CitationCheck {
  // A unit's state may be written in the report as one of its names in states.yaml ("Gro.", "CDMX").
  const stateNames = new Map(kb.states.map((s) => [s.name, [s.name, ...s.aliases]]));
  const withStateNames = (fields: CitedField[]) =>
    fields.map((f) =>
      f.field === 'state' ? { ...f, segments: f.segments.map((s) => ({ ...s, alternatives: stateNames.get(s.text.trim()) })) } : f,
    );
  const records: CitedRecord[] = [...kb.entries, ...kb.units].map((r) => {
    if (!r.cited) throw new Error('load the knowledge with { citations: true } to check its citations');
    return {
    file: r.file,
    id: r.id,
    asOf: r.as_of,
    titles: r.documents.flatMap((d) => {
      const s = kb.sources.get(d);
      return s ? [s.title, s.short] : [];
    }),
    lines: r.source.lines,
    named: r.source.document,
    fields: 'category' in r ? withStateNames(r.cited) : r.cited,
    };
  });
  return checkCitations([...kb.sources.values()], records, dir, kb.common);
}
