import { knowledgeFiles, knowledgeVersion } from './knowledge-version.js';
import type { LoadResult } from './load-knowledge.js';
import { readSnapshot } from './snapshot.js';

/**
 * `loadKnowledge` for a start: when no file changed since the last start, the checked snapshot
 * under `snapshotDir`, read without loading the YAML parser or the schemas (zod) at all; else
 * the full load, which validates everything and writes the snapshot for the next start.
 *
 * ```ts
 * const { knowledge, problems } = await openKnowledge('knowledge', { snapshotDir: 'data/cache' });
 * ```
 */
export async function openKnowledge(dir: string, opts: { snapshotDir?: string } = {}): Promise<LoadResult> {
  if (opts.snapshotDir) {
    const files = knowledgeFiles(dir);
    const kept = files.topics.length > 0 ? readSnapshot(opts.snapshotDir, knowledgeVersion(files)) : undefined;
    if (kept) return kept;
  }
  const { loadKnowledge } = await import('./load-knowledge.js');
  return loadKnowledge(dir, opts);
}
