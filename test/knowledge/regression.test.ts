import { describe, expect, it } from 'vitest';
import { createAssistant } from '../../src/core/create-assistant.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';

const kb = loadOrThrow(REAL_KB_DIR);
const assistant = createAssistant(kb);

/**
 * The knowledge regression test: every example question that staff wrote must bring back its own
 * entry, as a fresh conversation would. A failure names the entry to fix (its questions are too
 * close to another entry's, or an emergency or unit name catches them).
 */
describe('each entry answers its own example questions', () => {
  for (const topic of kb.topics)
    describe(topic.file, () => {
      for (const entry of topic.entries)
        it(entry.id, () => {
          const wrong = entry.questions
            .map((q) => ({ q, r: assistant.respond({ userId: 'regression', text: q }, undefined, 0).reply }))
            .filter(({ r }) => r.sources[0]?.id !== entry.id)
            .map(({ q, r }) => `«${q}» → ${r.kind} ${r.sources[0]?.id ?? r.intent}`);
          expect(wrong).toEqual([]);
        });
    });
});

describe('the knowledge base as a whole', () => {
  it('never puts a phone number in a reply other than 911 and Línea de la Vida', () => {
    const texts = [
      ...kb.entries.flatMap((e) => [e.answer, e.details ?? '']),
      ...kb.units.map((u) => u.summary ?? ''),
      kb.conversation.fallback,
    ];
    for (const t of texts) expect(t.replace(/800 911 2000|911/g, '')).not.toMatch(/\d{2,3}[\s-]\d{3,4}[\s-]\d{4}/);
  });

  it('has every state, with the 23 of the federalisation marked', () => {
    expect(kb.states).toHaveLength(32);
    expect(kb.states.filter((s) => s.federalized)).toHaveLength(23);
  });
});
