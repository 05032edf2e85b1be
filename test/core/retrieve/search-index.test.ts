import { describe, expect, it } from 'vitest';
import { DEFAULT_ENGINE_OPTIONS } from '../../../src/core/engine-options.js';
import { buildSearchIndex, type Hit } from '../../../src/core/retrieve/search-index.js';
import { createLexicon } from '../../../src/core/understand/lexicon.js';
import { normalize } from '../../../src/text/normalize.js';
import { loadOrThrow, REAL_KB_DIR } from '../../helpers/mini-kb.js';

/** A small seeded generator, so a failure can be replayed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const key = (hits: Hit[]) => hits.map((h) => [h.id, h.score, [...h.terms].sort().join(' '), h.coverage, h.focus]);

describe('the precomputed entry search', () => {
  const kb = loadOrThrow(REAL_KB_DIR);
  const lexicon = createLexicon(kb.conversation.synonyms);
  const index = buildSearchIndex(kb, lexicon, DEFAULT_ENGINE_OPTIONS);
  const vocabulary = [...new Set(kb.entries.flatMap((e) => normalize(`${e.questions.join(' ')} ${e.answer}`).split(' ')))].filter(Boolean);

  it('gives the same hits, scores (to the last bit), terms and order as one MiniSearch query, typos included', () => {
    const rand = prng(20261202);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)] as T;
    // a dropped, changed or added letter: words the index does not know, expanded by MiniSearch
    const typo = (w: string) => {
      const i = Math.floor(rand() * w.length);
      const r = rand();
      return r < 0.33 ? w.slice(0, i) + w.slice(i + 1) : r < 0.66 ? `${w.slice(0, i)}${pick([...'aeioubcdrsz'])}${w.slice(i + 1)}` : `${w}es`;
    };
    let compared = 0;
    let withTypos = 0;
    for (let n = 0; n < 3000; n++) {
      const words = lexicon.canonical(Array.from({ length: 1 + Math.floor(rand() * 18) }, () => (rand() < 0.25 ? typo(pick(vocabulary)) : pick(vocabulary))));
      const fast = index.searchEntries(words);
      expect(key(fast), words.join(' ')).toEqual(key(index.referenceSearchEntries(words)));
      compared += fast.length > 0 ? 1 : 0;
      withTypos += fast.some((h) => [...h.terms].some((t) => !vocabulary.includes(t))) ? 1 : 0;
    }
    // the comparison is not vacuous: most queries find entries, and some only through a typo's expansion
    expect(compared).toBeGreaterThan(2500);
    expect(withTypos).toBeGreaterThan(0);
  });

  it('finds nothing for no words or only stopwords', () => {
    expect(index.searchEntries([])).toEqual([]);
    expect(index.searchEntries(['de', 'la', 'que'])).toEqual([]);
  });
});
