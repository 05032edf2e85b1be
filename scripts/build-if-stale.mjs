// `npm start`'s prestart: compiles src/ to dist/ only when a source file (or a tsconfig) is newer
// than the last build, so a start with nothing changed skips the compiler. The last build is
// dist/.tsbuildinfo (tsc's incremental state, tsconfig.build.json), touched after every build
// this script runs. Without src/ (the Docker image ships dist/ only) there is nothing to build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = join('dist', '.tsbuildinfo');

/** The newest modification time under `dir` (files only), 0 when empty. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (!existsSync('src')) process.exit(0);
const sources = Math.max(newest('src'), ...['tsconfig.json', 'tsconfig.build.json'].filter((f) => existsSync(f)).map((f) => statSync(f).mtimeMs));
const built = existsSync(STAMP) && existsSync(join('dist', 'main.js')) ? statSync(STAMP).mtimeMs : 0;
if (built >= sources) process.exit(0);
// (outputs gone but the state kept would make tsc think there is nothing to emit)
if (!existsSync(join('dist', 'main.js'))) rmSync(STAMP, { force: true });
console.error(built === 0 ? 'Compilando src/ a dist/…' : 'src/ cambió desde la última compilación: compilando a dist/…');
const r = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) process.exit(r.status ?? 1);
const now = new Date();
utimesSync(STAMP, now, now);
