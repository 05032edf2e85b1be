import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `data` to `target` whole or not at all: a temporary file beside it (`<target>.<pid>.tmp`,
 * with `mode`), then a rename over it. When the write fails (ENOSPC, EACCES…) the temporary file
 * is removed and the error thrown, so a full disk leaves neither half a file nor a stray one.
 *
 * ```ts
 * writeFileAtomicSync(join(dataDir, 'staff.key'), key.toString('hex'), 0o600);
 * ```
 */
export function writeFileAtomicSync(target: string, data: string, mode?: number): void {
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data, mode === undefined ? undefined : { mode });
    if (mode !== undefined) chmodSync(tmp, mode); // (a temporary file left by a crash keeps its old mode otherwise)
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
