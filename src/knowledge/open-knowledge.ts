import { knowledgeFiles, knowledgeVersion } from './knowledge-version.js';
import type { LoadResult } from './load-knowledge.js';
import { readLastGood, readSnapshot } from './snapshot.js';

export interface OpenResult extends LoadResult {
  /**
   * Set when the files are invalid and `knowledge` is the last good copy kept under `snapshotDir`
   * (with `lastGood: true`); `problems` then are the files' errors, to be shown loudly.
   */
  lastGood?: { version: string };
}

/**
 * `loadKnowledge` for a start: when no file changed since the last start, the checked snapshot
 * under `snapshotDir`, read without loading the YAML parser or the schemas (zod) at all; else
 * the full load, which validates everything and writes the snapshot for the next start. With
 * `lastGood`, invalid files do not stop the start: the last knowledge that passed the checks is
 * returned instead, with the files' problems and `lastGood` set (the caller must warn).
 *
 * ```ts
 * const { knowledge, problems, lastGood } = await openKnowledge('knowledge', { snapshotDir: 'data/cache', lastGood: true });
 * ```
 */
export async function openKnowledge(dir: string, opts: { snapshotDir?: string; lastGood?: boolean } = {}): Promise<OpenResult> {
  if (opts.snapshotDir) {
    const files = knowledgeFiles(dir);
    const kept = files.topics.length > 0 ? readSnapshot(opts.snapshotDir, knowledgeVersion(files)) : undefined;
    if (kept) return kept;
  }
  const { loadKnowledge } = await import('./load-knowledge.js');
  const result = loadKnowledge(dir, { snapshotDir: opts.snapshotDir });
  if (result.knowledge || !opts.lastGood || !opts.snapshotDir) return result;
  const good = readLastGood(opts.snapshotDir);
  if (!good?.knowledge) return result;
  return { knowledge: good.knowledge, problems: result.problems, lastGood: { version: good.knowledge.version } };
}
