import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportStems, importStems } from '../text/terms.js';
import { writeFileAtomicSync } from '../write-atomic.js';
import { codeVersion } from '../code-version.js';
import type { EngineOptions } from './engine-options.js';
import type { IndexWarmth, Postings } from './retrieve/search-index.js';

/**
 * What building the engine computes from the knowledge, kept under DATA_DIR (`cache/`) so that a
 * restart with the same files does not compute it again: the stems of its words, the canonical
 * words of each text and the exact postings of each term (`IndexWarmth`). The file is named by
 * the knowledge version, the engine's own code (every file of `core/` and `text/`, and the
 * stemmer's version) and the engine options, and carries a checksum: a file of other knowledge,
 * other code or other options is never read, and a damaged one is ignored and written again.
 * Postings are stored as raw little-endian numbers (base64), so the scores come back bit for bit.
 */
let codeKey: string | undefined;
function code(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  codeKey ??= codeVersion([here, join(here, '..', 'text')], [createRequire(import.meta.url).resolve('@nlpjs/lang-es/package.json')]);
  return codeKey;
}

const fileOf = (dir: string, version: string, options: EngineOptions) => {
  const opts = createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 8);
  return join(dir, `engine-${version}-${code()}-${opts}.json`);
};

interface Stored {
  stems: [string, string][];
  tokens: [string, string][];
  terms: string[];
  lengths: number[];
  docs: string;
  scores: string;
}

/** A copy of the bytes in an aligned buffer of their own (a Buffer from base64 may start anywhere). */
function bytesOf(b64: string): ArrayBuffer {
  const b = Buffer.from(b64, 'base64');
  const out = new ArrayBuffer(b.length);
  new Uint8Array(out).set(b);
  return out;
}

/** The kept warmth (its stems primed into the stemmer's memo), or undefined when there is none sound. */
export function readEngineCache(dir: string, version: string, options: EngineOptions): IndexWarmth | undefined {
  try {
    const text = readFileSync(fileOf(dir, version, options), 'utf8');
    const nl = text.indexOf('\n');
    const body = text.slice(nl + 1);
    if (createHash('sha256').update(body).digest('hex') !== text.slice(0, nl)) return undefined;
    const s = JSON.parse(body) as Stored;
    const docs = new Int32Array(bytesOf(s.docs));
    const scores = new Float64Array(bytesOf(s.scores));
    const postings = new Map<string, Postings>();
    let at = 0;
    s.terms.forEach((term, i) => {
      const n = s.lengths[i] as number;
      postings.set(term, { docs: docs.subarray(at, at + n), scores: scores.subarray(at, at + n) });
      at += n;
    });
    if (at !== docs.length || at !== scores.length) return undefined;
    importStems(s.stems);
    return { tokens: new Map(s.tokens.map(([t, w]) => [t, w ? w.split(' ') : []])), postings };
  } catch {
    return undefined;
  }
}

/** Keeps a build's warmth for the next start (written whole, then renamed). A read-only folder only costs time. */
export function writeEngineCache(dir: string, version: string, options: EngineOptions, warmth: IndexWarmth): void {
  try {
    mkdirSync(dir, { recursive: true });
    const terms = [...warmth.postings.keys()];
    const lists = terms.map((t) => warmth.postings.get(t) as Postings);
    const total = lists.reduce((n, p) => n + p.docs.length, 0);
    const docs = new Int32Array(total);
    const scores = new Float64Array(total);
    let at = 0;
    for (const p of lists) {
      docs.set(p.docs, at);
      scores.set(p.scores, at);
      at += p.docs.length;
    }
    const stored: Stored = {
      stems: exportStems(),
      tokens: [...warmth.tokens].map(([t, w]) => [t, w.join(' ')]),
      terms,
      lengths: lists.map((p) => p.docs.length),
      docs: Buffer.from(docs.buffer).toString('base64'),
      scores: Buffer.from(scores.buffer).toString('base64'),
    };
    const body = JSON.stringify(stored);
    const target = fileOf(dir, version, options);
    writeFileAtomicSync(target, `${createHash('sha256').update(body).digest('hex')}\n${body}`);
    // (the caches of other knowledge or code are of no use any more; other options may still be)
    const current = `engine-${version}-${code()}-`;
    for (const f of readdirSync(dir)) if (/^engine-.*\.json$/.test(f) && !f.startsWith(current)) rmSync(join(dir, f), { force: true });
  } catch {
    /* ignored */
  }
}
