import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Document, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { nearest } from '../text/edit-distance.js';
import { checkKnowledge } from './check-knowledge.js';
import { explainYaml, PHONE, quoteLine } from './explain-yaml.js';
import { type CitedField, type LineRange, parseCited, parseLines } from './citations.js';
import { knowledgeFiles, knowledgeVersion } from './knowledge-version.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';
import {
  ConversationFile,
  EmergencyFile,
  type Entry,
  type Source,
  SourcesFile,
  type State,
  StatesFile,
  TopicFile,
  type Unit,
  UnitsFile,
} from './schema.js';

/** One thing wrong (or worth a look) in the knowledge files, located for the person who edits them. */
export interface Problem {
  severity: 'error' | 'warning';
  file: string;
  entry?: string;
  field?: string;
  line?: number;
  message: string;
  /** The line at `line` as written (tabs shown as `→`, the digits of a phone-like number masked). */
  excerpt?: string;
}

/** Largest knowledge file read (2 MB): a bigger one is a pasted report or a mistake, refused before parsing. */
export const MAX_KNOWLEDGE_FILE_BYTES = 2 * 1024 * 1024;

/** What the citation marks of a record leave: every report it cites and its texts cut at the marks. */
interface Cited {
  /** Source ids: `source.document` first, then every other report its lines and marks cite. */
  documents: string[];
  /** The record's texts as the staff wrote them, cut at their marks: kept only when loaded with `citations`. */
  cited?: CitedField[];
}

export interface KnowledgeEntry extends Entry, Cited {
  topic: string;
  topicTitle: string;
  file: string;
}

export interface KnowledgeUnit extends Unit, Cited {
  file: string;
}

export interface Topic {
  topic: string;
  title: string;
  /** Words that name the topic itself. */
  words?: string[];
  file: string;
  entries: KnowledgeEntry[];
}

/** The validated knowledge base, ready for the index. */
export interface Knowledge {
  /** Short hash of every file's content: changes whenever staff edit anything. */
  version: string;
  sources: Map<string, Source>;
  /** Facts cited once in sources.yaml that any answer may repeat (see `checkCitations`). */
  common: { text: string; lines: string }[];
  topics: Topic[];
  entries: KnowledgeEntry[];
  entriesById: Map<string, KnowledgeEntry>;
  units: KnowledgeUnit[];
  unitsById: Map<string, KnowledgeUnit>;
  states: State[];
  emergency: EmergencyFile;
  conversation: ConversationFile;
}

export interface LoadResult {
  knowledge?: Knowledge;
  problems: Problem[];
}

interface Parsed<T> {
  data?: T;
  file: string;
  /** The parsed document and its text, to locate the problems found later by `checkKnowledge`. */
  source?: { doc: Document; lines: LineCounter; text: string };
}

/** Hints for a missing field, after «falta el campo …». */
const MISSING_HINT: Record<string, string> = {
  as_of: ' (la fecha de los datos, como 2024-06-30)',
  date: ' (la fecha del informe, como 2024-06-30)',
  answer: ' (la respuesta que lee la persona)',
  source: ' (el informe de donde sale el dato: { document: …, section: … })',
  questions: ' (al menos 2 preguntas de ejemplo)',
};

type AnySchema = { _zod: { def: Record<string, unknown> & { type: string } } };

/** The field names the schema allows for the object at `path` (to suggest the one a typo meant). */
function knownKeys(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let s = schema as unknown as AnySchema | undefined;
  const unwrap = () => {
    for (let guard = 0; s && guard < 10; guard++) {
      const def = s._zod.def;
      if (['optional', 'default', 'nullable', 'prefault', 'readonly', 'nonoptional'].includes(def.type)) s = def.innerType as AnySchema;
      else if (def.type === 'pipe') s = def.in as AnySchema;
      else if (def.type === 'union') s = (def.options as AnySchema[]).find((o) => o._zod.def.type === 'object') ?? (def.options as AnySchema[])[0];
      else return;
    }
  };
  for (const seg of path) {
    unwrap();
    if (!s) return [];
    const def = s._zod.def;
    if (def.type === 'array') s = def.element as AnySchema;
    else if (def.type === 'object') s = (def.shape as Record<string, AnySchema>)[String(seg)];
    else if (def.type === 'record') s = def.valueType as AnySchema;
    else return [];
  }
  unwrap();
  return s && s._zod.def.type === 'object' ? Object.keys(s._zod.def.shape as object) : [];
}

function spanishType(t: string): string {
  return (
    { string: 'un texto', number: 'un número', boolean: 'true o false', array: 'una lista', object: 'un bloque de campos' }[
      t
    ] ?? t
  );
}

/** A zod issue in words for the staff; `value` is what the file holds at the issue's path. */
function issueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'falta este campo';
      if (value === null) return 'está vacío';
      return `tipo equivocado: se esperaba ${spanishType(issue.expected)}`;
    case 'unrecognized_keys':
      return `campo desconocido ${issue.keys.map((k) => `«${k}»`).join(', ')} (¿está mal escrito?)`;
    case 'invalid_value':
      return `valor no permitido; use uno de: ${issue.values.join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'está vacío' : issue.message;
    default:
      return issue.message;
  }
}

/** Reads one YAML file and validates it, turning every YAML or schema problem into a located Problem. */
function parseFile<S extends z.ZodType>(path: string, schema: S, problems: Problem[], maxBytes: number): Parsed<z.infer<S>> {
  const file = relative(process.cwd(), path) || path;
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > maxBytes) {
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      problems.push({
        severity: 'error',
        file,
        message: `el archivo pesa ${mb(size)} y el máximo es ${mb(maxBytes)}; no lo leo. ¿Se pegó un informe entero? Deje solo las entradas y divida el tema en varios archivos si hace falta`,
      });
      return { file };
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    problems.push({
      severity: 'error',
      file,
      message: missing ? 'falta este archivo en la carpeta de conocimiento' : `no se pudo leer: ${(err as Error).message}`,
    });
    return { file };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    // (one cause per file: the parser's later errors follow from the first)
    const { line, message } = explainYaml(text, doc.errors, lines);
    problems.push({ severity: 'error', file, line, message, excerpt: quoteLine(text, line) });
    return { file };
  }
  const lineAt = (node: unknown) => {
    const range = (node as { range?: [number, number] } | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  const raw = doc.toJS() as unknown;
  const result = schema.safeParse(raw);
  if (result.success) return { data: result.data, file, source: { doc, lines, text } };
  // A misspelled required field gives "unknown field" and "missing field": only the first is said.
  const meant = new Set<string>();
  const located: { problem: Problem; path?: string }[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path as (string | number)[];
    let line = lineAt(doc.getIn(path, true));
    let entry: string | undefined;
    // entries[3].answer → the entry's id and the field name
    if (typeof path[1] === 'number') {
      const id = doc.getIn([...path.slice(0, 2), 'id']);
      entry = typeof id === 'string' ? id : `elemento ${path[1] + 1} de «${path[0]}»`;
      line ??= lineAt(doc.getIn(path.slice(0, 2), true));
    }
    const fieldOf = (p: (string | number)[]) => (typeof p[1] === 'number' ? p.slice(2) : p).join('.') || undefined;
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, path);
      const map = doc.getIn(path, true) as { items?: { key: unknown }[] } | undefined;
      for (const key of issue.keys) {
        const pair = map?.items?.find((it) => String((it.key as { value?: unknown } | null)?.value ?? it.key) === key);
        const guess = nearest(key, known.filter((k) => doc.getIn([...path, k]) === undefined));
        if (guess) meant.add(JSON.stringify([...path, guess]));
        const message = guess
          ? `campo desconocido «${key}»: ¿quiso decir «${guess}»?`
          : `campo desconocido «${key}» (¿está mal escrito?)${known.length > 0 ? `; aquí van: ${known.join(', ')}` : ''}`;
        located.push({ problem: { severity: 'error', file, entry, field: fieldOf([...path, key]), line: lineAt(pair?.key) ?? line, message } });
      }
      continue;
    }
    const value = doc.getIn(path);
    let message = issueMessage(issue, value);
    if (issue.code === 'invalid_type' && value === undefined) {
      const name = String(path[path.length - 1]);
      message = `falta el campo «${name}»${MISSING_HINT[name] ?? ''}`;
    }
    located.push({ problem: { severity: 'error', file, entry, field: fieldOf(path), line, message }, path: JSON.stringify(path) });
  }
  for (const { problem, path } of located) {
    if (path && meant.has(path)) continue;
    if (problem.line) problem.excerpt = quoteLine(text, problem.line);
    problems.push(problem);
  }
  return { file };
}

/**
 * Loads and validates every file under `dir`. Never throws for a staff mistake: `knowledge` is
 * present only when there is no error, and `problems` lists errors and warnings.
 *
 * ```ts
 * const { knowledge, problems } = loadKnowledge('knowledge');
 * if (!knowledge) console.error(formatProblems(problems));
 * ```
 */
export function loadKnowledge(
  dir: string,
  opts: { snapshotDir?: string; citations?: boolean; /** default `MAX_KNOWLEDGE_FILE_BYTES` */ maxFileBytes?: number } = {},
): LoadResult {
  const maxBytes = opts.maxFileBytes ?? MAX_KNOWLEDGE_FILE_BYTES;
  const problems: Problem[] = [];
  const files = knowledgeFiles(dir);
  const { sources: sourcesPath, states: statesPath, emergency: emergencyPath, conversation: conversationPath } = files;
  const topicPaths = files.topics;
  const unitPaths = files.units;
  if (topicPaths.length === 0)
    problems.push({ severity: 'error', file: join(dir, 'topics'), message: 'no hay archivos de temas (.yaml)' });

  // Nothing changed since the last start: the checked snapshot under DATA_DIR, if sound.
  const version = knowledgeVersion(files);
  if (opts.snapshotDir && topicPaths.length > 0 && !opts.citations) {
    const kept = readSnapshot(opts.snapshotDir, version);
    if (kept) return kept;
  }

  const sourcesFile = parseFile(sourcesPath, SourcesFile, problems, maxBytes);
  const statesFile = parseFile(statesPath, StatesFile, problems, maxBytes);
  const emergency = parseFile(emergencyPath, EmergencyFile, problems, maxBytes);
  const conversation = parseFile(conversationPath, ConversationFile, problems, maxBytes);
  const topicFiles = topicPaths.map((p) => parseFile(p, TopicFile, problems, maxBytes));
  const unitFiles = unitPaths.map((p) => parseFile(p, UnitsFile, problems, maxBytes));

  if (!sourcesFile.data || !statesFile.data || !emergency.data || !conversation.data || problems.length > 0)
    return { problems };
  const citing = citationReader(sourcesFile.data.sources, problems, opts.citations === true);
  const topics: Topic[] = [];
  for (const tf of topicFiles) {
    if (!tf.data) continue;
    const topic: Topic = { topic: tf.data.topic, title: tf.data.title, words: tf.data.words, file: tf.file, entries: [] };
    for (const e of tf.data.entries)
      topic.entries.push({ ...citing.entry(e, tf.file), topic: tf.data.topic, topicTitle: tf.data.title, file: tf.file });
    topics.push(topic);
  }
  const entries = topics.flatMap((t) => t.entries);
  const units = unitFiles.flatMap((uf) => (uf.data?.units ?? []).map((u) => ({ ...citing.unit(u, uf.file), file: uf.file })));
  if (problems.length > 0) return { problems };

  const knowledge: Knowledge = {
    version,
    sources: new Map(sourcesFile.data.sources.map((s) => [s.id, s])),
    common: sourcesFile.data.common,
    topics,
    entries,
    entriesById: new Map(entries.map((e) => [e.id, e])),
    units,
    unitsById: new Map(units.map((u) => [u.id, u])),
    states: statesFile.data.states,
    emergency: emergency.data,
    conversation: conversation.data,
  };
  const where = locator([sourcesFile, statesFile, emergency, conversation, ...topicFiles, ...unitFiles]);
  const checked = checkKnowledge(knowledge, {
    statesFile: statesFile.file,
    conversationFile: conversation.file,
    emergencyFile: emergency.file,
    linesOf: where.linesOf,
  });
  for (const p of checked) {
    p.line ??= where(p.file, p.entry, p.field);
    // (in a text of several lines, the line that holds the number, not the field's first)
    if (p.line && p.message.includes('teléfono')) p.line = where.lineMatching(p.file, p.line, PHONE) ?? p.line;
    p.excerpt ??= p.line ? where.quote(p.file, p.line) : undefined;
  }
  problems.push(...checked);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  if (opts.snapshotDir && !opts.citations) writeSnapshot(opts.snapshotDir, { knowledge, problems });
  return { knowledge, problems };
}

/**
 * The line of an entry or unit (by id), or of one of its fields (`by_state.Puebla`), in the parsed
 * files: `checkKnowledge` works on the loaded data, the staff need lines.
 */
function locator(parsed: readonly Parsed<unknown>[]) {
  const byFile = new Map(parsed.flatMap((p) => (p.source ? [[p.file, p.source] as const] : [])));
  const find = (file: string, entry?: string, field?: string): number | undefined => {
    const src = byFile.get(file);
    if (!src) return undefined;
    const lineAt = (node: unknown) => {
      const range = (node as { range?: [number, number] } | undefined)?.range;
      return range ? src.lines.linePos(range[0]).line : undefined;
    };
    const fieldPath = field ? field.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)) : [];
    if (entry === undefined) return fieldPath.length > 0 ? lineAt(src.doc.getIn(fieldPath, true)) : undefined;
    for (const list of ['entries', 'units']) {
      const items = src.doc.get(list, true) as { items?: unknown[] } | undefined;
      const i = items?.items?.findIndex((_, k) => src.doc.getIn([list, k, 'id']) === entry) ?? -1;
      if (i < 0) continue;
      return lineAt(src.doc.getIn([list, i, ...fieldPath], true)) ?? lineAt(src.doc.getIn([list, i], true));
    }
    return undefined;
  };
  const linesOf = (file: string, id: string): number[] => {
    const src = byFile.get(file);
    if (!src) return [];
    const out: number[] = [];
    for (const list of ['entries', 'units']) {
      const items = src.doc.get(list, true) as { items?: { range?: [number, number] }[] } | undefined;
      items?.items?.forEach((item, k) => {
        if (src.doc.getIn([list, k, 'id']) === id && item.range) out.push(src.lines.linePos(item.range[0]).line);
      });
    }
    return out;
  };
  /** The first line from `from` on, inside the field that starts there, where `re` matches. */
  const lineMatching = (file: string, from: number, re: RegExp): number | undefined => {
    const all = byFile.get(file)?.text.split(/\r?\n/) ?? [];
    const indent = (l: string) => /^ */.exec(l)?.[0].length ?? 0;
    const start = all[from - 1];
    if (start === undefined) return undefined;
    for (let i = from - 1; i < all.length; i++) {
      const l = all[i] as string;
      if (i > from - 1 && l.trim() !== '' && indent(l) <= indent(start)) break;
      if (re.test(l)) return i + 1;
    }
    return undefined;
  };
  return Object.assign(find, { linesOf, lineMatching, quote: (file: string, line: number) => { const t = byFile.get(file)?.text; return t === undefined ? undefined : quoteLine(t, line); } });
}

/**
 * Takes the citation marks out of the texts the citizen reads and keeps them apart for the check;
 * an unreadable mark is an error located at its field.
 */
function citationReader(sources: readonly Source[], problems: Problem[], keep: boolean) {
  const idOfCode = new Map(sources.map((s) => [/^(\d{3})/.exec(s.file ?? '')?.[1] ?? s.id, s.id]));
  const documentsOf = (named: readonly string[], ranges: LineRange[]) => [
    ...new Set([...named, ...ranges.flatMap((r) => idOfCode.get(r.code) ?? [])]),
  ];
  const read = (file: string, id: string, cited: CitedField[], field: string, raw: string): string => {
    const { text, segments, problems: bad } = parseCited(raw);
    for (const message of bad) problems.push({ severity: 'error', file, entry: id, field, message });
    // Answers, details and summaries cite sentence by sentence; a table line or a label leans on the record's lines.
    const ownMark = field === 'answer' || field === 'details' || field === 'summary';
    cited.push({ field, segments: ownMark ? segments.map((s) => ({ ...s, ownMark })) : segments });
    return text;
  };
  const rangesOf = (source: { lines?: string }, cited: CitedField[]) => [
    ...(source.lines ? parseLines(source.lines) : []),
    ...cited.flatMap((f) => f.segments.flatMap((s) => s.cites ?? [])),
  ];
  return {
    entry(e: Entry, file: string): Entry & Cited {
      const cited: CitedField[] = [];
      const r = (field: string, raw: string) => read(file, e.id, cited, field, raw);
      const out: Entry = {
        ...e,
        answer: r('answer', e.answer),
        details: e.details === undefined ? undefined : r('details', e.details),
        by_state: e.by_state && Object.fromEntries(Object.entries(e.by_state).map(([k, v]) => [k, r(`by_state.${k}`, v)])),
        ages: e.ages && {
          ...e.ages,
          groups: e.ages.groups.map((g, i) => ({ ...g, label: r(`ages.groups.${i}.label`, g.label) })),
          otherwise: e.ages.otherwise === undefined ? undefined : r('ages.otherwise', e.ages.otherwise),
        },
      };
      const ranges = rangesOf(e.source, cited);
      // The title is shown as a button: whatever it states must be somewhere in what the entry cites.
      cited.push({ field: 'title', segments: [{ text: e.title, cites: ranges.length > 0 ? ranges : undefined }] });
      return { ...out, cited: keep ? cited : undefined, documents: documentsOf(e.source.document, ranges) };
    },
    unit(u: Unit, file: string): Unit & Cited {
      const cited: CitedField[] = [];
      const summary = u.summary === undefined ? undefined : read(file, u.id, cited, 'summary', u.summary);
      for (const field of ['name', 'type', 'municipality', 'state', 'status', 'expected'] as const) {
        const value = u[field];
        if (value === undefined) continue;
        const general = u.general?.[field];
        cited.push({ field, segments: [{ text: value, general, nameAtStart: true }] });
      }
      for (const field of ['beds', 'progress'] as const)
        if (u[field] !== undefined) cited.push({ field, segments: [{ text: String(u[field]) }] });
      return { ...u, summary, cited: keep ? cited : undefined, documents: documentsOf(u.source.document, rangesOf(u.source, cited)) };
    },
  };
}

/** One line per problem: `file:line › entry › field: message`, errors first. */
export function formatProblems(problems: readonly Problem[]): string {
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return sorted
    .map((p) => {
      const where = [p.line ? `${p.file}:${p.line}` : p.file, p.entry, p.field].filter(Boolean).join(' › ');
      const head = `${p.severity === 'error' ? 'ERROR ' : 'AVISO '} ${where}: ${p.message}`;
      return p.excerpt && p.line ? `${head}\n         línea ${p.line}: «${p.excerpt}»` : head;
    })
    .join('\n');
}
