import { describe, expect, it } from 'vitest';
import { answerGate, opensYesNo, saysYesOrNo, spansInstitutions } from '../../../src/core/decide/answer-gate.js';
import { DEFAULT_ENGINE_OPTIONS } from '../../../src/core/engine-options.js';
import type { Hit } from '../../../src/core/retrieve/search-index.js';
import type { KnowledgeEntry } from '../../../src/knowledge/load-knowledge.js';

// A tiny index: the words it knows and how telling they are.
const known: Record<string, number> = { kredensial: 0.8, ims: 0.2, bienest: 0.2, embaras: 0.7, sirug: 0.6, grat: 0.3 };
const index = { rarity: (t: string) => known[t] ?? 1, knows: (t: string) => t in known };
const options = DEFAULT_ENGINE_OPTIONS;
const hit = (terms: string[], score = 50, more: Partial<Hit> = {}): Hit => ({ id: 'x', score, terms: new Set(terms), coverage: 0.8, focus: 0.8, ...more });

describe('answerGate', () => {
  it('lets a strong leader that matched a telling word answer', () => {
    expect(answerGate({ best: hit(['kredensial', 'ims']), queryTerms: ['kredensial', 'ims'], followUp: false }, index, options)).toBeUndefined();
  });

  it('refuses a leader that scores too little or matched no telling word', () => {
    expect(answerGate({ best: undefined, queryTerms: ['kredensial'], followUp: false }, index, options)).toBe('weak');
    expect(answerGate({ best: hit(['kredensial'], options.minScore / 2), queryTerms: ['kredensial'], followUp: false }, index, options)).toBe('weak');
    expect(answerGate({ best: hit(['ims'], 50, { focus: 0.2 }), queryTerms: ['kredensial', 'ims'], followUp: false }, index, options)).toBe('weak');
  });

  it('refuses a weak leader covering little of a new message, not of a follow-up', () => {
    const best = hit(['kredensial'], options.strongScore / 2, { coverage: options.minCoverage / 2 });
    expect(answerGate({ best, queryTerms: ['kredensial'], followUp: false }, index, options)).toBe('narrow');
    expect(answerGate({ best, queryTerms: ['kredensial'], followUp: true }, index, options)).toBeUndefined();
  });

  it('refuses a leader that matched only the story around a question about things it does not know', () => {
    const input = { best: hit(['embaras', 'grat']), queryTerms: ['embaras', 'grat', 'sirug', 'estet', 'lipo'], followUp: false };
    expect(answerGate({ ...input, focusTerms: ['kubr', 'sirug', 'estet', 'lipo'] }, index, options)).toBe('story-only');
    // (one unknown word is a typo or a town more often than a subject)
    expect(answerGate({ ...input, focusTerms: ['sirug', 'estet'] }, index, options)).toBeUndefined();
    // (and a leader that matched the question itself answers)
    expect(answerGate({ ...input, best: hit(['sirug', 'grat']), focusTerms: ['kubr', 'sirug', 'estet', 'lipo'] }, index, options)).toBeUndefined();
  });
});

describe('yes/no entries', () => {
  const entry = (answer: string, institutions: string[] = ['IMSS-BIENESTAR'], kind?: 'referral') => ({ answer, institutions, kind }) as unknown as KnowledgeEntry;
  it('tells an answer that opens with "Sí" or "No" from one that opens with "Sin…"', () => {
    expect(saysYesOrNo(entry('Sí hay un acuerdo para eso.'))).toBe(true);
    expect(saysYesOrNo(entry('No: Jalisco no está entre los 23.'))).toBe(true);
    expect(opensYesNo(entry('No: Jalisco no está entre los 23.'))).toBe(true);
    // (the subject check sees no word end after the accented "í"; see opensYesNo)
    expect(opensYesNo(entry('Sí hay un acuerdo para eso.'))).toBe(false);
    expect(saysYesOrNo(entry('Sin seguridad social, la atención es gratuita.'))).toBe(false);
    expect(opensYesNo(entry('No tengo ese dato.', ['SECTOR'], 'referral'))).toBe(false);
  });

  it('counts the institutions an entry spans, not the sector', () => {
    expect(spansInstitutions(entry('Sí.', ['IMSS', 'ISSSTE', 'IMSS-BIENESTAR']))).toBe(true);
    expect(spansInstitutions(entry('Sí.', ['IMSS-BIENESTAR', 'SECTOR']))).toBe(false);
  });
});
