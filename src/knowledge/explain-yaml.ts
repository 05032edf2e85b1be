import type { LineCounter, YAMLError } from 'yaml';

/** Something that looks like a phone number (the rule `checkKnowledge` applies to answers). */
export const PHONE = /(?:\+?52[\s-]?)?\b(?:\d{2,3}[\s-]\d{3,4}[\s-]\d{4}|\d{10})\b|01[\s-]?800/;

/**
 * Line `n` (1-based) of `text` as it is shown to the staff: tabs drawn as `→` so they can be seen,
 * long lines cut, and the digits of anything that looks like a phone number masked (a report
 * must never copy one into a log).
 */
export function quoteLine(text: string, n: number): string | undefined {
  const line = text.split(/\r?\n/)[n - 1];
  if (line === undefined || line.trim() === '') return undefined;
  let shown = maskPhones(line).replace(/\t/g, '→');
  if (shown.length > 120) shown = `${shown.slice(0, 117)}…`;
  return shown;
}

export function maskPhones(text: string): string {
  return text.replace(new RegExp(PHONE.source, 'g'), (m) => m.replace(/\d/g, '#'));
}

export interface YamlExplanation {
  line: number;
  message: string;
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)?.[0] ?? '';

/**
 * One Spanish explanation for a file the YAML parser refuses: the parser reports a cascade (one tab
 * gives a dozen errors, none saying "tab"); the staff need the first real cause, its line and what to do.
 */
export function explainYaml(text: string, errors: readonly YAMLError[], lines: LineCounter): YamlExplanation {
  const all = text.split(/\r?\n/);
  const first = errors[0];
  const errorLine = first ? lines.linePos(first.pos[0]).line : 1;
  // A tab in the indentation is the most common cause and the parser never names it.
  const tab = all.findIndex((l, i) => i < Math.max(errorLine, 1) + 1 && indentOf(l).includes('\t') && l.trim() !== '');
  if (tab >= 0)
    return {
      line: tab + 1,
      message: `la línea ${tab + 1} empieza con un tabulador; use espacios (el editor a veces pone tabuladores: bórrelos y escriba espacios)`,
    };
  const line = errorLine;
  const here = all[line - 1] ?? '';
  switch (first?.code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      if (first.code === 'MISSING_CHAR' && /quote/i.test(first.message)) {
        const quote = first.message.includes("'") && !first.message.includes('"') ? "'" : '"';
        // The quote was opened on the last line before the error with an odd number of them.
        let opened = line;
        for (let i = Math.min(line, all.length) - 1; i >= 0; i--)
          if (((all[i] ?? '').split(quote).length - 1) % 2 === 1) {
            opened = i + 1;
            break;
          }
        return { line: opened, message: `en la línea ${opened} se abren comillas (${quote}) que no se cierran; ciérrelas al final del texto` };
      }
      {
        // The column where the fields above start (after the «- » of a list item).
        const keyLine = [...all.slice(0, line - 1)].reverse().find((l) => /^\s*(- +)?[\w-]+:(\s|$)/.test(l));
        const column = keyLine === undefined ? undefined : (/^\s*(- +)?/.exec(keyLine)?.[0].length ?? 0);
        const spaces = indentOf(here).length;
        if (column !== undefined && spaces !== column && here.trim() !== '')
          return {
            line,
            message:
              `la sangría de la línea ${line} no cuadra: empieza con ${spaces} espacios y los campos de arriba con ${column}; ` +
              'los campos de una misma entrada deben empezar en la misma columna',
          };
      }
      return { line, message: `la línea ${line} no se puede leer: revise que su sangría cuadre con las líneas de arriba y que no falte un «-» o un «:»` };
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
      // (only when the text after the field's own «: » has another one)
      if (!/:\s.*:(\s|$)/.test(here.replace(/^\s*-?\s*/, ''))) break;
      return {
        line,
        message: `la línea ${line} tiene «: » (dos puntos y espacio) dentro del texto, y así parece un campo nuevo; ponga el texto entre comillas`,
      };
    case 'DUPLICATE_KEY': {
      const key = /^\s*-?\s*([^:#]+):/.exec(here)?.[1]?.trim();
      return { line, message: `el campo «${key ?? '?'}» aparece dos veces en el mismo bloque; deje solo uno` };
    }
  }
  return { line, message: `la línea ${line} no se puede leer (revise sangría, dos puntos y comillas)` };
}
