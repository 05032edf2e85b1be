import type { OptionAction } from '../core/types.js';
import type { Knowledge } from '../knowledge/load-knowledge.js';
import { terms } from '../text/terms.js';
import type { FeedbackEvent, QuestionEvent, StaffEvent } from './create-staff-store.js';

/** What a tapped or typed option ("3") chose: its label and the entry, unit or topic behind it. */
export interface ChosenOption {
  type: OptionAction['type'];
  id: string;
  label: string;
}

const KIND_WORD: Record<ChosenOption['type'], string> = { entry: 'entrada', unit: 'unidad', topic: 'tema' };
const WORD_KIND = new Map(Object.entries(KIND_WORD).map(([k, w]) => [w, k as ChosenOption['type']]));
const MAX_LABEL = 200;

/**
 * The text the staff store keeps for a question that was an option chosen by number:
 * `«Vacuna de COVID» (entrada vacuna-covid)`, read back by `parseChosen`. The id is written with
 * `_` for `-` (ids never hold `_`), so the store's phone redaction leaves "2024-2030" alone.
 */
export function chosenText(c: ChosenOption): string {
  const label = c.label.length > MAX_LABEL ? `${c.label.slice(0, MAX_LABEL - 1)}…` : c.label;
  return `«${label}» (${KIND_WORD[c.type]} ${c.id.replaceAll('-', '_')})`;
}

/** The option a stored question text names (see `chosenText`), or undefined for a typed question. */
export function parseChosen(text: string): ChosenOption | undefined {
  const m = /^«(.*)» \((entrada|unidad|tema) ([a-z0-9_]+)\)$/su.exec(text);
  const type = m && WORD_KIND.get(m[2] as string);
  return m && type ? { type, id: (m[3] as string).replaceAll('_', '-'), label: m[1] as string } : undefined;
}

const actionOf = (c: ChosenOption): OptionAction => (c.type === 'topic' ? { type: 'topic', topic: c.id } : { type: c.type, id: c.id });

/** The label an option shows for an action (what the engine puts in `reply.options`). */
export function optionLabel(action: OptionAction, knowledge: Knowledge): string | undefined {
  if (action.type === 'entry') return knowledge.entriesById.get(action.id)?.title;
  if (action.type === 'unit') return knowledge.unitsById.get(action.id)?.name;
  return (
    knowledge.conversation.menu.find((m) => m.topic === action.topic)?.label ?? knowledge.topics.find((t) => t.topic === action.topic)?.title
  );
}

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
  /** Set when the group is one option chosen by number: `example` is then its label. */
  chosen?: ChosenOption;
}

export interface FeedbackLine {
  entryId: string;
  title?: string;
  file?: string;
  down: number;
  up: number;
}

/** Recorded questions of one day (in the report's time zone), by channel. */
export interface DayLine {
  /** `YYYY-MM-DD`. */
  day: string;
  total: number;
  byChannel: Record<string, number>;
}

/** Questions without an answer or with a doubt, and 👍/👎, of one topic (the intent, for questions). */
export interface TopicLine {
  topic: string;
  title?: string;
  file?: string;
  unanswered: number;
  lowConfidence: number;
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
  /** Every day from the first recorded question (at most `days` back) to today, zeros included. */
  byDay: DayLine[];
  /** Topics with something unanswered, in doubt or 👎, the most first. */
  byTopic: TopicLine[];
}

export interface ReportOptions {
  /** Groups and entries listed (default 20). */
  top?: number;
  /** Share of terms two questions must have in common to be grouped (Jaccard, default 0.5). */
  similarity?: number;
  /** Days shown in `byDay`, ending today (default 30). */
  days?: number;
  /** Time zone of the days (default `America/Mexico_City`). */
  timeZone?: string;
  /** "Today", in epoch milliseconds (default now). */
  now?: number;
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
    count: number;
    wordings: Map<string, number>;
    intents: Map<string, number>;
    unanswered: boolean;
    lastAt: number;
    chosen?: ChosenOption;
  }
  const draft = (terms: Set<string>, chosen?: ChosenOption): Draft => ({ terms, count: 0, wordings: new Map(), intents: new Map(), unanswered: false, lastAt: -Infinity, chosen });
  const add = (d: Draft, q: QuestionEvent) => {
    d.count++;
    const w = q.text.trim();
    d.wordings.set(w, (d.wordings.get(w) ?? 0) + 1);
    d.intents.set(q.intent, (d.intents.get(q.intent) ?? 0) + 1);
    if (q.outcome === 'unanswered') d.unanswered = true;
    if (q.at > d.lastAt) d.lastAt = q.at;
  };
  const merge = (into: Draft, d: Draft) => {
    into.count += d.count;
    for (const [w, n] of d.wordings) into.wordings.set(w, (into.wordings.get(w) ?? 0) + n);
    for (const [w, n] of d.intents) into.intents.set(w, (into.intents.get(w) ?? 0) + n);
    into.unanswered ||= d.unanswered;
    if (d.lastAt > into.lastAt) into.lastAt = d.lastAt;
  };
  // Pass 1, linear: an option chosen by number is grouped with the same option only, whatever
  // its label; a typed question with every other one of the same search terms (a Map by the
  // sorted terms, the engine's Spanish pipeline computed once per distinct text).
  const byOption = new Map<string, Draft>();
  const byTerms = new Map<string, Draft>();
  const keyOfText = new Map<string, { key: string; terms: Set<string> } | ChosenOption>();
  for (const q of questions) {
    let k = keyOfText.get(q.text);
    if (!k) {
      const chosen = parseChosen(q.text);
      if (chosen) k = chosen;
      else {
        const t = new Set(terms(q.text));
        k = { key: [...t].sort().join(' '), terms: t };
      }
      keyOfText.set(q.text, k);
    }
    if ('id' in k) {
      const key = `${k.type}:${k.id}`;
      let d = byOption.get(key);
      if (!d) {
        // The label the knowledge gives it now (the stored one may be redacted or out of date).
        const label = knowledge && optionLabel(actionOf(k), knowledge);
        d = draft(new Set(), { ...k, label: label ?? k.label });
        byOption.set(key, d);
      }
      add(d, q);
    } else {
      let d = byTerms.get(k.key);
      if (!d) {
        d = draft(k.terms);
        byTerms.set(k.key, d);
      }
      add(d, q);
    }
  }
  // Pass 2, blocked: a set of terms joins the most similar larger group (Jaccard ≥ threshold)
  // among those sharing a term with it, looking at most MAX_CANDIDATES groups per term (the
  // largest, as they are made largest first): O(groups × terms), never groups².
  const MAX_CANDIDATES = 64;
  const clusters: Draft[] = [];
  const postings = new Map<string, Draft[]>();
  for (const d of [...byTerms.values()].sort((x, y) => y.count - x.count)) {
    let best: Draft | undefined;
    let bestSim = 0;
    const seen = new Set<Draft>();
    for (const t of d.terms) {
      const list = postings.get(t);
      if (!list) continue;
      for (let i = 0; i < list.length && i < MAX_CANDIDATES; i++) {
        const c = list[i] as Draft;
        if (seen.has(c)) continue;
        seen.add(c);
        const sim = jaccard(d.terms, c.terms);
        if (sim > bestSim) {
          bestSim = sim;
          best = c;
        }
      }
    }
    if (best && bestSim >= threshold) merge(best, d);
    else {
      clusters.push(d);
      for (const t of d.terms) {
        const list = postings.get(t);
        if (list) list.push(d);
        else postings.set(t, [d]);
      }
    }
  }
  const drafts = [...byOption.values(), ...clusters];
  const fileOfChoice = (c: ChosenOption) =>
    c.type === 'entry' ? knowledge?.entriesById.get(c.id)?.file : c.type === 'unit' ? knowledge?.unitsById.get(c.id)?.file : fileOfTopic.get(c.id);
  const unanswered = drafts
    .sort((a, b) => b.count - a.count || b.lastAt - a.lastAt)
    .slice(0, top)
    .map((d): QuestionGroup => {
      const ranked = d.chosen ? [d.chosen.label] : sortedCounts(d.wordings).map(([w]) => w);
      const intent = sortedCounts(d.intents)[0]?.[0] ?? 'desconocido';
      const group: QuestionGroup = {
        example: ranked[0] ?? '',
        count: d.count,
        variants: ranked.slice(1, 4),
        outcome: d.unanswered ? 'unanswered' : 'low-confidence',
        intent,
        file: (d.chosen && fileOfChoice(d.chosen)) ?? fileOfTopic.get(intent),
        lastAt: d.lastAt,
      };
      if (d.chosen) group.chosen = d.chosen;
      return group;
    });

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
  let since: number | undefined;
  for (const e of events) if (since === undefined || e.at < since) since = e.at;
  return {
    since,
    questions: questions.length,
    unanswered,
    mostDisliked,
    byIntent: sortedCounts(byIntent),
    byChannel: sortedCounts(byChannel),
    byDay: countByDay(questions, opts),
    byTopic: countByTopic(questions, feedback, knowledge, top),
  };
}

/** `YYYY-MM-DD` plus `n` calendar days (time-zone free: the date is only a label). */
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

function countByDay(questions: readonly QuestionEvent[], opts: ReportOptions): DayLine[] {
  if (questions.length === 0) return [];
  // en-CA writes dates as YYYY-MM-DD.
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: opts.timeZone ?? 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' });
  // (formatting is slow: one call per quarter hour, the finest offset any time zone has)
  const dayCache = new Map<number, string>();
  const dayOf = (ms: number) => {
    const slot = Math.floor(ms / 900_000);
    let day = dayCache.get(slot);
    if (day === undefined) {
      day = fmt.format(slot * 900_000);
      dayCache.set(slot, day);
    }
    return day;
  };
  const perDay = new Map<string, Record<string, number>>();
  let first: string | undefined;
  let last: string | undefined;
  for (const q of questions) {
    const day = dayOf(q.at);
    // (no prototype: a channel is a name from the store, never an inherited key)
    const counts = perDay.get(day) ?? (Object.create(null) as Record<string, number>);
    counts[q.channel] = (counts[q.channel] ?? 0) + 1;
    perDay.set(day, counts);
    if (!first || day < first) first = day;
    if (!last || day > last) last = day;
  }
  const today = dayOf(opts.now ?? Date.now());
  const end = (last as string) > today ? (last as string) : today;
  const windowStart = addDays(end, -((opts.days ?? 30) - 1));
  const out: DayLine[] = [];
  for (let day = (first as string) > windowStart ? (first as string) : windowStart; day <= end; day = addDays(day, 1)) {
    const byChannel = perDay.get(day) ?? (Object.create(null) as Record<string, number>);
    out.push({ day, total: Object.values(byChannel).reduce((a, b) => a + b, 0), byChannel });
  }
  return out;
}

function countByTopic(questions: readonly QuestionEvent[], feedback: readonly FeedbackEvent[], knowledge: Knowledge | undefined, top: number): TopicLine[] {
  const topics = new Map(knowledge?.topics.map((t) => [t.topic, t]) ?? []);
  const lines = new Map<string, TopicLine>();
  const line = (topic: string) => {
    let l = lines.get(topic);
    if (!l) {
      const t = topics.get(topic);
      l = { topic, ...(t ? { title: t.title, file: t.file } : {}), unanswered: 0, lowConfidence: 0, down: 0, up: 0 };
      lines.set(topic, l);
    }
    return l;
  };
  for (const q of questions) {
    const l = line(q.intent);
    if (q.outcome === 'unanswered') l.unanswered++;
    else l.lowConfidence++;
  }
  for (const f of feedback) {
    const l = line(knowledge?.entriesById.get(f.entryId)?.topic ?? 'desconocido');
    if (f.useful) l.up++;
    else l.down++;
  }
  const weight = (l: TopicLine) => l.unanswered + l.lowConfidence + l.down;
  return [...lines.values()]
    .filter((l) => weight(l) > 0)
    .sort((a, b) => weight(b) - weight(a) || b.unanswered - a.unanswered || a.topic.localeCompare(b.topic))
    .slice(0, top);
}

/**
 * How a group is named to staff: «the wording», or for an option chosen by number its label and
 * what it points to: «Vacuna de COVID» (opción elegida: entrada vacuna-covid).
 */
export function questionLabel(g: Pick<QuestionGroup, 'example' | 'chosen'>): string {
  return g.chosen ? `«${g.chosen.label}» (opción elegida: ${KIND_WORD[g.chosen.type]} ${g.chosen.id})` : `«${g.example}»`;
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
    out.push(`  ${i + 1}. ${g.count}× ${questionLabel(g)} — ${what}, intención ${g.intent}${g.file ? `, archivo ${g.file}` : ''}`);
    if (g.variants.length > 0) out.push(`      también: ${g.variants.map((v) => `«${v}»`).join(', ')}`);
  });
  out.push('', 'Respuestas con más 👎:');
  if (r.mostDisliked.length === 0) out.push('  (ninguna)');
  r.mostDisliked.forEach((l, i) =>
    out.push(`  ${i + 1}. ${l.entryId}${l.title ? ` «${l.title}»` : ''}: ${l.down} 👎, ${l.up} 👍${l.file ? ` — archivo ${l.file}` : ''}`),
  );
  out.push('', 'Por tema (sin respuesta, con duda, 👎):');
  if (r.byTopic.length === 0) out.push('  (nada)');
  for (const t of r.byTopic)
    out.push(`  ${t.title ? `${t.title} (${t.topic})` : t.topic}: ${t.unanswered} sin respuesta, ${t.lowConfidence} con duda, ${t.down} 👎${t.file ? ` — archivo ${t.file}` : ''}`);
  out.push('', 'Por intención:');
  if (r.byIntent.length === 0) out.push('  (nada)');
  for (const [k, n] of r.byIntent) out.push(`  ${k}: ${n}`);
  out.push('', 'Por canal:');
  if (r.byChannel.length === 0) out.push('  (nada)');
  for (const [k, n] of r.byChannel) out.push(`  ${k}: ${n}`);
  return out.join('\n');
}
