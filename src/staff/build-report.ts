import type { Knowledge } from '../knowledge/load-knowledge.js';
import { terms } from '../text/terms.js';
import type { FeedbackEvent, QuestionEvent, StaffEvent } from './create-staff-store.js';

export interface QuestionGroup {
  /** The most frequent wording in the group. */
  example: string;
  count: number;
  /** Other wordings (up to 3). */
  variants: string[];
  outcome: QuestionEvent['outcome'];
  intent: string;
  /** Knowledge file of the intent's topic, when there is one (where to improve). */
  file?: string;
  lastAt: number;
}

export interface FeedbackLine {
  entryId: string;
  title?: string;
  file?: string;
  down: number;
  up: number;
}

export interface StaffReport {
  since?: number;
  questions: number;
  unanswered: QuestionGroup[];
  mostDisliked: FeedbackLine[];
  byIntent: [string, number][];
  byChannel: [string, number][];
}

export interface ReportOptions {
  /** Groups and entries listed (default 20). */
  top?: number;
  /** Share of terms two questions must have in common to be grouped (Jaccard, default 0.5). */
  similarity?: number;
}

const jaccard = (a: Set<string>, b: Set<string>) => {
  if (a.size === 0 && b.size === 0) return 1;
  let common = 0;
  for (const t of a) if (b.has(t)) common++;
  return common / (a.size + b.size - common);
};

const sortedCounts = (m: Map<string, number>): [string, number][] => [...m].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));

/**
 * What staff read to know which file to improve next: unanswered and low-confidence questions
 * grouped by similarity (same search terms after the engine's own Spanish pipeline: accents,
 * stopwords, stems), the entries with the most 👎, and counts by intent and channel.
 */
export function buildReport(events: readonly StaffEvent[], knowledge?: Knowledge, opts: ReportOptions = {}): StaffReport {
  const top = opts.top ?? 20;
  const threshold = opts.similarity ?? 0.5;
  const questions = events.filter((e): e is QuestionEvent => e.type === 'question');
  const feedback = events.filter((e): e is FeedbackEvent => e.type === 'feedback');
  const fileOfTopic = new Map(knowledge?.topics.map((t) => [t.topic, t.file]) ?? []);

  interface Draft {
    terms: Set<string>;
    items: QuestionEvent[];
  }
  const drafts: Draft[] = [];
  for (const q of questions) {
    const t = new Set(terms(q.text));
    let best: Draft | undefined;
    let bestSim = 0;
    for (const d of drafts) {
      const s = jaccard(t, d.terms);
      if (s > bestSim) {
        bestSim = s;
        best = d;
      }
    }
    if (best && bestSim >= threshold) best.items.push(q);
    else drafts.push({ terms: t, items: [q] });
  }
  const unanswered = drafts
    .map((d): QuestionGroup => {
      const wordings = new Map<string, number>();
      for (const q of d.items) wordings.set(q.text.trim(), (wordings.get(q.text.trim()) ?? 0) + 1);
      const ranked = sortedCounts(wordings).map(([w]) => w);
      const intents = sortedCounts(new Map(d.items.map((q) => [q.intent, d.items.filter((x) => x.intent === q.intent).length])));
      const intent = intents[0]?.[0] ?? 'desconocido';
      return {
        example: ranked[0] ?? '',
        count: d.items.length,
        variants: ranked.slice(1, 4),
        outcome: d.items.some((q) => q.outcome === 'unanswered') ? 'unanswered' : 'low-confidence',
        intent,
        file: fileOfTopic.get(intent),
        lastAt: Math.max(...d.items.map((q) => q.at)),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAt - a.lastAt)
    .slice(0, top);

  const votes = new Map<string, FeedbackLine>();
  for (const f of feedback) {
    const line = votes.get(f.entryId) ?? { entryId: f.entryId, down: 0, up: 0 };
    if (f.useful) line.up++;
    else line.down++;
    votes.set(f.entryId, line);
  }
  const mostDisliked = [...votes.values()]
    .filter((l) => l.down > 0)
    .sort((a, b) => b.down - a.down || a.up - b.up)
    .slice(0, top)
    .map((l) => {
      const e = knowledge?.entriesById.get(l.entryId);
      return e ? { ...l, title: e.title, file: e.file } : l;
    });

  const byIntent = new Map<string, number>();
  const byChannel = new Map<string, number>();
  for (const q of questions) {
    byIntent.set(q.intent, (byIntent.get(q.intent) ?? 0) + 1);
    byChannel.set(q.channel, (byChannel.get(q.channel) ?? 0) + 1);
  }
  const since = events.length > 0 ? Math.min(...events.map((e) => e.at)) : undefined;
  return { since, questions: questions.length, unanswered, mostDisliked, byIntent: sortedCounts(byIntent), byChannel: sortedCounts(byChannel) };
}

/** The report as plain text (what `npm run report` prints). */
export function formatReport(r: StaffReport): string {
  const out: string[] = [];
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  out.push(`Informe de Orienta${r.since ? ` (desde ${day(r.since)})` : ''}: ${r.questions} pregunta(s) sin respuesta o con duda.`);
  out.push('', 'Preguntas sin respuesta más frecuentes (agrupadas por parecido):');
  if (r.unanswered.length === 0) out.push('  (ninguna)');
  r.unanswered.forEach((g, i) => {
    const what = g.outcome === 'unanswered' ? 'sin respuesta' : 'con duda';
    out.push(`  ${i + 1}. ${g.count}× «${g.example}» — ${what}, intención ${g.intent}${g.file ? `, archivo ${g.file}` : ''}`);
    if (g.variants.length > 0) out.push(`      también: ${g.variants.map((v) => `«${v}»`).join(', ')}`);
  });
  out.push('', 'Respuestas con más 👎:');
  if (r.mostDisliked.length === 0) out.push('  (ninguna)');
  r.mostDisliked.forEach((l, i) =>
    out.push(`  ${i + 1}. ${l.entryId}${l.title ? ` «${l.title}»` : ''}: ${l.down} 👎, ${l.up} 👍${l.file ? ` — archivo ${l.file}` : ''}`),
  );
  out.push('', 'Por intención:');
  if (r.byIntent.length === 0) out.push('  (nada)');
  for (const [k, n] of r.byIntent) out.push(`  ${k}: ${n}`);
  out.push('', 'Por canal:');
  if (r.byChannel.length === 0) out.push('  (nada)');
  for (const [k, n] of r.byChannel) out.push(`  ${k}: ${n}`);
  return out.join('\n');
}
