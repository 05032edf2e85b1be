import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { checkKnowledge } from './check-knowledge.js';
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
}

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
function parseFile<S extends z.ZodType>(
  path: string,
  root: string,
  schema: S,
  problems: Problem[],
): Parsed<z.infer<S>> {
  const file = relative(process.cwd(), path) || path;
  let text: string;
  try {
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
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = lineCounter.linePos(e.pos[0]).line;
      problems.push({
        severity: 'error',
        file,
        line,
        message: `el archivo no es YAML válido: ${e.message.split('\n')[0]} (revise sangrías, dos puntos y comillas)`,
      });
    }
    return { file };
  }
  const raw = doc.toJS() as unknown;
  const result = schema.safeParse(raw);
  if (result.success) return { data: result.data, file };
  for (const issue of result.error.issues) {
    const path = issue.path as (string | number)[];
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    let line = node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    let entry: string | undefined;
    // entries[3].answer → the entry's id and the field name
    if (typeof path[1] === 'number') {
      const item = doc.getIn(path.slice(0, 2), true) as { range?: [number, number] } | undefined;
      const id = doc.getIn([...path.slice(0, 2), 'id']);
      entry = typeof id === 'string' ? id : `elemento ${path[1] + 1} de «${path[0]}»`;
      if (line === undefined && item?.range) line = lineCounter.linePos(item.range[0]).line;
    }
    const field = (typeof path[1] === 'number' ? path.slice(2) : path).join('.') || undefined;
    problems.push({ severity: 'error', file, entry, field, line, message: issueMessage(issue, doc.getIn(path)) });
  }
  void root;
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
export function loadKnowledge(dir: string, opts: { snapshotDir?: string; citations?: boolean } = {}): LoadResult {
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

  const sourcesFile = parseFile(sourcesPath, dir, SourcesFile, problems);
  const statesFile = parseFile(statesPath, dir, StatesFile, problems);
  const emergency = parseFile(emergencyPath, dir, EmergencyFile, problems);
  const conversation = parseFile(conversationPath, dir, ConversationFile, problems);
  const topicFiles = topicPaths.map((p) => parseFile(p, dir, TopicFile, problems));
  const unitFiles = unitPaths.map((p) => parseFile(p, dir, UnitsFile, problems));

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
  problems.push(
    ...checkKnowledge(knowledge, { statesFile: statesFile.file, conversationFile: conversation.file, emergencyFile: emergency.file }),
  );
  if (problems.some((p) => p.severity === 'error')) return { problems };
  if (opts.snapshotDir && !opts.citations) writeSnapshot(opts.snapshotDir, { knowledge, problems });
  return { knowledge, problems };
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
      return `${p.severity === 'error' ? 'ERROR ' : 'AVISO '} ${where}: ${p.message}`;
    })
    .join('\n');
}
