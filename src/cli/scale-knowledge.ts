import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

/**
 * An N× copy of the knowledge base in a temporary folder, for `npm run bench -- --scale N`: every
 * topic file is copied N−1 more times as a topic of its own, with its entry ids (and every
 * reference to them) suffixed, so the loader accepts it and the index holds N times the entries
 * and example questions. Units, states and the conversation file stay as they are.
 *
 * ```ts
 * const dir = scaleKnowledge('knowledge', 10); // 10× the entries, in /tmp/orienta-scale-…
 * ```
 */
export function scaleKnowledge(source: string, n: number): string {
  const dir = mkdtempSync(join(tmpdir(), `orienta-scale-${n}x-`));
  cpSync(source, dir, { recursive: true });
  const topics = join(source, 'topics');
  const files = readdirSync(topics).filter((f) => /\.ya?ml$/.test(f));
  const ids = new Set<string>();
  const parsed = files.map((f) => {
    const doc = parse(readFileSync(join(topics, f), 'utf8')) as { topic: string; entries: { id: string }[] };
    for (const e of doc.entries) ids.add(e.id);
    return { f, doc };
  });
  // Every string that is an entry id (the id itself, `related`, …) gets the copy's suffix.
  const suffixed = (value: unknown, suffix: string): unknown => {
    if (typeof value === 'string') return ids.has(value) ? `${value}${suffix}` : value;
    if (Array.isArray(value)) return value.map((v) => suffixed(v, suffix));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, suffixed(v, suffix)]));
    return value;
  };
  for (let k = 2; k <= n; k++)
    for (const { f, doc } of parsed) {
      const copy = suffixed(doc, `-x${k}`) as { topic: string };
      copy.topic = `${doc.topic}-x${k}`;
      writeFileSync(join(dir, 'topics', f.replace(/\.ya?ml$/, `-x${k}.yaml`)), stringify(copy));
    }
  return dir;
}
