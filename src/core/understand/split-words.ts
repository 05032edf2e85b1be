import { processTerm } from '../../text/terms.js';

/**
 * A word a phone split in two, put back together: "palia tivos" → "paliativos", "ome tepec" →
 * "ometepec". Two neighbours join when the joined word is one the knowledge base (or the
 * gazetteer) knows and at least one half is a word it does not: two known words stay apart
 * ("bien estar" is the lexicon's to read), and so do numbers, one-letter words and stopwords ("mi tia").
 *
 * ```ts
 * joinSplitWords(['cuidados', 'palia', 'tivos'], (w) => w === 'paliativos', (w) => w === 'cuidados') // ['cuidados', 'paliativos']
 * ```
 */
export function joinSplitWords(
  words: readonly string[],
  knownJoined: (word: string) => boolean,
  knownPart: (word: string) => boolean,
): string[] {
  const out: string[] = [];
  const joinable = (w: string | undefined): w is string => !!w && w.length >= 2 && /^[a-zñ]+$/.test(w) && processTerm(w) !== null;
  for (let i = 0; i < words.length; i++) {
    const a = words[i] as string;
    const b = words[i + 1];
    if (joinable(a) && joinable(b) && (!knownPart(a) || !knownPart(b)) && knownJoined(a + b)) {
      out.push(a + b);
      i++;
    } else out.push(a);
  }
  return out;
}
