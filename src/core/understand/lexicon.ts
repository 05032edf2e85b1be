import type { ConversationFile } from '../../knowledge/schema.js';
import { normalize } from '../../text/normalize.js';
import { compilePhrases, type Phrase } from '../../text/phrases.js';
import { stemTerm } from '../../text/terms.js';

/**
 * Rewrites the words people use into one canonical form ("chamba" → "trabajo", "yo mismo" →
 * "independiente"), from the `synonyms` list of `conversacion.yaml`. Applied the same way to the
 * indexed text and to every query, so both sides always meet. One-word variants match any form
 * of the word ("medicos", "doctora" → "doctor"), except after the words of its `not_after` ("unidad
 * médica" is no doctor); longer variants match word for word, the longest first.
 */
export interface Lexicon {
  canonical(words: readonly string[]): string[];
  /** True when a word is a synonym the lexicon rewrites (alone, or as a phrase's first word). */
  rewrites(word: string): boolean;
}

export function createLexicon(synonyms: ConversationFile['synonyms']): Lexicon {
  const byFirstWord = new Map<string, { variant: Phrase; means: string[] }[]>();
  // One-word variants match every form with their stem ("cobran", "cobraron" for "cobrar"), and the
  // same first letters: the stemmer gives "pongo" the stem of "puesto", which is no business.
  const single = new Map<string, { head: string; means: string[]; notAfter?: Set<string> }[]>();
  const head = (w: string) => w.slice(0, 3);
  const ruleOf = (w: string) => single.get(stemTerm(w))?.find((r) => r.head === head(w));
  const singleOf = (w: string, before?: string) => {
    const r = ruleOf(w);
    return r && !(before !== undefined && r.notAfter?.has(stemTerm(before))) ? r.means : undefined;
  };
  for (const s of synonyms) {
    const means = normalize(s.means).split(' ').filter(Boolean);
    const notAfter = s.not_after ? new Set(s.not_after.map((w) => stemTerm(normalize(w)))) : undefined;
    for (const v of compilePhrases(s.variants)) {
      if (v.join(' ') === means.join(' ')) continue;
      if (v.length === 1) {
        const word = v[0] as string;
        const list = single.get(stemTerm(word)) ?? [];
        list.push({ head: head(word), means, notAfter });
        single.set(stemTerm(word), list);
        continue;
      }
      const first = v[0] as string;
      const list = byFirstWord.get(first) ?? [];
      list.push({ variant: v, means });
      byFirstWord.set(first, list);
    }
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.variant.length - a.variant.length);

  const matchesAt = (words: readonly string[], i: number, v: Phrase) => {
    if (i + v.length > words.length) return false;
    for (let j = 1; j < v.length; j++) if (words[i + j] !== v[j]) return false;
    return true;
  };

  /** One rewriting pass, and whether it rewrote anything. */
  const pass = (words: readonly string[]): [string[], boolean] => {
    const out: string[] = [];
    let rewrote = false;
    for (let i = 0; i < words.length; ) {
      const w = words[i] as string;
      const rule = byFirstWord.get(w)?.find((r) => matchesAt(words, i, r.variant));
      if (rule) {
        out.push(...rule.means);
        i += rule.variant.length;
        rewrote = true;
        continue;
      }
      const means = /^\d+$/.test(w) ? undefined : singleOf(w, words[i - 1]);
      if (means) {
        out.push(...means);
        rewrote = true;
      } else out.push(w);
      i++;
    }
    return [out, rewrote];
  };
  // A second pass resolves chains ("el seguro normal" → "imss normal" → "imss"); when the first
  // rewrote nothing, the second could not either.
  const canonical = (words: readonly string[]) => {
    const [once, rewrote] = pass(words);
    return rewrote ? pass(once)[0] : once;
  };
  return { canonical, rewrites: (w) => byFirstWord.has(w) || ruleOf(w) !== undefined };
}
