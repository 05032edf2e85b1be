/**
 * Every threshold and weight of the matcher, in one place. The defaults were tuned on the dev
 * question set (`npm run eval`) and the knowledge regression test; change them here only, and
 * re-run both.
 *
 * ```ts
 * const assistant = createAssistant(knowledge, { options: { ...DEFAULT_ENGINE_OPTIONS, minScore: 4 } });
 * ```
 */
export interface EngineOptions {
  /** Fuzzy matching: edit distance as a fraction of the term length (MiniSearch `fuzzy`). */
  fuzzy: number;
  /** Terms shorter than this are never matched fuzzily (short words make false friends). */
  fuzzyMinLength: number;
  /** Upper bound of the edit distance, whatever the term length (MiniSearch `maxFuzzy`). */
  maxFuzzy: number;
  /** Terms at least this long also match as prefixes ("credencializ" → "credencializacion"). */
  prefixMinLength: 7,
  /** Field boosts: example questions, title+keywords, answer text, unit names, unit place, unit kind words. */
  boost: { question: number; keywords: number; answer: number; name: number; place: number; kind: number };
  /** How an entry's documents add up: best question + these weights times the other documents' scores. */
  aggregate: { secondQuestion: number; keywords: number; answer: number };
  /**
   * An example question's score is scaled by the share of its terms found in the message, from
   * this floor (none) to 1 (all): a full paraphrase beats a question sharing two common words.
   */
  questionShareFloor: 0.2,
  /**
   * An entry's score is multiplied by (share of the message's terms it matched) to this power, so
   * that in a long message the entry that explains most of it wins over one that matches a word.
   */
  coverageExponent: 0.5,
  /**
   * A word found in more than this share of the entry documents is left out of the search
   * (unless the message has nothing else): it ranks nothing and is the costliest to score.
   */
  maxQueryTerms: 12,
  /**
   * A word found in more than this share of the example questions ("imss", "salud") is indexed
   * only in keywords and answers: among questions it ranks nothing and costs the most to score.
   */
  /** Below this entry score there is no answer (fallback). */
  minScore: number;
  /**
   * Share of the query's content terms that the best entry must match, unless its score is at
   * least `strongScore`. Stops "licencia de manejo" from matching the ISSSTE medical-leave entry.
   */
  minCoverage: number;
  strongScore: number;
  /** Clarify when the runner-up (another topic) scores at least this share of the best. */
  clarifyRatio: number;
  /** ... and options in a clarify must score at least this share of the best. */
  clarifyOptionRatio: number;
  /** Clarify only for short questions (content terms), where ambiguity is real. */
  clarifyMaxTerms: number;
  /** Weight of the words IMSS, ISSSTE and Bienestar in a query (they are everywhere). */
  /** Weight of the words IMSS, ISSSTE and Bienestar in a search: which one is meant is weighed apart. */
  institutionTermBoost: 0.5,
  /** Multiplier for entries of the institution the person named (or named in the last turn). */
  institutionBoost: number;
  /** Multiplier for entries of another institution when one was named. */
  institutionPenalty: number;
  /** In a follow-up, weight of the previous question combined with the new one. */
  followUpWeight: number;
  /** Boost for entries of the previous answer's topic in a follow-up. */
  followUpTopicBoost: number;
  /** A follow-up has at most this many content terms ("¿y en Guerrero?", "y si tiene 2"). */
  followUpMaxTerms: number;
  /** Session time-to-live, milliseconds. */
  sessionTtlMs: number;
  /** Longest text the core looks at; the rest is ignored (a message is never that long). */
  maxTextLength: number;
  /**
   * A word of a unit's name points at that unit only if at most this many example questions and
   * keyword sets use it (so "doctor" or "covid" do not, "tlajomulco" does).
   */
  distinctiveMaxQuestionDf: number;
  /** Units listed in one reply at most. */
  maxListedUnits: number;
  /** Nearest units returned for a shared location, and the radius in kilometres. */
  nearest: { count: number; radiusKm: number };
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  fuzzy: 0.25,
  fuzzyMinLength: 5,
  maxFuzzy: 2,
  prefixMinLength: 7,
  boost: { question: 1, keywords: 1, answer: 0.35, name: 1.4, place: 0.9, kind: 0.5 },
  aggregate: { secondQuestion: 0, keywords: 2, answer: 1 },
  questionShareFloor: 0.2,
  coverageExponent: 0.5,
  maxQueryTerms: 12,
  minScore: 3,
  minCoverage: 0.4,
  strongScore: 14,
  clarifyRatio: 0.93,
  clarifyOptionRatio: 0.8,
  clarifyMaxTerms: 3,
  institutionTermBoost: 0.5,
  institutionBoost: 1.25,
  institutionPenalty: 0.7,
  followUpWeight: 0.6,
  followUpTopicBoost: 1.3,
  followUpMaxTerms: 4,
  sessionTtlMs: 30 * 60 * 1000,
  maxTextLength: 2000,
  distinctiveMaxQuestionDf: 3,
  maxListedUnits: 10,
  nearest: { count: 3, radiusKm: 60 },
};
