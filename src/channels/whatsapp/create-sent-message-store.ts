import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { proto, type WAMessage, type WAMessageKey } from '@whiskeysockets/baileys';
import { writeAtomic } from './create-auth-store.js';

export interface SentMessageStoreOptions {
  /** Most messages kept (default 2,000). */
  max?: number;
  /** Oldest message kept (default 24 h). */
  maxAgeMs?: number;
  now?: () => number;
}

/** The bot's recent outgoing messages, by key id, for Baileys' `getMessage` (retry receipts). */
export interface SentMessageStore {
  /** Keeps what `sendMessage` returned (ignored when it has no id or no content). */
  remember(msg: WAMessage | undefined | unknown): void;
  /** What Baileys' `getMessage` option takes: the content of a message the bot sent, if still kept. */
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
  size(): number;
  /** Waits until the latest change is on disk. */
  flush(): Promise<void>;
  /** True when the file could not be read and the store started empty. */
  readonly damaged: boolean;
}

interface Saved {
  /** When it was sent (ms). */
  at: number;
  /** `proto.Message`, encoded, in base64: only the content, which is all a retry needs. */
  m: string;
}

/**
 * When a phone cannot decrypt a message from the bot it sends a retry receipt, and Baileys asks
 * `getMessage(key)` for the content to encrypt it again; without it the person sees «Esperando
 * el mensaje» for ever. This store keeps the content of the last `max` sent messages (none older
 * than `maxAgeMs`) by key id, in memory and in one file written atomically after each change
 * (coalesced), so it survives reconnects and restarts. It keeps no jid: only the id, the time
 * and the content the bot itself wrote. A damaged file is set aside (started empty), never fatal.
 *
 * ```ts
 * const sent = await createSentMessageStore(join(authDir, 'sent-messages.json'));
 * makeWASocket({ getMessage: sent.getMessage, … });
 * sent.remember(await sock.sendMessage(jid, { text }));
 * ```
 */
export async function createSentMessageStore(file: string, opts: SentMessageStoreOptions = {}): Promise<SentMessageStore> {
  const max = opts.max ?? 2_000;
  const maxAge = opts.maxAgeMs ?? 24 * 60 * 60_000;
  const now = opts.now ?? Date.now;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const kept = new Map<string, Saved>();
  let damaged = false;
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, Saved>;
    for (const [id, v] of Object.entries(saved)) if (typeof v?.at === 'number' && typeof v.m === 'string') kept.set(id, v);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') damaged = true;
  }

  const prune = () => {
    const oldest = now() - maxAge;
    for (const [id, v] of kept) {
      if (v.at >= oldest && kept.size <= max) break;
      kept.delete(id);
    }
  };
  prune();

  let dirty = false;
  let writing: Promise<void> = Promise.resolve();
  const persist = () => {
    dirty = true;
    writing = writing
      .catch(() => {})
      .then(async () => {
        if (!dirty) return;
        dirty = false;
        await writeAtomic(file, JSON.stringify(Object.fromEntries(kept)));
      });
    writing.catch(() => {});
    return writing;
  };

  return {
    remember(msg) {
      const m = msg as WAMessage | undefined;
      const id = m?.key?.id;
      if (!id || !m?.message) return;
      kept.delete(id);
      kept.set(id, { at: now(), m: Buffer.from(proto.Message.encode(proto.Message.fromObject(m.message)).finish()).toString('base64') });
      prune();
      void persist();
    },
    async getMessage(key) {
      const v = key.id ? kept.get(key.id) : undefined;
      if (!v || v.at < now() - maxAge) return undefined;
      return proto.Message.decode(Buffer.from(v.m, 'base64'));
    },
    size: () => kept.size,
    flush: () => writing.catch(() => {}),
    get damaged() {
      return damaged;
    },
  };
}
