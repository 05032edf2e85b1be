import { normalize } from './normalize.js';

/** A phrase as a list of normalised words. */
export type Phrase = readonly string[];

/** Normalises each phrase of a list; empty ones are dropped. */
export function compilePhrases(list: readonly string[]): Phrase[] {
  return list.map((p) => normalize(p).split(' ').filter(Boolean)).filter((p) => p.length > 0);
}

/**
 * Where `phrase` occurs in `words` (consecutive words), or -1. With `prefix`, each phrase word
 * may be the start of the text word ("desmay" finds "desmayo").
 */
export function findPhrase(words: readonly string[], phrase: Phrase, prefix = false): number {
  const n = phrase.length;
  outer: for (let i = 0; i + n <= words.length; i++) {
    for (let j = 0; j < n; j++) {
      const w = words[i + j] as string;
      const p = phrase[j] as string;
      if (prefix ? !w.startsWith(p) : w !== p) continue outer;
    }
    return i;
  }
  return -1;
}

/** True when any of the phrases occurs. */
export function hasAnyPhrase(words: readonly string[], phrases: readonly Phrase[], prefix = false): boolean {
  return phrases.some((p) => findPhrase(words, p, prefix) >= 0);
}

const sortedCache = new WeakMap<readonly Phrase[], Phrase[]>();
function longestFirst(phrases: readonly Phrase[]): Phrase[] {
  let sorted = sortedCache.get(phrases);
  if (!sorted) sortedCache.set(phrases, (sorted = [...phrases].sort((a, b) => b.length - a.length)));
  return sorted;
}

/**
 * Removes every occurrence of the phrases (longest first) and returns the words left.
 * Used to see what remains of "hola buenas tardes, muchas gracias" once courtesy is taken out.
 */
export function removePhrases(words: readonly string[], phrases: readonly Phrase[]): string[] {
  let rest = [...words];
  for (const p of longestFirst(phrases)) {
    let i = findPhrase(rest, p);
    while (i >= 0) {
      rest = [...rest.slice(0, i), ...rest.slice(i + p.length)];
      i = findPhrase(rest, p);
    }
  }
  return rest;
}
