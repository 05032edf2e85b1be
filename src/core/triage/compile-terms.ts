import { normalize } from '../../text/normalize.js';
import { soundKey } from '../../text/terms.js';

/**
 * The small pattern language of `emergencias.yaml`, compiled once into a matcher that finds every
 * term in a message in one pass over its words.
 *
 * A term is one or more words matched in order, with at most one extra word between two of them
 * ("se le cayo la cara" also finds "se le cayo toda la cara"):
 * - `palabra` a word, accents and case ignored, spellings that sound alike folded (v/b, ll/y,
 *   s/z/c, a silent h), and one typo tolerated in words of 7 letters or more;
 * - `palabr*` any word that starts so (`sangr*`: sangre, sangrado, sangrando);
 * - `#` any number, in digits or words ("3", "tres", "media"); `####` a year (1990, 2019);
 * - `(alacran|escorpion*)` any of the words in brackets; an alternative may be several words
 *   (`(la tele|el periodico)`) or nothing at all (`(las|)` : "las", or no word there).
 *
 * ```ts
 * const m = compileTerms([['PECHO', ['pecho', 'torax']], ['DOLOR', ['dol*', 'duel*']]]);
 * m.find(['me', 'duele', 'el', 'pexo']) // [{ concept: 'DOLOR', start: 1, end: 2, … }, { concept: 'PECHO', start: 3, end: 4, … }]
 * ```
 */

/** One slot of a term: the word specs any of which fills it. */
type Slot = number[];

interface WordSpec {
  kind: 'exact' | 'prefix' | 'number' | 'year';
  key: string;
}

interface CompiledTerm {
  concept: string;
  /** A number for the concept, to tell hits apart cheaply. */
  conceptIndex: number;
  text: string;
  slots: Slot[];
}

/** Where a concept's term occurs: words `start` to `end` (exclusive) of the message. */
export interface TermHit {
  concept: string;
  term: string;
  start: number;
  end: number;
  /** A word of the hit is a gerund ("sangrando") or a present symptom verb ("no despierta"): it is happening now. */
  gerund: boolean;
}

export interface TermMatcher {
  /** Every term occurrence in the words, in order of position. Words equal to '' never match. */
  find(words: readonly string[]): TermHit[];
  /** Terms that could not be compiled, with the reason (for kb:check). */
  readonly problems: { concept: string; term: string; message: string }[];
}

const NUMBER_WORDS = new Set(
  'un una uno unos unas dos tres cuatro cinco seis siete ocho nueve diez once doce quince veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa cien media medio par'.split(
    ' ',
  ),
);

/** Verbs in the present that say a symptom is going on now ("no despierta", "no respira"). */
const PRESENT = new Set(['despierta', 'respira', 'reacciona', 'responde', 'contesta', 'para', 'deja', 'sangra', 'convulsiona', 'vomita', 'tiembla']);

/** Typos are tolerated only in words at least this long (after folding). */
const FUZZY_MIN = 7;
/** Prefixes at least this long also tolerate one typo ("combuls*" for "convuls*"). */
const FUZZY_PREFIX_MIN = 6;
/** At most this many extra words inside a multi-word term. */
const MAX_GAPS = 1;

/** The folded key of a word, as `soundKey` gives it. */
function keyOf(word: string): string {
  return soundKey(word);
}

/** The key of a prefix: a final c, g, q or l may sound otherwise once the word goes on. */
function prefixKeyOf(prefix: string): string {
  const k = soundKey(prefix);
  return /[cgqlu]$/.test(prefix) && k.length > 3 ? k.slice(0, -1) : k;
}

/** Keys that a thumb on a phone keyboard, or the ear, easily swaps for each other. */
const CLOSE_KEYS: Readonly<Record<string, string>> = {
  a: 'qszeo',
  b: 'vgnpm',
  c: 'xvsdk',
  d: 'sfertc',
  e: 'wrdsia',
  f: 'dgrtc',
  g: 'fhtyjb',
  i: 'uokjey',
  j: 'hkuign',
  k: 'jlioc',
  l: 'kopy',
  m: 'nbj',
  n: 'mbhj',
  o: 'iplkua',
  p: 'olb',
  r: 'etdf',
  s: 'adwxzc',
  t: 'ryfg',
  u: 'yijo',
  x: 'zscj',
  y: 'tuihl',
  z: 'asxs',
};
const close = (a: string, b: string) => a === b || (CLOSE_KEYS[a] ?? '').includes(b) || (CLOSE_KEYS[b] ?? '').includes(a);

/**
 * True when `a` becomes `b` with one typo: a swapped pair of neighbours, one letter more or less,
 * or one letter replaced by a close one (a neighbouring key or a similar sound). The first letter
 * must agree: "consulta" is not "convulsión", nor "desayunar" "desmayar".
 */
export function oneTypo(a: string, b: string): boolean {
  if (a === b) return true;
  if (a[0] !== b[0] || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return close(a[i] as string, b[i] as string);
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i);
}

/** At most this many plain terms come out of one term with brackets of several words. */
const MAX_EXPANSION = 64;

/**
 * "(la tele|el periodico) dijo" → ["la tele dijo", "el periodico dijo"]; "(las|) ratas" →
 * ["las ratas", "ratas"]. Brackets of single words are left for the matcher.
 */
export function expandBrackets(term: string): string[] {
  const m = /\(([^)]*)\)/g;
  let found: RegExpExecArray | null;
  while ((found = m.exec(term))) {
    const alts = (found[1] as string).split('|').map((a) => a.trim());
    if (!alts.some((a) => a === '' || a.includes(' '))) continue;
    const before = term.slice(0, found.index);
    const after = term.slice(found.index + found[0].length);
    const out: string[] = [];
    for (const a of alts)
      for (const rest of expandBrackets(`${before}${a}${after}`)) if (out.length < MAX_EXPANSION) out.push(rest.replace(/\s+/g, ' ').trim());
    return out;
  }
  return [term];
}

/** Every string one deletion away, plus the string itself. */
function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

export interface CompileOptions {
  /** Words known to be spelt right (the knowledge base's own words): never read as a typo of a term. */
  known?: ReadonlySet<string>;
  /** Extra words allowed inside a multi-word term (default 1; 0 for exact phrases). */
  maxGaps?: number;
}

export function compileTerms(
  concepts: readonly (readonly [string, readonly string[]])[],
  compileOptions: CompileOptions = {},
): TermMatcher {
  const known = compileOptions.known ?? new Set<string>();
  const maxGaps = compileOptions.maxGaps ?? MAX_GAPS;
  const specs: WordSpec[] = [];
  const specIds = new Map<string, number>();
  const problems: { concept: string; term: string; message: string }[] = [];
  const specOf = (kind: WordSpec['kind'], key: string): number => {
    const id = `${kind}:${key}`;
    let n = specIds.get(id);
    if (n === undefined) {
      n = specs.length;
      specs.push({ kind, key });
      specIds.set(id, n);
    }
    return n;
  };
  const wordSpec = (raw: string, concept: string, term: string): number | undefined => {
    if (raw === '#') return specOf('number', '#');
    if (raw === '####') return specOf('year', '####');
    const prefix = raw.endsWith('*');
    const word = normalize(prefix ? raw.slice(0, -1) : raw);
    if (!word || word.includes(' ')) {
      problems.push({ concept, term, message: `«${raw}» no es una palabra (use letras, * al final o #)` });
      return undefined;
    }
    if (prefix && word.length < 3) {
      problems.push({ concept, term, message: `«${raw}» es demasiado corto para usarlo con *: encontraría muchas palabras` });
      return undefined;
    }
    return prefix ? specOf('prefix', prefixKeyOf(word)) : specOf('exact', keyOf(word));
  };

  const terms: CompiledTerm[] = [];
  const conceptIndices = new Map<string, number>();
  for (const [concept, list] of concepts)
    for (const text of list.flatMap((t) => expandBrackets(t))) {
      // "(a|b c)" keeps its bracket as one slot; everything else splits on spaces. A leading "^"
      // (the term must open its sentence) is the caller's to check; the matcher keeps it in `term`.
      const parts = text.trim().replace(/^\^/, '').match(/\([^)]*\)|\S+/g) ?? [];
      const slots: Slot[] = [];
      let ok = parts.length > 0;
      for (const part of parts) {
        const alts = part.startsWith('(') ? part.slice(1, -1).split('|') : [part];
        const slot: Slot = [];
        for (const alt of alts) {
          const id = wordSpec(alt.trim(), concept, text);
          if (id === undefined) ok = false;
          else slot.push(id);
        }
        slots.push(slot);
      }
      if (!ok) continue;
      let conceptIndex = conceptIndices.get(concept);
      if (conceptIndex === undefined) conceptIndices.set(concept, (conceptIndex = conceptIndices.size));
      terms.push({ concept, conceptIndex, text, slots });
    }

  // Lookup tables: exact keys, prefix keys by length, and one-deletion neighbourhoods for typos.
  const exact = new Map<string, number[]>();
  const prefixes = new Map<string, number[]>();
  const prefixLengths = new Set<number>();
  const fuzzyExact = new Map<string, number[]>();
  const fuzzyPrefix = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, v: number) => {
    const list = m.get(k);
    if (!list) m.set(k, [v]);
    else if (!list.includes(v)) list.push(v);
  };
  specs.forEach((s, id) => {
    if (s.kind === 'exact') {
      push(exact, s.key, id);
      if (s.key.length >= FUZZY_MIN) for (const d of deletions(s.key)) push(fuzzyExact, d, id);
    } else if (s.kind === 'prefix') {
      push(prefixes, s.key, id);
      prefixLengths.add(s.key.length);
      if (s.key.length >= FUZZY_PREFIX_MIN) for (const d of deletions(s.key)) push(fuzzyPrefix, d, id);
    }
  });
  const lengths = [...prefixLengths].sort((a, b) => a - b);
  const numberSpec = specIds.get('number:#');
  const yearSpec = specIds.get('year:####');

  // Terms indexed by the specs of their first slot.
  const byFirst = new Map<number, CompiledTerm[]>();
  for (const t of terms)
    for (const id of t.slots[0] as Slot) {
      const list = byFirst.get(id) ?? [];
      list.push(t);
      byFirst.set(id, list);
    }

  const cache = new Map<string, readonly number[]>();
  const specsOfWord = (word: string): readonly number[] => {
    if (!word) return [];
    const cached = cache.get(word);
    if (cached) return cached;
    const found = new Set<number>();
    if (numberSpec !== undefined && (/^\d+$/.test(word) || NUMBER_WORDS.has(word))) found.add(numberSpec);
    if (yearSpec !== undefined && /^(19|20)\d\d$/.test(word)) found.add(yearSpec);
    const k = keyOf(word);
    for (const id of exact.get(k) ?? []) found.add(id);
    for (const L of lengths) {
      if (L > k.length) break;
      for (const id of prefixes.get(k.slice(0, L)) ?? []) found.add(id);
    }
    const typoAllowed = found.size === 0 && !known.has(word);
    if (typoAllowed && k.length >= FUZZY_MIN)
      for (const d of deletions(k)) for (const id of fuzzyExact.get(d) ?? []) if (oneTypo((specs[id] as WordSpec).key, k)) found.add(id);
    // A prefix with one letter replaced or two swapped ("combuls" for "convuls"), never one letter
    // more or less: "aprendió" is not "apendicitis".
    if (typoAllowed)
      for (const L of lengths) {
        if (L < FUZZY_PREFIX_MIN || L > k.length) continue;
        const head = k.slice(0, L);
        for (const d of deletions(head))
          for (const id of fuzzyPrefix.get(d) ?? []) {
            const spec = specs[id] as WordSpec;
            if (spec.key.length === L && oneTypo(spec.key, head)) found.add(id);
          }
      }
    const out = [...found];
    if (cache.size > 20_000) cache.clear();
    cache.set(word, out);
    return out;
  };

  const fills = (at: readonly (readonly number[])[], i: number, slot: Slot) => {
    const here = at[i];
    return !!here && here.some((id) => slot.includes(id));
  };

  function find(words: readonly string[]): TermHit[] {
    const at = words.map(specsOfWord);
    const hits: TermHit[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < words.length; i++) {
      for (const id of at[i] as readonly number[]) {
        const starting = byFirst.get(id);
        if (!starting) continue;
        for (const t of starting) {
          let j = i + 1;
          let gaps = 0;
          let ok = true;
          for (let s = 1; s < t.slots.length; s++) {
            const slot = t.slots[s] as Slot;
            if (fills(at, j, slot)) j++;
            else if (gaps < maxGaps && fills(at, j + 1, slot)) {
              gaps++;
              j += 2;
            } else {
              ok = false;
              break;
            }
          }
          if (!ok) continue;
          // One hit per concept and span, however many of its terms found it.
          const key = (t.conceptIndex * 4096 + i) * 4096 + j;
          if (seen.has(key)) continue;
          seen.add(key);
          let gerund = false;
          for (let w = i; w < j; w++) if (/(ando|iendo|endo)$/.test(words[w] as string) || PRESENT.has(words[w] as string)) gerund = true;
          hits.push({ concept: t.concept, term: t.text, start: i, end: j, gerund });
        }
      }
    }
    return hits;
  }

  return { find, problems };
}
