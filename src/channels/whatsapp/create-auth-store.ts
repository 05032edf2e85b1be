import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
} from '@whiskeysockets/baileys';

/** Baileys' credentials and keys, kept on disk with atomic writes. */
export interface AuthStore {
  /** What `makeWASocket({ auth })` takes; `state.creds` is updated in place by Baileys. */
  state: AuthenticationState;
  /** Writes the credentials (call on every `creds.update`). */
  saveCreds(): Promise<void>;
  /** Waits until every pending write is on disk (call before exit). */
  flush(): Promise<void>;
  /** Forgets the pairing: deletes the files and starts over with fresh credentials. */
  clear(): Promise<void>;
  /** True when a number is linked (a pairing was completed, by QR or by code). */
  isPaired(): boolean;
}

type KeyType = keyof SignalDataTypeMap;

/** Keys of each type are spread over this many files, so one change rewrites a small file. */
const SHARDS = 16;

/**
 * An auth store for Baileys 7 in one folder: `creds.json` plus the signal keys of every type
 * Baileys asks for (`pre-key`, `session`, `sender-key`, `app-state-sync-key`, `lid-mapping`,
 * `device-list`, `tctoken`, …) grouped by type into a few shard files. Keys live in memory and
 * each change is written before `set` resolves; every write goes to a temporary file, is synced
 * and renamed over the old one, so a crash leaves either the old or the new file, never half of one.
 * Unlike Baileys' `useMultiFileAuthState` demo it does not create one file per key.
 *
 * ```ts
 * const auth = await createAuthStore(join(DATA_DIR, 'whatsapp'));
 * const sock = makeWASocket({ auth: auth.state });
 * sock.ev.on('creds.update', () => void auth.saveCreds());
 * ```
 */
export async function createAuthStore(dir: string): Promise<AuthStore> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys = new Map<string, Map<string, unknown>>();
  const credsFile = join(dir, 'creds.json');
  // No file: a first start. A file that is not whole credentials (bad JSON, `null`, fields
  // missing) is refused with DamagedSessionError rather than handed to Baileys.
  const saved = await readJson<AuthenticationCreds>(credsFile);
  let creds: AuthenticationCreds = saved === undefined ? initAuthCreds() : checkCreds(saved, credsFile);

  for (const name of await readdir(dir)) {
    const m = /^keys-(.+)-(\d+)\.json$/.exec(name);
    if (!m) continue;
    const saved = await readJson<Record<string, unknown>>(join(dir, name));
    if (!saved) continue;
    const bucket = keys.get(m[1] as string) ?? new Map<string, unknown>();
    for (const [id, v] of Object.entries(saved)) bucket.set(id, v);
    keys.set(m[1] as string, bucket);
  }

  const shardOf = (id: string) => (createHash('sha1').update(id).digest()[0] as number) % SHARDS;
  const dirty = new Set<string>(); // `${type}\n${shard}`
  let credsDirty = false;
  let writing: Promise<void> = Promise.resolve();

  /** Writes whatever is dirty now; chained so two writes of one file never overlap. */
  function persist(): Promise<void> {
    writing = writing
      .catch(() => {})
      .then(async () => {
        const files = [...dirty];
        dirty.clear();
        const writeCreds = credsDirty;
        credsDirty = false;
        for (const f of files) {
          const [type, shard] = f.split('\n') as [string, string];
          const content: Record<string, unknown> = {};
          for (const [id, v] of keys.get(type) ?? []) if (String(shardOf(id)) === shard) content[id] = v;
          await writeAtomic(join(dir, `keys-${type}-${shard}.json`), JSON.stringify(content, BufferJSON.replacer));
        }
        if (writeCreds) await writeAtomic(credsFile, JSON.stringify(state.creds, BufferJSON.replacer));
      });
    return writing;
  }

  const state: AuthenticationState = {
    creds,
    keys: {
      async get<T extends KeyType>(type: T, ids: string[]) {
        const bucket = keys.get(type);
        const out: { [id: string]: SignalDataTypeMap[T] } = {};
        for (const id of ids) {
          let v = bucket?.get(id);
          if (v === undefined || v === null) continue;
          if (type === 'app-state-sync-key') v = proto.Message.AppStateSyncKeyData.fromObject(v as object);
          out[id] = v as SignalDataTypeMap[T];
        }
        return out;
      },
      async set(data: SignalDataSet) {
        for (const type of Object.keys(data) as KeyType[]) {
          const entries = data[type];
          if (!entries) continue;
          const bucket = keys.get(type) ?? new Map<string, unknown>();
          keys.set(type, bucket);
          for (const [id, v] of Object.entries(entries)) {
            if (v === null || v === undefined) bucket.delete(id);
            else bucket.set(id, v);
            dirty.add(`${type}\n${shardOf(id)}`);
          }
        }
        await persist();
      },
      async clear() {
        for (const [type, bucket] of keys) for (const id of bucket.keys()) dirty.add(`${type}\n${shardOf(id)}`);
        keys.clear();
        await persist();
      },
    },
  };

  return {
    state,
    saveCreds() {
      credsDirty = true;
      return persist();
    },
    async flush() {
      credsDirty = true;
      await persist();
    },
    async clear() {
      await writing.catch(() => {});
      keys.clear();
      dirty.clear();
      credsDirty = false;
      for (const name of await readdir(dir)) if (/^(creds|keys-.+)\.json$/.test(name)) await rm(join(dir, name), { force: true });
      creds = initAuthCreds();
      // Baileys holds `state.creds`: refill the same object so a new socket starts unpaired.
      for (const k of Object.keys(state.creds)) delete (state.creds as unknown as Record<string, unknown>)[k];
      Object.assign(state.creds, creds);
      creds = state.creds;
    },
    // `account` (the signed device identity) is only set by a completed pairing; `me` is also set
    // by a pairing-code request that may never be completed.
    isPaired: () => Boolean(state.creds.account),
  };
}

/** The fields without which Baileys cannot open a session (it would throw deep inside the socket). */
const REQUIRED_CREDS = ['noiseKey', 'pairingEphemeralKeyPair', 'signedIdentityKey', 'signedPreKey', 'registrationId', 'advSecretKey'] as const;

/** Thrown when the saved session cannot be used: the message says what to do, without any number. */
export class DamagedSessionError extends Error {
  override name = 'DamagedSessionError';
}

function checkCreds(creds: AuthenticationCreds, file: string): AuthenticationCreds {
  const c = creds as unknown as Record<string, unknown> | null;
  const missing = typeof c === 'object' && c !== null ? REQUIRED_CREDS.filter((k) => c[k] === undefined || c[k] === null) : ['(no es un objeto)'];
  const keyOk = (k: unknown) => typeof k === 'object' && k !== null && (k as { private?: unknown }).private instanceof Uint8Array;
  if (missing.length === 0 && (!keyOk(c?.noiseKey) || !keyOk(c?.signedIdentityKey))) missing.push('noiseKey/signedIdentityKey');
  if (missing.length > 0)
    throw new DamagedSessionError(`No se pudo leer ${file} (sesión de WhatsApp dañada: faltan ${missing.join(', ')}; bórrela y vuelva a vincular el número)`);
  return creds;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8'), BufferJSON.reviver) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DamagedSessionError(`No se pudo leer ${file} (sesión de WhatsApp dañada: bórrela y vuelva a vincular el número): ${(err as Error).message}`);
  }
}

/** Temporary file beside the target, synced, then renamed over it. */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }); // (a full disk leaves no stray temporary file)
    throw err;
  }
}
