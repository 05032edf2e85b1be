/**
 * The command line of every CLI, on `node:util` `parseArgs`: `--help` (`-h`) prints the usage and
 * exits 0; an unknown option, a missing or extra value, a stray word or a bad number prints one
 * Spanish line saying what is wrong, then the usage, and exits 2.
 *
 * ```ts
 * const cli = readCommandLine({ usage: 'uso: npm run report [-- --top N]', options: { top: { type: 'string' } } });
 * const top = cli.int('top', { min: 1 }) ?? 20; // `--top abc` → exit 2, never 20
 * ```
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { editDistance } from '../text/edit-distance.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>;

export interface CommandLineSpec<O extends Options> {
  /** The usage text: printed by `--help`, and after any mistake. */
  usage: string;
  options: O;
  /** Whether free words (a question, files) are taken; by default a stray word is a mistake. */
  positionals?: boolean;
}

export interface CommandLine<O extends Options> {
  values: Parsed<O>['values'];
  positionals: string[];
  /** `--help` or `-h` was given. */
  help: boolean;
  /** The option as an integer (undefined when absent); anything else is a usage mistake. */
  int(name: keyof O & string, range?: { min?: number; max?: number }): number | undefined;
  /** The option as a number (decimals allowed), within the range. */
  number(name: keyof O & string, range?: { min?: number; max?: number }): number | undefined;
  /** One of the given words. */
  oneOf<T extends string>(name: keyof O & string, allowed: readonly T[]): T | undefined;
}

/** A mistake on the command line, with the Spanish line that explains it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/** Whether help was asked (it wins over anything else), else the first mistake in Spanish, if any. */
function diagnose(options: Options, args: readonly string[], positionals: boolean): { help: boolean; mistake?: string } {
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: true };
  return { help: false, mistake: firstMistake(options, tokens, positionals) };
}

function firstMistake(options: Options, tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>, positionals: boolean): string | undefined {
  for (const t of tokens) {
    if (t.kind === 'positional') {
      if (!positionals) return `no esperaba «${t.value}»: este comando solo recibe opciones`;
      continue;
    }
    if (t.kind !== 'option') continue;
    const def = options[t.name];
    if (!def) {
      const near = Object.keys(options).filter((name) => editDistance(t.rawName.replace(/^-+/, ''), name) <= 2);
      return `no conozco la opción ${t.rawName}${near.length > 0 ? ` (¿quiso decir --${near[0]}?)` : ''}`;
    }
    if (def.type === 'boolean' && t.inlineValue) return `${t.rawName} no lleva valor (escriba solo ${t.rawName})`;
    if (def.type === 'string' && t.value === undefined) return `a ${t.rawName} le falta el valor (p. ej. ${t.rawName} 10)`;
    if (def.type === 'string' && !t.inlineValue && t.value?.startsWith('-'))
      return `a ${t.rawName} le falta el valor: después viene «${t.value}» (un valor que empieza con «-» se escribe ${t.rawName}=${t.value})`;
  }
  return undefined;
}

const rangeText = (range: { min?: number; max?: number }) =>
  range.min !== undefined && range.max !== undefined
    ? ` entre ${range.min} y ${range.max}`
    : range.min !== undefined
      ? ` de ${range.min} en adelante`
      : range.max !== undefined
        ? ` hasta ${range.max}`
        : '';

/**
 * Parses `args` against the spec; throws `UsageError` on any mistake (also from `int`, `number`
 * and `oneOf`). `readCommandLine` is the same for a CLI's main: it prints and exits instead.
 */
export function parseCommandLine<const O extends Options>(
  spec: CommandLineSpec<O>,
  args: readonly string[],
  fail: (message: string) => never = (message) => {
    throw new UsageError(message);
  },
): CommandLine<O> {
  const options = { ...spec.options, ...HELP } as O & typeof HELP;
  const { help, mistake } = diagnose(options, args, spec.positionals ?? false);
  if (mistake) fail(mistake);
  if (help) return { values: {} as Parsed<O>['values'], positionals: [], help: true, int: () => undefined, number: () => undefined, oneOf: () => undefined };
  let parsed: Parsed<O & typeof HELP>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: spec.positionals ?? false }) as Parsed<O & typeof HELP>;
  } catch (err) {
    // (whatever `diagnose` did not foresee: parseArgs' own words)
    fail(`argumentos no válidos: ${(err as Error).message}`);
  }
  const { help: _help, ...values } = parsed.values as Record<string, unknown>;
  const raw = (name: string) => {
    const v = (parsed.values as Record<string, unknown>)[name];
    return typeof v === 'string' ? v : undefined;
  };
  const numeric = (name: string, range: { min?: number; max?: number }, integer: boolean) => {
    const v = raw(name);
    if (v === undefined) return undefined;
    const n = v.trim() === '' ? Number.NaN : Number(v);
    const ok = Number.isFinite(n) && (!integer || Number.isInteger(n)) && (range.min === undefined || n >= range.min) && (range.max === undefined || n <= range.max);
    if (!ok) fail(`--${name} espera un número${integer ? ' entero' : ''}${rangeText(range)}; recibió «${v}»`);
    return n;
  };
  return {
    values: values as Parsed<O>['values'],
    positionals: parsed.positionals,
    help: false,
    int: (name, range = {}) => numeric(name, range, true),
    number: (name, range = {}) => numeric(name, range, false),
    oneOf: (name, allowed) => {
      const v = raw(name);
      if (v === undefined) return undefined;
      if (!(allowed as readonly string[]).includes(v)) fail(`--${name} espera ${allowed.join(', ')}; recibió «${v}»`);
      return v as (typeof allowed)[number];
    },
  };
}

/**
 * A CLI's command line from `process.argv`: with `--help`, prints the usage on stdout and exits 0;
 * on a mistake, prints `error: …` and the usage on stderr and exits 2.
 */
export function readCommandLine<const O extends Options>(spec: CommandLineSpec<O>, args: readonly string[] = process.argv.slice(2)): CommandLine<O> {
  const fail = (message: string): never => {
    process.stderr.write(`error: ${message}\n\n${spec.usage.trimEnd()}\n`);
    process.exit(2);
  };
  const cli = parseCommandLine(spec, args, fail);
  if (cli.help) {
    process.stdout.write(`${spec.usage.trimEnd()}\n`);
    process.exit(0);
  }
  return cli;
}

/** Stops a CLI with a usage mistake found after parsing (a missing question, files…): message, usage, exit 2. */
export function usageMistake(usage: string, message: string): never {
  process.stderr.write(`error: ${message}\n\n${usage.trimEnd()}\n`);
  process.exit(2);
}
