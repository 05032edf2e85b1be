import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../src/cli/cli-args.js';

const spec = {
  usage: 'uso: prueba [--top N] [--json]',
  options: { top: { type: 'string' }, json: { type: 'boolean' }, mode: { type: 'string' } },
} as const;

const mistake = (args: string[], positionals = false) => {
  try {
    const cli = parseCommandLine({ ...spec, positionals }, args);
    cli.int('top', { min: 1 });
    cli.oneOf('mode', ['a', 'b']);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  return undefined;
};

describe('parseCommandLine (node:util parseArgs, mistakes in Spanish)', () => {
  it('reads options and words', () => {
    const cli = parseCommandLine({ ...spec, positionals: true }, ['--top', '30', '--json', 'uno', 'dos']);
    expect(cli.help).toBe(false);
    expect(cli.int('top')).toBe(30);
    expect(cli.values.json).toBe(true);
    expect(cli.positionals).toEqual(['uno', 'dos']);
    expect(parseCommandLine(spec, ['--top=7']).int('top')).toBe(7);
    expect(parseCommandLine(spec, []).int('top')).toBeUndefined();
  });

  it('takes --help and -h over anything else on the line, mistakes included', () => {
    expect(parseCommandLine(spec, ['--help']).help).toBe(true);
    expect(parseCommandLine(spec, ['-h']).help).toBe(true);
    expect(parseCommandLine(spec, ['--nope', 'x', '--help']).help).toBe(true);
  });

  it('refuses a value that is not a number in range instead of falling back to the default', () => {
    expect(mistake(['--top', 'abc'])).toBe('--top espera un número entero de 1 en adelante; recibió «abc»');
    expect(mistake(['--top', '2.5'])).toMatch(/entero/);
    expect(mistake(['--top', '0'])).toMatch(/recibió «0»/);
    expect(mistake(['--top='])).toMatch(/recibió «»/);
    expect(parseCommandLine(spec, ['--top', '0.25']).number('top', { min: 0, max: 1 })).toBe(0.25);
  });

  it('names an unknown option, suggesting the nearest one', () => {
    expect(mistake(['--jsn'])).toBe('no conozco la opción --jsn (¿quiso decir --json?)');
    expect(mistake(['--everything'])).toBe('no conozco la opción --everything');
    expect(mistake(['-x'])).toBe('no conozco la opción -x');
  });

  it('says when a value is missing, extra or swallowed the next option', () => {
    expect(mistake(['--top'])).toMatch(/^a --top le falta el valor/);
    expect(mistake(['--top', '--json'])).toMatch(/^a --top le falta el valor: después viene «--json»/);
    expect(mistake(['--json=yes'])).toBe('--json no lleva valor (escriba solo --json)');
  });

  it('refuses stray words unless the command takes them, and words outside a list', () => {
    expect(mistake(['carpeta'])).toBe('no esperaba «carpeta»: este comando solo recibe opciones');
    expect(mistake(['carpeta'], true)).toBeUndefined();
    expect(mistake(['--mode', 'c'])).toBe('--mode espera a, b; recibió «c»');
  });
});
