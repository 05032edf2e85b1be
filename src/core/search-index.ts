import MiniSearch, { type SearchResult } from 'minisearch';
import type { Knowledge, KnowledgeUnit } from '../knowledge/load-knowledge.js';
import { normalize } from '../text/normalize.js';
import { processTerm } from '../text/terms.js';
import type { EngineOptions } from './engine-options.js';
import type { Lexicon } from './lexicon.js';

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

interface IndexDoc {
  id: number;
  kind: DocKind;
  ref: string;
  text?: string;
  answer?: string;
  name?: string;
  place?: string;
  tags?: string;
}

/** Score and matched query terms of one entry or unit. */
export interface Hit {
  id: string;
  score: number;
  /** Query terms (index form) that this entry or unit matched. */
  terms: Set<string>;
}

export interface SearchOutcome {
  entries: Hit[];
  units: Hit[];
  /** Distinct index terms of the query. */
  queryTerms: string[];
}

export interface SearchIndex {
  /** Scores entries and units for already-normalised words; best first. */
  search(words: readonly string[]): SearchOutcome;
  /** Index terms of normalised words, as the index sees them (lexicon applied). */
  termsOf(words: readonly string[]): string[];
  /** Number of indexed documents (questions, keyword sets, answers, units). */
  size: number;
  /** Unit name terms that name few units: a query containing one is about a specific unit. */
  distinctiveUnitTerms: Map<string, string[]>;
}

/**
 * Builds the MiniSearch index over the curated knowledge: one document per example question,
 * one for each entry's title and keywords, one for its answer text, and one per unit record.
 * Entry scores are aggregated from their documents (best question first), which works better
 * for short colloquial questions than ranking whole passages.
 */
export function buildSearchIndex(kb: Knowledge, lexicon: Lexicon, options: EngineOptions): SearchIndex {
  const tokenize = (text: string): string[] => {
    const n = normalize(text);
    return n ? lexicon.canonical(n.split(' ')) : [];
  };
  const mini = new MiniSearch<IndexDoc>({
    fields: ['text', 'answer', 'name', 'place', 'tags'],
    storeFields: ['kind', 'ref'],
    tokenize,
    processTerm,
    searchOptions: {
      boost: {
        text: options.boost.question,
        answer: options.boost.answer,
        name: options.boost.name,
        place: options.boost.place,
        tags: options.boost.kind,
      },
      fuzzy: (term) => (term.length >= options.fuzzyMinLength ? options.fuzzy : false),
      maxFuzzy: options.maxFuzzy,
      prefix: (term) => term.length >= options.prefixMinLength,
      combineWith: 'OR',
    },
  });

  const docs: IndexDoc[] = [];
  let id = 0;
  for (const e of kb.entries) {
    for (const q of e.questions) docs.push({ id: id++, kind: 'q', ref: e.id, text: q });
    docs.push({ id: id++, kind: 'k', ref: e.id, text: [e.title, ...e.keywords].join(' ') });
    docs.push({ id: id++, kind: 'a', ref: e.id, answer: [e.answer, e.details ?? ''].join(' ') });
  }
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
    for (const t of [...tokenize(name), ...tokenize(u.municipality ?? '')]) {
      const term = processTerm(t);
      if (!term) continue;
      let set = nameTermUnits.get(term);
      if (!set) nameTermUnits.set(term, (set = new Set()));
      set.add(u.id);
    }
  }
  mini.addAll(docs);
  // Distinct index terms of each example question: a question whose terms are all in the message
  // is a paraphrase of it, one that shares two common words is not.
  const questionTerms = new Map<number, number>();
  for (const d of docs)
    if (d.kind === 'q') questionTerms.set(d.id, new Set(tokenize(d.text ?? '').map(processTerm).filter(Boolean)).size);

  // A name term shared by few units ("tlajomulco", "ohoran", "vicam") points at them; one shared
  // by many ("hospital", "general") does not, and neither does one that many example questions
  // use ("doctor" in "Dr. Daniel Gurría Urgell", "covid" in the temporary COVID hospital).
  const questionDf = new Map<string, number>();
  for (const d of docs) {
    if (d.kind !== 'q' && d.kind !== 'k') continue;
    for (const t of new Set(tokenize(d.text ?? '').map(processTerm)))
      if (t) questionDf.set(t, (questionDf.get(t) ?? 0) + 1);
  }
  const distinctiveUnitTerms = new Map<string, string[]>();
  for (const [term, ids] of nameTermUnits)
    if (ids.size <= 3 && (questionDf.get(term) ?? 0) <= options.distinctiveMaxQuestionDf)
      distinctiveUnitTerms.set(term, [...ids]);

  const termsOf = (words: readonly string[]): string[] => {
    const out = new Set<string>();
    for (const w of lexicon.canonical(words)) {
      const t = processTerm(w);
      if (t) out.add(t);
    }
    return [...out];
  };

  return {
    size: docs.length,
    distinctiveUnitTerms,
    termsOf,
    search(words) {
      const queryTerms = termsOf(words);
      if (queryTerms.length === 0) return { entries: [], units: [], queryTerms };
      const results: SearchResult[] = mini.search(words.join(' '));
      const perEntry = new Map<string, { q: number[]; k: number; a: number; terms: Set<string> }>();
      const units: Hit[] = [];
      for (const r of results) {
        const kind = r.kind as DocKind;
        const ref = r.ref as string;
        if (kind === 'u') {
          units.push({ id: ref, score: r.score, terms: new Set(r.queryTerms) });
          continue;
        }
        let agg = perEntry.get(ref);
        if (!agg) perEntry.set(ref, (agg = { q: [], k: 0, a: 0, terms: new Set() }));
        for (const t of r.queryTerms) agg.terms.add(t);
        if (kind === 'q') {
          const share = Math.min(1, r.terms.length / Math.max(1, questionTerms.get(r.id as number) ?? 1));
          agg.q.push(r.score * (options.questionShareFloor + (1 - options.questionShareFloor) * share));
        }
        else if (kind === 'k') agg.k = r.score;
        else agg.a = r.score;
      }
      const { secondQuestion, keywords, answer } = options.aggregate;
      const entries: Hit[] = [];
      for (const [ref, agg] of perEntry) {
        agg.q.sort((x, y) => y - x);
        const share = agg.terms.size / queryTerms.length;
        const score =
          ((agg.q[0] ?? 0) + secondQuestion * (agg.q[1] ?? 0) + keywords * agg.k + answer * agg.a) *
          share ** options.coverageExponent;
        entries.push({ id: ref, score, terms: agg.terms });
      }
      entries.sort((x, y) => y.score - x.score);
      units.sort((x, y) => y.score - x.score);
      return { entries, units, queryTerms };
    },
  };
}
