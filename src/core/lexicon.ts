import type { ConversationFile } from '../knowledge/schema.js';
import { normalize } from '../text/normalize.js';
import { compilePhrases, findPhrase, type Phrase } from '../text/phrases.js';
import { stemTerm } from '../text/terms.js';

/**
 * Rewrites the words people use into one canonical form ("chamba" → "trabajo", "yo mismo" →
 * "independiente"), from the `synonyms` list of `conversacion.yaml`. Applied the same way to the
 * indexed text and to every query, so both sides always meet. One-word variants match any form
 * of the word ("medicos", "médica" → "doctor"); longer variants match word for word.
 */
export interface Lexicon {
  canonical(words: readonly string[]): string[];
}

export function createLexicon(synonyms: ConversationFile['synonyms']): Lexicon {
  const phrases: { variant: Phrase; means: string[] }[] = [];
  const single = new Map<string, string[]>();
  for (const s of synonyms) {
    const means = normalize(s.means).split(' ').filter(Boolean);
    for (const v of compilePhrases(s.variants)) {
      if (v.join(' ') === means.join(' ')) continue;
      if (v.length === 1) single.set(stemTerm(v[0] as string), means);
      else phrases.push({ variant: v, means });
    }
  }
  phrases.sort((a, b) => b.variant.length - a.variant.length);
  const firstWords = new Set(phrases.map((r) => r.variant[0] as string));
  return {
    canonical(words) {
      let out = [...words];
      if (out.some((w) => firstWords.has(w)))
        for (const r of phrases) {
          let i = findPhrase(out, r.variant);
          for (let guard = 0; i >= 0 && guard < 20; guard++) {
            out = [...out.slice(0, i), ...r.means, ...out.slice(i + r.variant.length)];
            i = findPhrase(out, r.variant);
          }
        }
      return out.flatMap((w) => (/^\d+$/.test(w) ? [w] : (single.get(stemTerm(w)) ?? [w])));
    },
  };
}
