import MiniSearch from 'minisearch';
import type { Knowledge, KnowledgeUnit } from '../../knowledge/load-knowledge.js';
import { normalize } from '../../text/normalize.js';
import { processTerm } from '../../text/terms.js';
import type { EngineOptions } from '../engine-options.js';
import type { Lexicon } from '../understand/lexicon.js';

/** Words added to a unit's index text by category, so "¿qué están construyendo?" finds works. */
const CATEGORY_WORDS: Record<KnowledgeUnit['category'], string> = {
  'hospital-nuevo': 'hospital nuevo construccion construyendo obra haciendo listo termina abre',
  'hospital-app': 'app asociacion publico privada empresa recuperar compra negociacion',
  'imss-concluido': 'terminado concluido nuevo inaugurado abrio',
  'imss-en-obra': 'construccion construyendo obra nuevo haciendo',
  hrae: 'alta especialidad hrae transferido',
  obra: 'obra construccion construyendo nuevo haciendo avance termina sustitucion',
  yaqui: 'yaqui yaquis plan justicia obra construccion',
  equipamiento: 'equipo equipamiento ampliacion remodelacion',
  hemodinamia: 'hemodinamia hemodialisis sala cardiologia',
  'modulo-credencial': 'modulo fijo credencial credencializacion registro',
  otro: '',
};

type DocKind = 'q' | 'k' | 'a' | 'u';

/**
 * The institution names are in most example questions ("imss" in 40 %, "bienestar" in a third):
 * among questions they rank nothing and cost the most to score, and which institution a message
 * means is weighed separately (entries list their institutions). So questions are indexed
 * without them; titles, keywords and answers keep them.
 */
/** Index terms of the institutions' names ("isste" folds to the same term as "issste"). */
export const INSTITUTION_TERMS: ReadonlySet<string> = new Set(['imss', 'bienestar', 'issste'].map((w) => processTerm(w) as string));

interface IndexDoc {
  id: number;
  kind: DocKind;
  ref: string;
  question?: string;
  text?: string;
  answer?: string;
  name?: string;
  place?: string;
  tags?: string;
}

/** The words whose index terms are distinct and not stopwords, first occurrence kept. */
function dedupeByTerm(words: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const w of words) {
    const t = processTerm(w);
    if (t && !seen.has(t)) {
      seen.add(t);
      out.push(w);
    }
  }
  return out;
}

/** A function of a word, computed once per word; bounded, so odd input cannot grow it. */
function memoised<T>(compute: (word: string) => T): (word: string) => T {
  const cache = new Map<string, T>();
  return (word) => {
    if (cache.has(word)) return cache.get(word) as T;
    const value = compute(word);
    if (cache.size >= 20_000) cache.clear();
    cache.set(word, value);
    return value;
  };
}

/** What an entry's documents add up to during a search. */
interface Aggregate {
  /** Best and second-best example question. */
  q1: number;
  q2: number;
  /** Title and keywords; answer text. */
  k: number;
  a: number;
  /** Searched terms matched (fuzzily or not), and matched exactly, as bits. */
  terms: number;
  exact: number;
}

/** Score and matched query terms of one entry or unit. */
export interface Hit {
  id: string;
  score: number;
  /** Query terms (index form) that this entry or unit matched. */
  terms: Set<string>;
  /** Share of the message's weight (terms weighed by rarity) that an entry matched, 0 to 1. */
  coverage?: number;
  /** Rarity (0 to 1) of the most telling term the entry matched exactly: low when only "cuánto", "gratis"… did. */
  focus?: number;
}

export interface SearchIndex {
  /** Scores the entries for canonical words (normalised, lexicon applied); best first. */
  searchEntries(words: readonly string[]): Hit[];
  /** Scores the unit records for canonical words; best first. */
  searchUnits(words: readonly string[]): Hit[];
  /** Distinct index terms of canonical words. */
  termsOf(words: readonly string[]): string[];
  /** How telling a term is, from 0 (in every entry document) to 1 (in none). */
  rarity(term: string): number;
  /** Number of indexed documents (questions, keyword sets, answers, units). */
  size: number;
  /** Unit name terms that name few units: a query containing one is about a specific unit. */
  distinctiveUnitTerms: Map<string, string[]>;
  /**
   * The entries whose example questions, title or keywords use a term: the entries that are
   * about it, not those whose answer happens to say it ("capital" in an answer is no subject).
   */
  askedIn(term: string): ReadonlySet<string> | undefined;
  /** True when a term is in the indexed text as it is. */
  hasTerm(term: string): boolean;
  /** True when a term is in the indexed text, exactly or within a typo's reach (prefix or edit distance). */
  knows(term: string): boolean;
  /**
   * `searchEntries` computed the plain way, one MiniSearch query with every term: slower, kept
   * so that a test can check the fast path gives the same hits, scores and order.
   */
  referenceSearchEntries(words: readonly string[]): Hit[];
}

/**
 * Builds the MiniSearch index over the curated knowledge: one document per example question,
 * one for each entry's title and keywords, one for its answer text, and one per unit record.
 * Entry scores are aggregated from their documents (best question first), which works better
 * for short colloquial questions than ranking whole passages.
 */
/**
 * What a build computes that the next build of the same knowledge, by the same code and options,
 * would compute again: each text's canonical words and each term's exact postings. Kept under
 * DATA_DIR between starts (`engine-cache.ts`); given back, the build skips that work and yields
 * the same index.
 */
export interface IndexWarmth {
  tokens: Map<string, string[]>;
  postings: Map<string, Postings>;
}

export interface Postings {
  docs: Int32Array;
  scores: Float64Array;
}

export function buildSearchIndex(
  kb: Knowledge,
  lexicon: Lexicon,
  options: EngineOptions,
  warm?: { from?: IndexWarmth; keep?: (w: IndexWarmth) => void },
): SearchIndex {
  // Each text is tokenised once: the same words serve the statistics below and MiniSearch.
  const tokenCache = new Map<string, string[]>(warm?.from?.tokens);
  const tokenize = (text: string): string[] => {
    let words = tokenCache.get(text);
    if (!words) {
      const n = normalize(text);
      tokenCache.set(text, (words = n ? lexicon.canonical(n.split(' ')) : []));
    }
    return words;
  };
  const termSet = (text: string) => new Set(tokenize(text).map(processTerm).filter((t): t is string => !!t));

  const docs: IndexDoc[] = [];
  let id = 0;
  for (const e of kb.entries) {
    for (const q of e.questions) docs.push({ id: id++, kind: 'q', ref: e.id, question: q });
    docs.push({ id: id++, kind: 'k', ref: e.id, text: [e.title, ...e.keywords].join(' ') });
    docs.push({ id: id++, kind: 'a', ref: e.id, answer: [e.answer, e.details ?? ''].join(' ') });
  }
  const entryDocs = docs.slice();
  const nameTermUnits = new Map<string, Set<string>>();
  for (const u of kb.units) {
    const name = [u.name, ...(u.aliases ?? [])].join(' ');
    docs.push({
      id: id++,
      kind: 'u',
      ref: u.id,
      name,
      place: [u.municipality ?? '', u.state].join(' '),
      tags: [u.type, u.institution, CATEGORY_WORDS[u.category], u.status ?? ''].join(' '),
    });
    for (const term of termSet(`${name} ${u.municipality ?? ''}`)) {
      let set = nameTermUnits.get(term);
      if (!set) nameTermUnits.set(term, (set = new Set()));
      set.add(u.id);
    }
  }

  // Document frequencies: in all entry documents (to keep a long message's rarest words) and in
  // questions plus keywords (for unit names, below).
  const entryDf = new Map<string, number>();
  const askedDf = new Map<string, number>();
  const docTerms = new Map<number, Set<string>>();
  const bump = (m: Map<string, number>, t: string) => m.set(t, (m.get(t) ?? 0) + 1);
  const askedEntries = new Map<string, Set<string>>();
  for (const d of entryDocs) {
    const terms = termSet(d.question ?? d.text ?? d.answer ?? '');
    docTerms.set(d.id, terms);
    for (const t of terms) {
      bump(entryDf, t);
      if (d.kind === 'a') continue;
      bump(askedDf, t);
      let set = askedEntries.get(t);
      if (!set) askedEntries.set(t, (set = new Set()));
      set.add(d.ref);
    }
  }
  const commonInQuestions = INSTITUTION_TERMS;
  // Indexed terms of each example question: a question whose terms are all in the message is a
  // paraphrase of it, one that shares a word or two is not.
  const questionTerms = new Map<number, number>();
  for (const d of entryDocs)
    if (d.kind === 'q') questionTerms.set(d.id, [...(docTerms.get(d.id) ?? [])].filter((t) => !commonInQuestions.has(t)).length);

  // Terms of the indexed text: a query term found here is a known word, not a typo, so it is
  // looked up exactly. Fuzzy and prefix matching, the costly part of a search, are kept for
  // the words the index does not know.
  const vocabulary = new Set<string>();
  const indexTerm = (term: string, field?: string): string | null => {
    const t = processTerm(term);
    if (!t || (field === 'question' && commonInQuestions.has(t))) return null;
    vocabulary.add(t);
    return t;
  };
  const searchOptions = {
    // queries arrive as canonical words already
    tokenize: (text: string) => text.split(' '),
    processTerm,
    fuzzy: (term: string) => (term.length >= options.fuzzyMinLength && !vocabulary.has(term) ? options.fuzzy : false),
    maxFuzzy: options.maxFuzzy,
    prefix: (term: string) => term.length >= options.prefixMinLength && !vocabulary.has(term),
    boostTerm: (term: string) => (INSTITUTION_TERMS.has(term) ? options.institutionTermBoost : 1),
    combineWith: 'OR' as const,
  };
  const entryIndex = new MiniSearch<IndexDoc>({
    fields: ['question', 'text', 'answer'],
    tokenize,
    processTerm: indexTerm,
    searchOptions: {
      ...searchOptions,
      boost: { question: options.boost.question, text: options.boost.keywords, answer: options.boost.answer },
    },
  });
  const unitIndex = new MiniSearch<IndexDoc>({
    fields: ['name', 'place', 'tags'],
    tokenize,
    processTerm: indexTerm,
    searchOptions: {
      ...searchOptions,
      boost: { name: options.boost.name, place: options.boost.place, tags: options.boost.kind },
    },
  });
  entryIndex.addAll(entryDocs);
  unitIndex.addAll(docs.slice(entryDocs.length));
  const tokens = warm?.keep ? new Map(tokenCache) : undefined;
  tokenCache.clear();

  // A name term shared by few units ("tlajomulco", "ohoran", "vicam") points at them; one shared
  // by many ("hospital", "general") does not, and neither does one that many example questions
  // use ("doctor" in "Dr. Daniel Gurría Urgell", "covid" in the temporary COVID hospital).
  const distinctiveUnitTerms = new Map<string, string[]>();
  for (const [term, ids] of nameTermUnits)
    if (ids.size <= 3 && (askedDf.get(term) ?? 0) <= options.distinctiveMaxQuestionDf)
      distinctiveUnitTerms.set(term, [...ids]);

  const termsOf = (words: readonly string[]): string[] => {
    const out = new Set<string>();
    for (const w of words) {
      const t = processTerm(w);
      if (t) out.add(t);
    }
    return [...out];
  };

  const { secondQuestion, keywords, answer } = options.aggregate;
  /**
   * How telling a term is, from 0 (in every document) to 1 (in none): its idf over the largest
   * possible idf, so the scale does not depend on the size of the knowledge base. Unknown
   * words (typos) count as rare.
   */
  const maxIdf = Math.log(1 + entryDocs.length);
  const idfCache = new Map<string, number>();
  const idf = (t: string): number => {
    let v = idfCache.get(t);
    if (v === undefined) {
      v = Math.log(1 + entryDocs.length / (1 + (entryDf.get(t) ?? 0))) / maxIdf;
      if (idfCache.size < 50_000) idfCache.set(t, v);
    }
    return v;
  };

  // Exact postings: for every known term, the entry documents that contain it and the score
  // MiniSearch gives it in each (BM25 with the field boosts and the term's boost), computed once.
  // A search then adds numbers in typed arrays; MiniSearch is asked only for the words the index
  // does not know (typos), which it expands by prefix and edit distance. The sums are made in
  // MiniSearch's own order, so the scores are the same to the last bit.
  const postings = new Map<string, Postings>();
  const exactly = { processTerm: (t: string) => t, fuzzy: false, prefix: false };
  const kept = warm?.from?.postings;
  for (const term of vocabulary) {
    const known = kept?.get(term);
    if (known) {
      if (known.docs.length > 0) postings.set(term, known);
      continue;
    }
    const found = entryIndex.search(term, exactly);
    if (found.length === 0) {
      if (warm?.keep) postings.set(term, { docs: new Int32Array(0), scores: new Float64Array(0) });
      continue;
    }
    postings.set(term, { docs: Int32Array.from(found, (r) => r.id as number), scores: Float64Array.from(found, (r) => r.score) });
  }
  if (warm?.keep && tokens) warm.keep({ tokens, postings: new Map(postings) });
  // (a term with no document stays out: kept only so the next build need not search it)
  for (const [term, p] of postings) if (p.docs.length === 0) postings.delete(term);
  /** Whether an index term the vocabulary lacks reaches any document of an index through a typo's expansion. */
  const reaches = (index: MiniSearch<IndexDoc>) => memoised((t) => index.search(t, { processTerm: (x: string) => x }).length > 0);
  const reachesEntries = reaches(entryIndex);
  const reachesUnits = reaches(unitIndex);
  /** True when an index term can match an entry document, exactly or through a typo's expansion. */
  const findableTerm = (t: string): boolean => (vocabulary.has(t) ? postings.has(t) : reachesEntries(t));
  // A word the index does not know, expanded by MiniSearch (prefix and edit distance) once: the
  // same typos come back ("credensial", "imss vienestar").
  const expansionOf = memoised((word) => entryIndex.search(word).map((r) => ({ doc: r.id as number, score: r.score, terms: r.terms })));
  const docCount = entryDocs.length;
  const sum = new Float64Array(docCount);
  const matchedBits = new Int32Array(docCount);
  const exactBits = new Int32Array(docCount);
  const stamp = new Uint32Array(docCount);
  const order = new Int32Array(docCount);
  let generation = 0;
  // Entries by number, and each entry document's entry and kind (0 question, 1 title and keywords, 2 answer).
  const entryIds = kb.entries.map((e) => e.id);
  const entryNumber = new Map(entryIds.map((id, i) => [id, i]));
  const entryOf = Int32Array.from(entryDocs, (d) => entryNumber.get(d.ref) as number);
  const kindOf = Uint8Array.from(entryDocs, (d) => (d.kind === 'q' ? 0 : d.kind === 'k' ? 1 : 2));
  const entryTotal = entryIds.length;
  const perEntry = () => new Float64Array(entryTotal);
  const [q1, q2, kScore, aScore, best, final, coverage] = [perEntry(), perEntry(), perEntry(), perEntry(), perEntry(), perEntry(), perEntry()];
  const [entryBits, entryExact, first, touchedEntries] = [new Int32Array(entryTotal), new Int32Array(entryTotal), new Int32Array(entryTotal), new Int32Array(entryTotal)];
  const entryStamp = new Uint32Array(entryTotal);
  const bitCount = (n: number) => {
    let c = 0;
    for (let v = n; v; v &= v - 1) c++;
    return c;
  };

  /**
   * The words a message is searched by, and its weight (the rarity of all its terms). A long message
   * is searched by its most telling words: the rarest terms, up to a limit, among those the index
   * can find, exactly or through a typo (names and words it has never seen, "Octavio",
   * "tallercito", are the rarest of all and would crowd out the question).
   */
  const askedFirst = (t: string) => (askedDf.has(t) ? 0 : 1);
  const searchedOf = (words: readonly string[], queryTerms: readonly string[]) => {
    let searched = words;
    if (queryTerms.length > options.maxQueryTerms) {
      const kept = new Set(
        [...queryTerms]
          .filter(findableTerm)
          .sort((a, b) => askedFirst(a) - askedFirst(b) || (entryDf.get(a) ?? 0) - (entryDf.get(b) ?? 0))
          .slice(0, options.maxQueryTerms),
      );
      searched = searched.filter((w) => {
        const t = processTerm(w);
        return t !== null && kept.has(t);
      });
    }
    let queryWeight = 0;
    for (const t of queryTerms) queryWeight += idf(t);
    return { searched, queryWeight };
  };

  const api: SearchIndex = {
    size: docs.length,
    distinctiveUnitTerms,
    askedIn: (term) => askedEntries.get(term),
    hasTerm: (term) => vocabulary.has(term),
    knows: (term) => vocabulary.has(term) || reachesEntries(term) || reachesUnits(term),
    termsOf,
    rarity: idf,
    searchUnits(words) {
      if (words.length === 0) return [];
      return unitIndex
        .search(words.join(' '))
        .map((r) => ({ id: (docs[r.id as number] as IndexDoc).ref, score: r.score, terms: new Set(r.queryTerms) }));
    },
    searchEntries(words) {
      const queryTerms = termsOf(words);
      if (queryTerms.length === 0) return [];
      const { searched, queryWeight } = searchedOf(words, queryTerms);
      // The searched terms as bits (at most `maxQueryTerms` of them), so an entry's matched terms
      // are a number, not a set per result.
      const searchedWords = dedupeByTerm(searched);
      const searchedTerms = searchedWords.map((w) => processTerm(w) as string);
      // Documents in the order they are first reached, each with its running sum and bits.
      generation++;
      let reached = 0;
      // Index terms a document matched through a typo's expansions, beside the searched terms themselves.
      let viaTypos: Map<number, Set<string>> | undefined;
      const reach = (doc: number) => {
        if (stamp[doc] === generation) return;
        stamp[doc] = generation;
        sum[doc] = 0;
        matchedBits[doc] = 0;
        exactBits[doc] = 0;
        order[reached++] = doc;
      };
      searchedTerms.forEach((term, i) => {
        const bit = 1 << i;
        const list = postings.get(term);
        if (list) {
          for (let j = 0; j < list.docs.length; j++) {
            const doc = list.docs[j] as number;
            reach(doc);
            sum[doc] = (sum[doc] as number) + (list.scores[j] as number);
            matchedBits[doc] = (matchedBits[doc] as number) | bit;
            exactBits[doc] = (exactBits[doc] as number) | bit;
          }
        } else if (!vocabulary.has(term)) {
          for (const r of expansionOf(searchedWords[i] as string)) {
            const doc = r.doc;
            reach(doc);
            sum[doc] = (sum[doc] as number) + r.score;
            matchedBits[doc] = (matchedBits[doc] as number) | bit;
            viaTypos ??= new Map();
            let set = viaTypos.get(doc);
            if (!set) viaTypos.set(doc, (set = new Set()));
            for (const t of r.terms) set.add(t);
          }
        }
      });
      // Per entry, as MiniSearch's results would add up (its best document ranks the entry among equals).
      const floor = options.questionShareFloor;
      let entryCount = 0;
      for (let n = 0; n < reached; n++) {
        const doc = order[n] as number;
        const bits = matchedBits[doc] as number;
        const score = (sum[doc] as number) * bitCount(bits);
        let matchedTerms = bitCount(exactBits[doc] as number);
        const typos = viaTypos?.get(doc);
        if (typos) {
          searchedTerms.forEach((t, i) => (exactBits[doc] as number) & (1 << i) && typos.add(t));
          matchedTerms = typos.size;
        }
        const e = entryOf[doc] as number;
        if (entryStamp[e] !== generation) {
          entryStamp[e] = generation;
          touchedEntries[entryCount++] = e;
          q1[e] = q2[e] = kScore[e] = aScore[e] = 0;
          entryBits[e] = entryExact[e] = 0;
          best[e] = score;
          first[e] = n;
        } else if (score > (best[e] as number)) {
          best[e] = score;
          first[e] = n;
        }
        entryBits[e] = (entryBits[e] as number) | bits;
        entryExact[e] = (entryExact[e] as number) | (exactBits[doc] as number);
        const kind = kindOf[doc];
        if (kind === 0) {
          const share = Math.min(1, matchedTerms / Math.max(1, questionTerms.get(doc) ?? 1));
          const q = score * (floor + (1 - floor) * share);
          if (q > (q1[e] as number)) {
            q2[e] = q1[e] as number;
            q1[e] = q;
          } else if (q > (q2[e] as number)) q2[e] = q;
        } else if (kind === 1) kScore[e] = score;
        else aScore[e] = score;
      }
      const weights = searchedTerms.map(idf);
      const ranked: number[] = [];
      for (let n = 0; n < entryCount; n++) {
        const e = touchedEntries[n] as number;
        let matched = 0;
        for (let i = 0; i < searchedTerms.length; i++) if ((entryBits[e] as number) & (1 << i)) matched += weights[i] as number;
        coverage[e] = matched / queryWeight;
        final[e] =
          ((q1[e] as number) + secondQuestion * (q2[e] as number) + keywords * (kScore[e] as number) + answer * (aScore[e] as number)) *
          (coverage[e] as number) ** options.coverageExponent;
        ranked.push(e);
      }
      ranked.sort((x, y) => (final[y] as number) - (final[x] as number) || (best[y] as number) - (best[x] as number) || (first[x] as number) - (first[y] as number));
      // (only the leading hits: the decision never looks further down; the recorded replies show it)
      return ranked.slice(0, options.maxHits).map((e) => {
        const terms = new Set<string>();
        let focus = 0;
        for (let i = 0; i < searchedTerms.length; i++) {
          if (!((entryBits[e] as number) & (1 << i))) continue;
          terms.add(searchedTerms[i] as string);
          if ((entryExact[e] as number) & (1 << i)) focus = Math.max(focus, weights[i] as number);
        }
        return { id: entryIds[e] as string, score: final[e] as number, terms, coverage: coverage[e] as number, focus };
      });
    },
    referenceSearchEntries(words) {
      const queryTerms = termsOf(words);
      if (queryTerms.length === 0) return [];
      const { searched, queryWeight } = searchedOf(words, queryTerms);
      // The searched terms as bits (at most `maxQueryTerms` of them), so an entry's matched terms
      // are a number, not a set per result.
      const searchedTerms = [...new Set(searched.map(processTerm).filter((t): t is string => !!t))];
      const bitOf = new Map(searchedTerms.map((t, i) => [t, 1 << i]));
      const perEntry = new Map<string, Aggregate>();
      const floor = options.questionShareFloor;
      // Each distinct index term once, stopwords left out: MiniSearch scores every query token.
      const query = searchedTerms.length > 0 ? dedupeByTerm(searched).join(' ') : '';
      for (const r of entryIndex.search(query)) {
        const { kind, ref } = docs[r.id as number] as IndexDoc;
        let agg = perEntry.get(ref);
        if (!agg) perEntry.set(ref, (agg = { q1: 0, q2: 0, k: 0, a: 0, terms: 0, exact: 0 }));
        for (const t of r.queryTerms) {
          const b = bitOf.get(t) ?? 0;
          agg.terms |= b;
          if (r.terms.includes(t)) agg.exact |= b;
        }
        if (kind === 'q') {
          const share = Math.min(1, r.terms.length / Math.max(1, questionTerms.get(r.id as number) ?? 1));
          const q = r.score * (floor + (1 - floor) * share);
          if (q > agg.q1) [agg.q2, agg.q1] = [agg.q1, q];
          else if (q > agg.q2) agg.q2 = q;
        } else if (kind === 'k') agg.k = r.score;
        else agg.a = r.score;
      }
      const entries: Hit[] = [];
      for (const [ref, agg] of perEntry) {
        let matched = 0;
        let focus = 0;
        const terms = new Set<string>();
        searchedTerms.forEach((t, i) => {
          if (!(agg.terms & (1 << i))) return;
          terms.add(t);
          matched += idf(t);
          if (agg.exact & (1 << i)) focus = Math.max(focus, idf(t));
        });
        const share = matched / queryWeight;
        const score =
          (agg.q1 + secondQuestion * agg.q2 + keywords * agg.k + answer * agg.a) * share ** options.coverageExponent;
        entries.push({ id: ref, score, terms, coverage: share, focus });
      }
      return entries.sort((x, y) => y.score - x.score).slice(0, options.maxHits);
    },
  };
  return api;
}
