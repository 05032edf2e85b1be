import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

const CENSOR = '[oculto]';

/**
 * Fields that hold a person's id or words wherever they appear: ours (`text`, `phone`, `jid`) and
 * Baileys' (a message `key`, `remoteJid`, `participant`, `sender`, `author`, a stanza's `from`, its
 * `attrs`, the node it failed on).
 */
const PERSONAL_FIELDS = [
  'text',
  'phone',
  'jid',
  'remoteJid',
  'remoteJidAlt',
  'participant',
  'participantAlt',
  'sender',
  'senderAlt',
  'author',
  'from',
  'fromJid',
  'destinationJid',
  'lid',
  'pn',
  'attrs',
  'node',
  'fullErrorNode',
];
const PERSONAL = new Set(PERSONAL_FIELDS);

const REDACT = {
  paths: [
    'token',
    '*.token',
    'config.TELEGRAM_BOT_TOKEN',
    'config.STAFF_TOKEN',
    'key.*',
    '*.key.*',
    ...PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
  ],
  censor: CENSOR,
};

// A WhatsApp id ("5215512345678@s.whatsapp.net", "1234…:12@lid") or a run of 10 or more digits (a phone
// number, with or without spaces or dashes) inside any logged string, e.g. an error message.
const IDS_IN_TEXT = /[\w.:-]*@(?:s\.whatsapp\.net|c\.us|g\.us|lid|broadcast|newsletter)\b|\+?\d(?:[\s.()-]*\d){9,}/g;

/**
 * What `redact`'s fixed paths cannot reach: the same fields at any depth, and ids inside strings.
 * (Pino's `formatters.log` runs before its serializers and before `redact`, for every child.)
 */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return IDS_IN_TEXT.test(value) ? ((IDS_IN_TEXT.lastIndex = 0), value.replace(IDS_IN_TEXT, CENSOR)) : value;
  if (!value || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) {
    const message = scrub(value.message, depth + 1);
    const stack = scrub(value.stack, depth + 1);
    return message === value.message && stack === value.stack ? value : { type: value.name, message, stack };
  }
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const s = scrub(v, depth + 1);
      if (s !== v) changed = true;
      return s;
    });
    return changed ? out : value;
  }
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const s = PERSONAL.has(k) && v !== undefined && v !== null ? CENSOR : depth > 0 && k === 'key' && v && typeof v === 'object' ? CENSOR : scrub(v, depth + 1);
    if (s !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = s;
  }
  return out ?? value;
}

export interface LoggerOptions {
  /**
   * While the terminal chat runs: every line goes to this file (appended, folders created), and
   * the terminal gets only warnings and errors, each as one short readable line, so JSON never
   * prints over the prompt.
   */
  file?: string;
  /** Where those short lines go (default: stderr). */
  terminal?: NodeJS.WritableStream;
}

/** A pino JSON line as one short line for a person: "aviso: <msg> (detalles en <file>)". */
function readableWarnings(file: string, out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        let entry: { level?: number; msg?: unknown };
        try {
          entry = JSON.parse(line) as { level?: number; msg?: unknown };
        } catch {
          entry = { msg: line };
        }
        const label = (entry.level ?? 40) >= 50 ? 'error' : 'aviso';
        out.write(`${label}: ${String(entry.msg ?? '')} (detalles en ${file})\n`);
      }
      done();
    },
  });
}

/**
 * The process logger: JSON lines on stderr (stdout belongs to `ask`), secrets and personal data
 * redacted wherever they appear under the usual names (at any depth, Baileys' included, since
 * children inherit both `redact` and the scrubbing), WhatsApp ids and phone numbers inside any string. With `file`, as the terminal chat wants it
 * (see `LoggerOptions`).
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings: pino.LoggerOptions = {
    level,
    base: { app: 'orienta' },
    redact: REDACT,
    formatters: { log: (o: Record<string, unknown>) => scrub(o) as Record<string, unknown> },
    // (the message itself too: Baileys writes some ids into it)
    hooks: {
      logMethod(args, method) {
        return method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  if (!options.file || level === 'silent') return pino(settings, pino.destination(2));
  // (synchronous writes: a line logged just before process.exit is not lost)
  const file = pino.destination({ dest: options.file, mkdir: true, sync: true });
  return pino(
    settings,
    pino.multistream([
      { level: level as pino.Level, stream: file },
      { level: 'warn', stream: readableWarnings(options.file, options.terminal ?? process.stderr) },
    ]),
  );
}
export type { Logger };
