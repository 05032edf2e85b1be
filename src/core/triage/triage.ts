import type { EmergencyFile, EmergencyRule } from '../../knowledge/schema.js';
import { normalize } from '../../text/normalize.js';
import { compileTerms, type TermHit } from './compile-terms.js';

/**
 * What the triage decided about one message:
 * - `emergency`: something serious is happening now → "call 911" before anything else;
 * - `crisis`: suicidal thoughts or self-harm now → 911 and Línea de la Vida first;
 * - `calm`: a serious condition is named, but it is over, or the question is about it
 *   ("¿qué es un infarto?") → answer, and add one calm line about 911;
 * - `support`: suicide is named, but in the past or as information → answer, plus Línea de la Vida;
 * - `none`: nothing of the kind.
 */
export type TriageLevel = 'emergency' | 'crisis' | 'calm' | 'support' | 'none';

/** One rule that matched, and why it was read as happening now or not. */
export interface TriageFinding {
  rule: string;
  label: string;
  crisis: boolean;
  /** The 911 reply also gives Línea de la Vida (a wound or pills that may be self-inflicted). */
  offerCrisisLine: boolean;
  /** `now`, or what made it not an alarm: a past time, a resolved state, an informational question. */
  when: 'now' | 'past' | 'resolved' | 'info';
  /** The words that matched, by concept. */
  evidence: string[];
  /** The time marker that decided, if any. */
  marker?: string;
}

export interface TriageResult {
  level: TriageLevel;
  findings: TriageFinding[];
}

export type Triage = (text: string) => TriageResult;

/** Names of the context sections of `emergencias.yaml`, as the matcher calls them. */
const CONTEXT = {
  neutral: '~NEUTRAL',
  now: '~NOW',
  nowWeak: '~NOW_WEAK',
  past: '~PAST',
  resolved: '~RESOLVED',
  info: '~INFO',
  admin: '~ADMIN',
  hypothetical: '~HYPOTHETICAL',
  pets: '~PETS',
  people: '~PEOPLE',
} as const;

/** Laughter in emoji or letters: what it says is a joke, unless a sign of now says otherwise. */
const LAUGHTER = /😂|🤣|😆|😹|😜|\bja(ja)+\b|\bje(je)+\b|\bxd\b/i;

/** Distance added to a weak sign of now ("ahora", "hoy"), so a past time next to it wins. */
const WEAK_NOW_PENALTY = 3;
/** Distance added per sentence boundary between a hit and a time marker. */
const SENTENCE_GAP = 10;
/** Time markers farther than this (in words) from a rule's words do not decide for it. */
const MARKER_REACH = 25;
/** For a suicidal crisis, only a past time this close to its words makes it a past attempt. */
const CRISIS_PAST_REACH = 8;
/** Default span, in words, within which the concepts of an `all` rule must occur. */
const DEFAULT_NEAR = 15;
/** Words that stand between "no" and the word it negates ("no le duele", "no tiene fiebre"). */
const NEGATION_BRIDGE = new Set(['le', 'lo', 'la', 'se', 'me', 'te', 'les', 'tiene', 'tengo', 'tenia', 'hay', 'ha', 'he', 'siente', 'tuvo']);
const NEGATORS = new Set(['no', 'sin', 'ni', 'nunca']);

/** A token that cannot come out of `normalize`, standing for a sentence boundary. */
const BOUNDARY = '0sentence0';

/** The words of a text with the sentence each belongs to (one pass of `normalize`). */
function sentencesOf(text: string): { words: string[]; sentence: number[] } {
  const words: string[] = [];
  const sentence: number[] = [];
  // "pero" starts a new thought: "tuvo un infarto hace años, pero ahorita le duele el pecho".
  let s = 0;
  for (const w of normalize(text.replace(/[.!?¡¿;\n]+|\bpero\b/gi, ` ${BOUNDARY} `)).split(' ')) {
    if (w === BOUNDARY) s++;
    else if (w) {
      words.push(w);
      sentence.push(s);
    }
  }
  return { words, sentence };
}

/**
 * Compiles the rules of `emergencias.yaml` into the check that runs before anything else.
 *
 * A rule names concepts (word families such as DOLOR or PECHO); it matches when its concepts
 * occur in any order close enough together. Then the words around it decide whether it is
 * happening now: a time marker ("ahorita", "hace 10 minutos", "se está desangrando") or the lack
 * of any says now; a past time ("hace tres años", "en 2019"), a resolved state ("ya está bien",
 * "falleció") or an informational question ("¿qué es…?", "síntomas de…") says not now. The marker
 * nearest to the rule's words decides; on a tie, now wins.
 *
 * ```ts
 * const triage = createTriage(knowledge.emergency);
 * triage('me duele el pecho y se me duerme el brazo').level // 'emergency'
 * triage('mi papá tuvo un infarto en 2019, ¿le toca la vacuna?').level // 'calm'
 * ```
 */
export function createTriage(file: EmergencyFile, known?: ReadonlySet<string>): Triage {
  const concepts: [string, readonly string[]][] = Object.entries(file.concepts);
  // Context markers are exact phrases: "que es" must not be read in "creo que ya es hora".
  const context: [string, readonly string[]][] = [
    [CONTEXT.now, file.context.now],
    [CONTEXT.nowWeak, file.context.now_weak ?? []],
    [CONTEXT.past, file.context.past],
    [CONTEXT.resolved, file.context.resolved],
    [CONTEXT.info, file.context.info],
    [CONTEXT.admin, file.context.admin ?? []],
    [CONTEXT.hypothetical, file.context.hypothetical ?? []],
    [CONTEXT.pets, file.context.pets ?? []],
    [CONTEXT.people, file.context.people ?? []],
  ];
  const conceptMatcher = compileTerms(concepts, { known });
  const contextMatcher = compileTerms(context, { known, maxGaps: 0 });
  const matcher = { find: (w: readonly string[]) => [...conceptMatcher.find(w), ...contextMatcher.find(w)] };
  // Names and idioms are exact phrases: "creo que es" must not swallow "creo que ya es hora".
  const neutral = compileTerms([[CONTEXT.neutral, file.context.neutral]], { known, maxGaps: 0 });
  const rules = file.rules.map((rule) => ({
    rule,
    // What must be present at all, checked before any span is looked for.
    groups: [
      ...(rule.all ?? []).map((g) => (Array.isArray(g) ? g : [g])),
      ...(rule.any ? [rule.any] : []),
    ],
  }));
  // The last messages triaged: channels ask before the core does, for the same text.
  const recent = new Map<string, TriageResult>();

  return (text: string): TriageResult => {
    const cached = recent.get(text);
    if (cached) return cached;
    const result = triageText(text);
    if (recent.size >= 64) recent.delete(recent.keys().next().value as string);
    recent.set(text, result);
    return result;
  };

  function triageText(text: string): TriageResult {
    const { words, sentence } = sentencesOf(text);
    const joking = LAUGHTER.test(text);
    if (words.length === 0) return { level: 'none', findings: [] };
    // Names and idioms ("Código Infarto", "me muero de hambre") are blanked out first.
    const masked = [...words];
    for (const h of neutral.find(words)) for (let i = h.start; i < h.end; i++) masked[i] = '';
    const hits = matcher
      .find(masked)
      .filter(
        (h) =>
          !negated(masked, h) &&
          !(h.concept === CONTEXT.resolved && notResolved(masked, h)) &&
          !(h.term.startsWith('^') && !opensSentence(masked, sentence, h.start)),
      );
    if (hits.length === 0) return { level: 'none', findings: [] };
    const byConcept = new Map<string, TermHit[]>();
    for (const h of hits) {
      const list = byConcept.get(h.concept) ?? [];
      list.push(h);
      byConcept.set(h.concept, list);
    }
    discountNow(byConcept);
    const markers = (name: string) => byConcept.get(name) ?? [];
    const findings: TriageFinding[] = [];
    for (const { rule, groups } of rules) {
      if (!groups.every((g) => g.some((c) => byConcept.has(c)))) continue;
      if (rule.of && rule.of.filter((c) => byConcept.has(c)).length < (rule.at_least ?? 1)) continue;
      const span = ruleSpan(rule, byConcept);
      if (!span) continue;
      findings.push({
        ...readTime(rule, span, sentence, markers, words, joking),
        rule: rule.id,
        label: rule.label,
        crisis: rule.crisis,
        offerCrisisLine: rule.offer_crisis_line,
      });
    }
    return { level: levelOf(findings), findings };
  }
}

function levelOf(findings: readonly TriageFinding[]): TriageLevel {
  const now = findings.filter((f) => f.when === 'now');
  const crisisNamed = findings.some((f) => f.crisis);
  if (now.some((f) => f.crisis) || (now.length > 0 && crisisNamed)) return 'crisis';
  if (now.length > 0) return 'emergency';
  if (crisisNamed) return 'support';
  return findings.length > 0 ? 'calm' : 'none';
}

/** Words between a negation and what it denies ("no pienso en hacerme daño", "nunca me haría daño"). */
const PHRASE_NEGATION_BRIDGE = new Set(['pienso', 'pensaria', 'quiero', 'queria', 'voy', 'iria', 'a', 'en', 'me', 'le', 'se', 'haria', 'tengo', 'ganas', 'de', 'he', 'pensado', 'planeo']);

/**
 * "no tiene fiebre", "sin sangrado": a one-word hit right after a negation does not count; nor a
 * phrase denied a few words before ("no pienso en hacerme daño").
 */
function negated(words: readonly string[], h: TermHit): boolean {
  if (h.concept.startsWith('~')) return false;
  if (words[h.start] !== 'no' && h.end - h.start > 1) {
    let i = h.start - 1;
    for (let n = 0; n < 3 && i >= 0 && PHRASE_NEGATION_BRIDGE.has(words[i] as string); n++) i--;
    return i >= 0 && i < h.start - 1 && (words[i] === 'no' || words[i] === 'nunca' || words[i] === 'jamas');
  }
  if (h.end - h.start > 1) return false;
  let i = h.start - 1;
  if (i >= 0 && NEGATION_BRIDGE.has(words[i] as string)) i--;
  if (i >= 0 && NEGATION_BRIDGE.has(words[i] as string)) i--;
  return i >= 0 && NEGATORS.has(words[i] as string);
}

/**
 * A sign of now that belongs to another marker is not one: "qué hago si un día…" is a question
 * for later (the "qué hago" sits inside an informational marker), and "ahorita ya está bien" or
 * "ahora estoy estable" say that it is over (the "ahorita" stands right before a resolved state).
 */
function discountNow(byConcept: Map<string, TermHit[]>): void {
  const others = [CONTEXT.info, CONTEXT.resolved, CONTEXT.past].flatMap((c) => byConcept.get(c) ?? []);
  for (const name of [CONTEXT.now, CONTEXT.nowWeak]) {
    const list = byConcept.get(name);
    if (!list) continue;
    byConcept.set(
      name,
      list.filter(
        (n) =>
          !others.some(
            (o) =>
              (n.start >= o.start && n.end <= o.end) || // inside it
              (o.concept === CONTEXT.info && n.start < o.end && o.start < n.end) || // overlapping a question
              (o.concept !== CONTEXT.info && o.start >= n.end && o.start - n.end <= 1), // right before a resolved state
          ),
      ),
    );
  }
}

/** "ya está bien" is resolved; "ya está bien dormida" or "está bien mal" is not. */
function notResolved(words: readonly string[], h: TermHit): boolean {
  const next = words[h.end];
  return words[h.end - 1] === 'bien' && !!next && (INTENSIFIED.has(next) || /(ado|ada|ido|ida|oso|osa|ito|ita)$/.test(next));
}

/** Words that "bien" intensifies ("está bien mal", "bien feo"): then it is not "fine". */
const INTENSIFIED = new Set(
  'mal malo mala feo fea grave raro rara caliente frio fria debil palido palida morado morada rojo roja amarillo amarilla blanco blanca pesado pesada fuerte horrible'.split(' '),
);

/** Words that may come before a question that opens its sentence ("oiga, ¿qué es…?"). */
const OPENERS = new Set(['y', 'oye', 'oiga', 'hola', 'disculpe', 'disculpa', 'buenas', 'buenos', 'buen', 'dias', 'tardes', 'noches', 'una', 'pregunta', 'doctor', 'doctora', 'senorita', 'joven', 'porfa', 'por', 'favor', 'me', 'podrian', 'pueden', 'puede', 'decir']);

/** A term written "^que es" counts only at the start of its sentence, after a greeting at most. */
function opensSentence(words: readonly string[], sentence: readonly number[], at: number): boolean {
  for (let i = at - 1; i >= 0 && sentence[i] === sentence[at]; i--) if (!OPENERS.has(words[i] as string)) return false;
  return true;
}

interface Span {
  start: number;
  end: number;
  hits: TermHit[];
}

/**
 * Where the rule matches: around some hit (the anchor), each `all` group has a hit, at least
 * `at_least` of the `of` concepts have one, and one of `any` has one, all within `near` words.
 */
function ruleSpan(rule: EmergencyRule, byConcept: Map<string, TermHit[]>): Span | undefined {
  const near = rule.near ?? DEFAULT_NEAR;
  const groups = (rule.all ?? []).map((g) => (Array.isArray(g) ? g : [g]));
  const nearest = (names: readonly string[], pos: number): TermHit | undefined => {
    let best: TermHit | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const n of names)
      for (const h of byConcept.get(n) ?? []) {
        const d = Math.abs(h.start - pos);
        if (d < bestD) {
          best = h;
          bestD = d;
        }
      }
    return best && bestD <= near ? best : undefined;
  };
  const involved = [...groups.flat(), ...(rule.any ?? []), ...(rule.of ?? [])];
  const anchors = involved.flatMap((n) => byConcept.get(n) ?? []);
  for (const anchor of anchors) {
    const chosen: TermHit[] = [anchor];
    let ok = true;
    for (const g of groups) {
      const h = nearest(g, anchor.start);
      if (!h) {
        ok = false;
        break;
      }
      chosen.push(h);
    }
    if (!ok) continue;
    if (rule.any) {
      const h = nearest(rule.any, anchor.start);
      if (!h) continue;
      chosen.push(h);
    }
    if (rule.of) {
      const found = rule.of.map((n) => nearest([n], anchor.start)).filter((h): h is TermHit => !!h);
      // One phrase is one sign, even if two concepts list it ("antes de irme" is a farewell and a plan).
      const distinct = found.filter((h, i) => found.findIndex((o) => o.start < h.end && h.start < o.end) === i);
      if (distinct.length < (rule.at_least ?? 1)) continue;
      chosen.push(...found);
    }
    if (rule.unless?.some((n) => nearest([n], anchor.start))) continue;
    return {
      start: Math.min(...chosen.map((h) => h.start)),
      end: Math.max(...chosen.map((h) => h.end)),
      hits: chosen,
    };
  }
  return undefined;
}

/** Whether the rule's words are about now: the nearest time marker decides, now on a tie. */
function readTime(
  rule: EmergencyRule,
  span: Span,
  sentence: readonly number[],
  markers: (name: string) => TermHit[],
  words: readonly string[],
  joking: boolean,
): Omit<TriageFinding, 'rule' | 'label' | 'crisis' | 'offerCrisisLine'> {
  const evidence = [...new Set(span.hits.map((h) => `${h.concept}: ${words.slice(h.start, h.end).join(' ')}`))];
  const sentencesOfSpan = new Set(sentence.slice(span.start, span.end));
  const distance = (m: TermHit): number => {
    const d = m.end <= span.start ? span.start - m.end + 1 : m.start >= span.end ? m.start - span.end + 1 : 0;
    const sm = sentence[m.start] as number;
    let gap = Number.POSITIVE_INFINITY;
    for (const s of sentencesOfSpan) gap = Math.min(gap, Math.abs(s - sm));
    return d + SENTENCE_GAP * gap;
  };
  // A marker inside the rule's own words ("nació hace 3 semanas" in a newborn's age) is not a time.
  const own = (m: TermHit) => span.hits.some((h) => m.start >= h.start && m.end <= h.end);
  // A past or a resolution told in an earlier sentence does not undo what follows it ("ya nació
  // el bebé, pero no para de sangrar"); told after it, it does ("se desmayó. Ya está bien").
  const firstSentence = Math.min(...sentencesOfSpan);
  const earlier = (m: TermHit) => (sentence[m.start] as number) < firstSentence;
  const closest = (list: TermHit[]) => {
    let best: TermHit | undefined;
    let bestD = Number.POSITIVE_INFINITY;
    for (const m of list) {
      if (own(m)) continue;
      const d = distance(m);
      if (d < bestD) {
        best = m;
        bestD = d;
      }
    }
    return { marker: best, d: bestD <= MARKER_REACH ? bestD : Number.POSITIVE_INFINITY };
  };
  const show = (m?: TermHit) => (m ? words.slice(m.start, m.end).join(' ') : undefined);
  const strong = closest(markers(CONTEXT.now));
  const weak = closest(markers(CONTEXT.nowWeak));
  const now = weak.d + WEAK_NOW_PENALTY < strong.d ? { marker: weak.marker, d: weak.d + WEAK_NOW_PENALTY } : strong;
  // A gerund in the rule's own words ("se está desangrando") is happening now.
  const nowD = span.hits.some((h) => h.gerund) ? Math.min(1, now.d) : now.d;
  const pastAny = closest(markers(CONTEXT.past).filter((m) => !earlier(m)));
  const past = rule.crisis && pastAny.d > CRISIS_PAST_REACH ? { marker: undefined, d: Number.POSITIVE_INFINITY } : pastAny;
  // For a suicidal crisis only an explicit past time counts: "tuvo" or "ya está bien" are not enough.
  const resolved = rule.crisis ? { marker: undefined, d: Number.POSITIVE_INFINITY } : closest(markers(CONTEXT.resolved).filter((m) => !earlier(m)));
  const before = past.d <= resolved.d ? { ...past, when: 'past' as const } : { ...resolved, when: 'resolved' as const };
  if (Number.isFinite(before.d) && before.d < nowD) return { when: before.when, evidence, marker: show(before.marker) };
  /** The first marker of that kind in the sentences of the rule's words. */
  const inSpan = (name: string) => markers(name).find((m) => sentencesOfSpan.has(sentence[m.start] as number));
  // A condition named ("prevención del suicidio", "infarto") beside a question or paperwork in its
  // sentence is a topic, not an event, unless an explicit sign of now stands close by.
  if (rule.named && !(strong.d <= 3)) {
    const topic = inSpan(CONTEXT.info) ?? inSpan(CONTEXT.admin);
    if (topic) return { when: 'info', evidence, marker: show(topic) };
  }
  // Laughter ("jajaja", "😂") makes it a joke, unless a sign of now stands right beside it.
  if (joking && !(strong.d <= 2)) return { when: 'info', evidence, marker: 'risa' };
  // "si alguien se desmaya…", "¿cómo reconozco si alguien está teniendo un infarto?": a general
  // question, unless an explicit sign of now ("ahorita", "ayuda") stands close by.
  const hypothetical = inSpan(CONTEXT.hypothetical);
  if (hypothetical && !(strong.d <= 3)) return { when: 'info', evidence, marker: show(hypothetical) };
  // "mi perro no respira": an animal, and no person named beside it.
  const pet = inSpan(CONTEXT.pets);
  if (pet && !inSpan(CONTEXT.people)) return { when: 'info', evidence, marker: show(pet) };
  if (Number.isFinite(nowD)) return { when: 'now', evidence, marker: show(now.marker) };
  const info = inSpan(CONTEXT.info);
  if (info) return { when: 'info', evidence, marker: show(info) };
  const admin = rule.named ? markers(CONTEXT.admin)[0] : undefined;
  if (admin) return { when: 'info', evidence, marker: show(admin) };
  return { when: 'now', evidence };
}
