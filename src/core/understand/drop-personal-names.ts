import { normalize } from '../../text/normalize.js';
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

/** Titles before a first name ("doña Chayo", "mi suegro don Arnulfo"): the one word after goes too. */
const TITLES = new Set(['don', 'dona', 'sr', 'sra', 'srita']);

/**
 * Removes a person's own name from the words: "me llamo Juana Ramírez" must never select the
 * hospital that bears that surname, nor a town called so. Up to three words after the lead are
 * dropped, stopping at a function word ("me llamo Ana y vivo en…" keeps "y vivo en…").
 *
 * ```ts
 * dropPersonalNames(['me', 'llamo', 'juana', 'ramirez', 'y', 'vivo', 'en', 'tepic']) // ['y', 'vivo', 'en', 'tepic']
 * ```
 */
export function dropPersonalNames(words: readonly string[], names: readonly string[] = []): string[] {
  // The name given in capitals is dropped once, where it stands: "soy Victoria Reyes de Ciudad
  // Victoria" keeps the city.
  let at = names.length > 0 ? words.findIndex((_, i) => names.every((n, k) => words[i + k] === n)) : -1;
  const out: string[] = [];
  for (let i = 0; i < words.length; ) {
    if (at >= 0 && i === at) {
      i += names.length;
      at = -1;
      continue;
    }
    if (TITLES.has(words[i] as string) && i + 1 < words.length && !STOPWORDS.has(words[i + 1] as string)) {
      i += 2;
      continue;
    }
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

/**
 * Names introduced in capitals in the original text: "Hola soy Emiliano Zapata Ruiz, vivo en
 * Cuernavaca" → ["emiliano", "zapata", "ruiz"]. Only after "soy", "me llamo" or "mi nombre es",
 * and only words that start with a capital, so "soy de Oaxaca" keeps its place.
 */
export function namesInText(text: string): string[] {
  const out: string[] = [];
  // ("soy la maestra Rosario Gómez", "les escribe el profe Anselmo": a title may stand between)
  const re =
    /\b(?:soy|me llamo|mi nombre es|les escribe|le escribe)\s+(?:(?:la|el)\s+)?(?:(?:maestra|maestro|profe|profesora|profesor|doctora|doctor|dra|dr|enfermera|enfermero|licenciada|licenciado|ingeniera|ingeniero|señora|señor|sra|sr|doña|don)\.?\s+)?((?:[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+\s*){1,4})/g;
  for (const m of text.matchAll(re))
    for (const w of (m[1] as string).trim().split(/\s+/)) out.push(normalize(w));
  return out.filter((w) => w && !STOPWORDS.has(w));
}
