import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** The files of a knowledge folder, in the order they are read. */
export interface KnowledgeFiles {
  sources: string;
  states: string;
  emergency: string;
  conversation: string;
  topics: string[];
  units: string[];
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/i.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

export function knowledgeFiles(dir: string): KnowledgeFiles {
  return {
    sources: join(dir, 'sources.yaml'),
    states: join(dir, 'states.yaml'),
    emergency: join(dir, 'emergencias.yaml'),
    conversation: join(dir, 'conversacion.yaml'),
    topics: yamlFiles(join(dir, 'topics')),
    units: yamlFiles(join(dir, 'units')),
  };
}

/**
 * Short hash of every file's path and content: changes whenever staff edit anything. Cheap (no
 * parsing), so a start can ask for the snapshot of this version before loading any parser.
 */
export function knowledgeVersion(files: KnowledgeFiles): string {
  const hash = createHash('sha256');
  // (read in chunks: a huge file by mistake costs time, not its size in memory)
  const chunk = Buffer.allocUnsafe(1 << 20);
  for (const p of [files.sources, files.states, files.emergency, files.conversation, ...files.topics, ...files.units]) {
    let fd: number | undefined;
    try {
      fd = openSync(p, 'r');
      hash.update(p);
      for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
    } catch {
      /* a missing file is reported by the loader */
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return hash.digest('hex').slice(0, 12);
}
