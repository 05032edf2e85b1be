import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/staff/build-report.js';
import type { QuestionEvent } from '../../src/staff/create-staff-store.js';

const q = (text: string, at: number): QuestionEvent => ({ type: 'question', at, user: 'u', channel: 'web', outcome: 'unanswered', intent: 'desconocido', text, score: 0 });

describe('buildReport at scale', () => {
  it('groups 20,000 distinct questions plus repeated wordings of one, correctly and without a pairwise pass', () => {
    const events: QuestionEvent[] = [];
    // 20k distinct, unrelated questions (each its own made-up words).
    for (let i = 0; i < 20_000; i++) events.push(q(`palabra${i} cosa${i} tramite${i}`, i));
    // One question asked in several wordings, 300 times: one group.
    const wordings = ['¿Dónde me vacuno contra la rabia?', 'donde me vacuno contra la rabia', '¿dónde vacunarme contra la rabia?'];
    for (let i = 0; i < 300; i++) events.push(q(wordings[i % 3] as string, 30_000 + i));
    const r = buildReport(events, undefined, { top: 5, now: 40_000 });
    expect(r.questions).toBe(20_300);
    expect(r.since).toBe(0);
    expect(r.unanswered[0]?.count).toBe(300);
    expect(r.unanswered[0]?.variants.length).toBeGreaterThanOrEqual(1);
    expect(r.unanswered[1]?.count).toBe(1);
  });
});
