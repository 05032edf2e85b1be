import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../write-atomic.js';

/**
 * The key of the hash that pseudonymises user ids in the staff store: derived from
 * `STAFF_TOKEN` when set, else a random key created once in `DATA_DIR/staff.key` (mode 600).
 * Changing it makes old records unlinkable to new ones (and "borrar mis datos" will not find them).
 */
export function staffKey(opts: { dataDir: string; staffToken?: string; onUnsaved?: (err: unknown) => void }): Buffer {
  if (opts.staffToken) return createHash('sha256').update(`orienta-pseudonym:${opts.staffToken}`).digest();
  const path = join(opts.dataDir, 'staff.key');
  try {
    const saved = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
    if (saved.length >= 32) return saved;
  } catch {
    /* first start */
  }
  const key = randomBytes(32);
  try {
    mkdirSync(opts.dataDir, { recursive: true });
    writeFileAtomicSync(path, key.toString('hex'), 0o600);
  } catch (err) {
    // (a full or read-only disk: this run still pseudonymises, with a key the next start will not have)
    if (!opts.onUnsaved) throw err;
    opts.onUnsaved(err);
  }
  return key;
}
