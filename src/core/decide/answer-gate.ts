import type { KnowledgeEntry } from '../../knowledge/load-knowledge.js';
import { EVERYDAY_TERMS } from '../../text/everyday.js';
import type { EngineOptions } from '../engine-options.js';
import { type Hit, INSTITUTION_TERMS, type SearchIndex } from '../retrieve/search-index.js';
import { isQuestionTypeTerm } from '../understand/question-type.js';

/**
 * The answer gate: whether the best entry the search found may answer at all, or the honest reply
 * is "no lo sé" (the fallback). A pure function of the search's leader and what the message said,
 * so that `ask --explain` can say why a message fell back.
 *
 * It refuses a leader that
 * - scores too little, or matched none of the message's telling words ("¿qué onda con lo del
 *   INSABI?" matched only "qué" and "con");
 * - covers too little of a message that is not a follow-up (and is no strong match either);
 * - matches only the story around a question that asks about things the knowledge base does not
 *   know at all ("después de mis embarazos… ¿cubre cirugía estética, como lipo?").
 */
export type GateRefusal = 'weak' | 'narrow' | 'story-only';

export interface GateInput {
  best: Hit | undefined;
  /** The message's index terms (places and negated words left out). */
  queryTerms: readonly string[];
  /** The index terms of the question inside a long message, when there is one. */
  focusTerms?: readonly string[];
  followUp: boolean;
}

type GateOptions = Pick<EngineOptions, 'minScore' | 'minFocus' | 'minCoverage' | 'strongScore'>;

export function answerGate(input: GateInput, index: Pick<SearchIndex, 'rarity' | 'knows'>, options: GateOptions): GateRefusal | undefined {
  const { best, queryTerms, focusTerms, followUp } = input;
  // The best entry must match one telling word, unless the message has none ("¿qué es el IMSS?").
  const focusNeeded = telling(queryTerms, index, options);
  if (!best || best.score < options.minScore || (best.focus ?? 1) < focusNeeded) return 'weak';
  if (!followUp && (best.coverage ?? 1) < options.minCoverage && best.score < options.strongScore) return 'narrow';
  if (!followUp && focusTerms) {
    const asking = focusTerms.filter((t) => !INSTITUTION_TERMS.has(t) && !EVERYDAY_TERMS.has(t) && !isQuestionTypeTerm(t) && !/^\d+$/.test(t));
    const unknown = asking.filter((t) => !index.knows(t));
    // (mostly unknown: one unknown word is a typo or a town more often than a subject)
    if (unknown.length >= 2 && 3 * unknown.length >= asking.length && !asking.some((t) => best.terms.has(t))) return 'story-only';
  }
  return undefined;
}

/** How telling a match the leader needs: the rarest of the message's terms, up to `minFocus`. */
export function telling(queryTerms: readonly string[], index: Pick<SearchIndex, 'rarity'>, options: Pick<EngineOptions, 'minFocus'>): number {
  return Math.min(options.minFocus, Math.max(0, ...queryTerms.map(index.rarity)) - 1e-9);
}

/** What each refusal means, as `ask --explain` prints it. */
export const REFUSALS: Record<GateRefusal, string> = {
  weak: 'nada con puntaje o palabra distintiva suficiente',
  narrow: 'la mejor entrada cubre muy poco del mensaje',
  'story-only': 'la pregunta habla de algo que la base no conoce y la mejor entrada solo coincide con la historia',
};

/**
 * An entry that opens with "No…" or "Si…": it answers only when the message names its subject.
 * (Written with `\b`, which does not see a word end after the accented "í": the entries that open
 * with "Sí…" are left to the institutions' check below. Making this test see them too was
 * measured: 30 fewer right answers on the blind sets, as the rest of the ranking is tuned to it.)
 */
export const opensYesNo = (e: KnowledgeEntry) => e.kind !== 'referral' && /^(sí|si|no)\b/i.test(e.answer.trim());
/** An entry that opens with the word "Sí" or "No" (not "Sin seguridad social…" nor "Nota…"). */
export const saysYesOrNo = (e: KnowledgeEntry) => e.kind !== 'referral' && /^(sí|si|no)(?![a-záéíóúñ])/i.test(e.answer.trim());
/** An entry about more than one institution ("Tengo IMSS o ISSSTE, ¿puedo ir a IMSS-BIENESTAR?"). */
export const spansInstitutions = (e: KnowledgeEntry) => e.institutions.filter((i) => i !== 'SECTOR').length > 1;
