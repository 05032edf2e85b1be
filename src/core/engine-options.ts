/**
 * Every threshold and weight of the matcher, in one place. The defaults were tuned on the dev
 * question set (`npm run eval`), the hold-out check of the knowledge (`npm run kb:cross-check`)
 * and the knowledge regression test; change them here only, and re-run the three.
 *
 * ```ts
 * const assistant = createAssistant(knowledge, { options: { ...DEFAULT_ENGINE_OPTIONS, minFocus: 3 } });
 * ```
 */
export interface EngineOptions {
  /** Fuzzy matching: edit distance as a fraction of the term length (MiniSearch `fuzzy`). */
  fuzzy: number;
  /** Terms shorter than this are never matched fuzzily (short words make false friends). */
  fuzzyMinLength: number;
  /** Upper bound of the edit distance, whatever the term length (MiniSearch `maxFuzzy`). */
  maxFuzzy: number;
  /** Unknown terms at least this long also match as prefixes ("credencializ…"). */
  prefixMinLength: number;
  /** Field boosts: example questions, title+keywords, answer text, unit names, unit place, unit kind words. */
  boost: { question: number; keywords: number; answer: number; name: number; place: number; kind: number };
  /** How an entry's documents add up: best question + these weights times the other documents' scores. */
  aggregate: { secondQuestion: number; keywords: number; answer: number };
  /**
   * An example question's score is scaled by the share of its terms found in the message, from
   * this floor (none) to 1 (all): a full paraphrase beats a question sharing two common words.
   */
  questionShareFloor: number;
  /**
   * An entry's score is multiplied by (share of the message's weight it matched, terms weighed by
   * rarity) to this power, so that in a long message the entry that explains most of it wins
   * over one that matches a word or two.
   */
  coverageExponent: number;
  /**
   * A long message is searched by at most this many of its terms, the rarest in the knowledge
   * base: common words rank little and cost the most to score.
   */
  maxQueryTerms: number;
  /** A search returns at most this many entries, best first: nothing further down decides anything. */
  maxHits: number;
  /** Weight of the words IMSS, ISSSTE and Bienestar in a search: which one is meant is weighed apart. */
  institutionTermBoost: number;
  /** Below this entry score there is no answer (fallback). */
  minScore: number;
  /**
   * The best entry must match exactly at least one word this telling (its idf in the knowledge
   * base): a message that matches only everyday words ("¿cuánto cuesta un carro?" → "cuánto",
   * "cuesta") gets the fallback, not a confident neighbour.
   */
  minFocus: number;
  /**
   * Rarity (0 to 1) from which a word is a subject of its own: an entry that matches such a word,
   * which a named unit does not, answers instead of the unit ("campaña de próstata en el HRAE").
   */
  subjectRarity: number;
  /** A word of the entry's own title names its subject from this share of `subjectRarity` ("embarazo" is common, yet the title's word). */
  titleSubjectFactor: number;
  /** ...provided the entry scores at least this share of the unit (whose score includes the place). */
  subjectOverUnit: number;
  /** ...or this share, when the entry is about a telling word of the message (see `tellingMaxEntries`) that the unit lacks. */
  subjectOverUnitTelling: number;
  /** Multiplier for entries that answer the kind of question asked (cost, where, eligibility…). */
  askedTypeBoost: number;
  /** An entry answers a kind of question when two of its example questions ask it, or this share of them if that is fewer. */
  askedTypeShare: number;
  /** A word is telling when at most this many entries use it in their questions, title or keywords... */
  tellingMaxEntries: number;
  /** ...and an entry about it leads over a leader about none, if it scores at least this share of the leader. */
  tellingRescueRatio: number;
  /** ...or this share, when the leader matched only words of the kind of question and of everyday talk. */
  tellingHollowRescueRatio: number;
  /** A referral leader that does not answer the specific kind of question asked (cost, contact, requirements, a date) gives way to an entry within this share of its score that does. */
  referralYieldRatio: number;
  /** Multiplier for entries of a topic whose own words the message says (`words` in the topic file). */
  topicWordBoost: number;
  /** "¿Es gratis X?" is answered by the entry about X when it scores this many times the free-care entry. */
  freeLeaderRatio: number;
  /** With a state named, an entry of the leader's topic that answers for that state leads if it scores at least this share. */
  stateEntryRatio: number;
  /** A word of the message this telling (0 to 1), absent from an entry's answer but in a sentence of its details, brings that sentence into the reply. */
  detailRarity: number;
  /** A yes/no entry without its subject gives way to a runner-up scoring at least this share of it. */
  subjectSwapRatio: number;
  /**
   * …or at least this share, when the leader is about having the IMSS or the ISSSTE and the person
   * says they have neither ("nunca he tenido seguro ni IMSS ni ISSSTE, ¿puedo ir al centro de salud?").
   */
  deniedSwapRatio: number;
  /**
   * A referral ("No tengo ese dato…") that leads gives way to an answer scoring at least this
   * share of it, when the answer matches more of the telling words of the question inside the message.
   */
  referralSwapRatio: number;
  /** An entry of the institution the message names replaces one of another institution if it scores at least this share of it. */
  institutionSwapRatio: number;
  /** Replies to first messages (no conversation before) kept for a repeat of the same text: at most this many… */
  replyCacheSize: number;
  /** …and only for texts up to this length. */
  replyCacheMaxText: number;
  /** A long message is searched by its question alone when the best entry covers this share of it. */
  focusCoverage: number;
  /** …or at least this share, when that is `focusOverWhole` times what the whole message's best entry covers. */
  focusCoverageFloor: number;
  focusOverWhole: number;
  /** The question inside is looked for only when the whole message is covered less than this (a second search costs time). */
  focusSkipCoverage: number;
  /** ...and the rest of the message adds its score times this weight. */
  focusStoryWeight: number;
  /**
   * Share of the message's weight that the best entry must match, unless its score is at least
   * `strongScore`. Stops "licencia de manejo" from matching the ISSSTE medical-leave entry.
   */
  minCoverage: number;
  strongScore: number;
  /** Clarify when the runner-up scores at least this share of the best... */
  clarifyRatio: number;
  /** ... listing the candidates that score at least this share of the best... */
  clarifyOptionRatio: number;
  /** ... and only for short questions (content terms), where ambiguity is real. */
  clarifyMaxTerms: number;
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
  /**
   * A short message that does not open with "y…" and whose best entry covers at least this share
   * of it stands on its own: it is not combined with the previous question.
   */
  followUpStandAloneCoverage: number;
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
  coverageExponent: 1,
  maxQueryTerms: 12,
  maxHits: 60,
  institutionTermBoost: 0.5,
  minScore: 3,
  minFocus: 0.33,
  subjectRarity: 0.6,
  titleSubjectFactor: 0.8,
  subjectOverUnit: 0.6,
  subjectOverUnitTelling: 0.2,
  subjectSwapRatio: 0.5,
  deniedSwapRatio: 0.25,
  referralSwapRatio: 0.6,
  institutionSwapRatio: 0.3,
  replyCacheSize: 5_000,
  replyCacheMaxText: 500,
  topicWordBoost: 1.5,
  freeLeaderRatio: 1.5,
  stateEntryRatio: 0.15,
  detailRarity: 0.35,
  tellingMaxEntries: 3,
  tellingRescueRatio: 0.5,
  tellingHollowRescueRatio: 0.2,
  referralYieldRatio: 0.5,
  askedTypeBoost: 1.15,
  askedTypeShare: 0.25,
  focusCoverage: 0.3,
  focusCoverageFloor: 0.15,
  focusOverWhole: 2,
  focusStoryWeight: 0.7,
  focusSkipCoverage: 0.35,
  minCoverage: 0.4,
  strongScore: 14,
  clarifyRatio: 0.93,
  clarifyOptionRatio: 0.8,
  clarifyMaxTerms: 3,
  institutionBoost: 2,
  institutionPenalty: 0.5,
  followUpWeight: 0.6,
  followUpTopicBoost: 1.3,
  followUpMaxTerms: 4,
  followUpStandAloneCoverage: 0.8,
  sessionTtlMs: 30 * 60 * 1000,
  maxTextLength: 2000,
  distinctiveMaxQuestionDf: 3,
  maxListedUnits: 10,
  nearest: { count: 3, radiusKm: 60 },
};
