import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomicSync } from '../write-atomic.js';
import { codeVersion } from '../code-version.js';
import type { Knowledge, LoadResult } from './load-knowledge.js';

/**
 * A checked copy of the parsed knowledge under DATA_DIR, so a restart skips reading the YAML and
 * validating it again when no file changed. It is named by the files' version and by the code
 * that gives the parsed knowledge its shape (the files of this folder: schemas, loader), and
 * carries a checksum of its own content: a snapshot of other files, of other code, or damaged on
 * disk is ignored and written again. Reading one needs neither the YAML parser nor zod.
 * `npm run kb:check` never uses it; it always checks everything.
 */
let codeKey: string | undefined;
const code = () => (codeKey ??= codeVersion([dirname(fileURLToPath(import.meta.url))]));

const fileOf = (dir: string, version: string) => join(dir, `knowledge-${version}-${code()}.json`);

interface Stored {
  checksum: string;
  body: string;
}

type Plain = Omit<Knowledge, 'sources' | 'entriesById' | 'unitsById'> & { sources: [string, unknown][] };

/** The result kept for `version`, or undefined when there is none or it is not sound. */
export function readSnapshot(dir: string, version: string): LoadResult | undefined {
  try {
    const stored = JSON.parse(readFileSync(fileOf(dir, version), 'utf8')) as Stored;
    if (createHash('sha256').update(stored.body).digest('hex') !== stored.checksum) return undefined;
    const { knowledge: plain, problems } = JSON.parse(stored.body) as { knowledge: Plain; problems: LoadResult['problems'] };
    if (plain.version !== version) return undefined;
    const knowledge = {
      ...plain,
      sources: new Map(plain.sources),
      entriesById: new Map(plain.entries.map((e) => [e.id, e])),
      unitsById: new Map(plain.units.map((u) => [u.id, u])),
    } as Knowledge;
    // The topics share their entries with the flat list, as when loaded from the files.
    const byId = knowledge.entriesById;
    for (const t of knowledge.topics) t.entries = t.entries.map((e) => byId.get(e.id) ?? e);
    return { knowledge, problems };
  } catch {
    return undefined;
  }
}

/**
 * The last knowledge that passed every check, whatever the files say now: `writeSnapshot` keeps
 * only the newest valid version, so the snapshot of this code that is left is the last good copy.
 * Undefined when there is none (first start, or a new build: another code's shape is not trusted).
 */
export function readLastGood(dir: string): LoadResult | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const suffix = `-${code()}.json`;
  const kept = names
    .filter((f) => f.startsWith('knowledge-') && f.endsWith(suffix))
    .map((f) => {
      let mtime = 0;
      try {
        mtime = statSync(join(dir, f)).mtimeMs;
      } catch {
        /* removed meanwhile: readSnapshot below will skip it */
      }
      return { version: f.slice('knowledge-'.length, -suffix.length), mtime };
    })
    .sort((a, b) => b.mtime - a.mtime);
  for (const { version } of kept) {
    const result = readSnapshot(dir, version);
    if (result) return result;
  }
  return undefined;
}

/** Keeps a valid result for the next start (written whole, then renamed: never half a file). */
export function writeSnapshot(dir: string, result: LoadResult): void {
  const k = result.knowledge;
  if (!k) return;
  try {
    mkdirSync(dir, { recursive: true });
    const { entriesById: _e, unitsById: _u, ...rest } = k;
    const plain: Plain = { ...rest, sources: [...k.sources] };
    const body = JSON.stringify({ knowledge: plain, problems: result.problems });
    const stored: Stored = { checksum: createHash('sha256').update(body).digest('hex'), body };
    const target = fileOf(dir, k.version);
    writeFileAtomicSync(target, JSON.stringify(stored));
    // (the snapshots of earlier versions are of no use any more)
    for (const f of readdirSync(dir)) if (/^knowledge-.*\.json$/.test(f) && join(dir, f) !== target) rmSync(join(dir, f), { force: true });
  } catch {
    /* a read-only DATA_DIR only costs the next start its time */
  }
}
