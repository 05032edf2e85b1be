import { STOPWORDS } from '../../text/stopwords.js';

/** Phrases after which a person gives their own name ("me llamo Juana Ramírez"). */
const NAME_LEADS: readonly (readonly string[])[] = [
  ['me', 'llamo'],
  ['mi', 'nombre', 'es'],
  ['les', 'escribe'],
  ['le', 'escribe'],
  ['soy', 'la', 'senora'],
  ['soy', 'el', 'senor'],
  ['de', 'parte', 'de'],
];

/**
 * Removes a person's own name from the words: "me llamo Juana Ramírez" must never select the
 * hospital that bears that surname, nor a town called so. Up to three words after the lead are
 * dropped, stopping at a function word ("me llamo Ana y vivo en…" keeps "y vivo en…").
 *
 * ```ts
 * dropPersonalNames(['me', 'llamo', 'juana', 'ramirez', 'y', 'vivo', 'en', 'tepic']) // ['y', 'vivo', 'en', 'tepic']
 * ```
 */
export function dropPersonalNames(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    const lead = NAME_LEADS.find((l) => l.every((w, k) => words[i + k] === w));
    if (!lead) {
      out.push(words[i] as string);
      i++;
      continue;
    }
    i += lead.length;
    for (let n = 0; n < 3 && i < words.length && !STOPWORDS.has(words[i] as string); n++) i++;
  }
  return out;
}
