import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Short hash of the code in some folders (every .js/.ts file, by its path under the folder and
 * its content) and of some more files: a cache made by other code is named otherwise and never read.
 */
export function codeVersion(dirs: readonly string[], files: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const root of dirs) {
    const walk = (dir: string) => {
      for (const f of readdirSync(dir).sort()) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(js|ts)$/.test(f) && !f.endsWith('.d.ts')) hash.update(p.slice(root.length)).update(readFileSync(p));
      }
    };
    walk(root);
  }
  for (const f of files) hash.update(readFileSync(f));
  return hash.digest('hex').slice(0, 12);
}
