import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

const REDACT = {
  paths: ['token', '*.token', 'config.TELEGRAM_BOT_TOKEN', 'config.STAFF_TOKEN', 'text', '*.text', 'phone', '*.phone', 'jid', '*.jid'],
  censor: '[oculto]',
};

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
 * redacted wherever they appear under the usual names. With `file`, as the terminal chat wants it
 * (see `LoggerOptions`).
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const settings = { level, base: { app: 'orienta' }, redact: REDACT };
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
