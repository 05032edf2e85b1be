import type { State } from '../../knowledge/schema.js';
import { normalize } from '../../text/normalize.js';
import { oneEditApart } from '../../text/one-edit.js';
import { STOPWORDS } from '../../text/stopwords.js';

/** A place named in a message. `municipality` is set when a municipality (not a state) was named. */
export interface PlaceMatch {
  state: State;
  municipality?: string;
  /** Word positions [start, end) of the match in the normalised message. */
  start: number;
  end: number;
}

/**
 * Municipality names that are also everyday words or too ambiguous to read as a place when they
 * stand alone ("centro de salud", "la reforma", "victoria").
 */
const AMBIGUOUS_NAMES = new Set([
  'centro',
  'reforma',
  'victoria',
  'juarez',
  'hidalgo',
  'progreso',
  'la paz',
  'la cruz',
  'guadalupe',
  'madero',
  'comonfort',
  'zaragoza',
  'morelos',
  'allende',
  'independencia',
  'libertad',
  'paraiso',
  'union',
  'general',
  'benito juarez',
  'el salto',
  'salto',
  'cardenas',
  'apodaca',
  'mexico',
  'san pedro',
  'santiago',
  'san juan',
  'valle',
]);

/** State names at least this long are recognised with one letter wrong, missing or extra. */
const FUZZY_STATE_MIN = 7;

export interface Gazetteer {
  /** Places named in the normalised words, longest names first, without overlaps. */
  find(words: readonly string[]): PlaceMatch[];
  /** A state by its official name. */
  state(name: string): State | undefined;
  /** True when a normalised name is a place's exactly ("ometepec"), with no slip allowed. */
  names(name: string): boolean;
}

/**
 * Builds the lookup of the 32 states, their aliases ("cdmx", "edomex", "el df") and their
 * municipalities from `states.yaml`, plus the towns the units of the reports stand in.
 *
 * ```ts
 * createGazetteer(kb.states).find(words('vivo en iztapalapa'))[0].state.name // 'Ciudad de México'
 * ```
 */
export function createGazetteer(
  states: readonly State[],
  /** More towns, with their state: every municipality a unit of the reports stands in. */
  towns: readonly { name: string; state: string }[] = [],
  /** Words the knowledge base uses: never read as a misspelt state. */
  known?: ReadonlySet<string>,
): Gazetteer {
  const byPhrase = new Map<string, { state: State; municipality?: string; ambiguous?: boolean }>();
  let longest = 1;
  const add = (phrase: string, value: { state: State; municipality?: string }, isStateName: boolean) => {
    const key = normalize(phrase);
    if (!key || STOPWORDS.has(key)) return;
    if (!isStateName && AMBIGUOUS_NAMES.has(key)) return;
    longest = Math.max(longest, key.split(' ').length);
    const prev = byPhrase.get(key);
    if (!prev) byPhrase.set(key, value);
    else if (isStateName) byPhrase.set(key, value);
    else if (!prev.municipality) return;
    else if (prev.state !== value.state) byPhrase.set(key, { ...prev, ambiguous: true });
  };
  for (const s of states)
    for (const m of s.municipalities) if (normalize(m.name) !== normalize(s.name)) add(m.name, { state: s, municipality: m.name }, false);
  const stateByName = new Map(states.map((s) => [s.name, s]));
  for (const t of towns) {
    const s = stateByName.get(t.state);
    if (s && normalize(t.name) !== normalize(s.name) && !byPhrase.has(normalize(t.name))) add(t.name, { state: s, municipality: t.name }, false);
  }
  for (const s of states) {
    add(s.name, { state: s }, true);
    for (const a of s.aliases) add(a, { state: s }, true);
  }
  const byName = new Map(states.map((s) => [s.name, s]));
  // "cp 44100", "código postal 68000": the first two digits give the state (SEPOMEX).
  const byPostalPrefix = new Map<string, State>();
  for (const s of states) {
    const [from, to] = (s.postal_codes ?? '').split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) continue;
    for (let p = from; p <= (to ?? from); p++) byPostalPrefix.set(String(p).padStart(2, '0'), s);
  }
  const postalAt = (words: readonly string[], i: number): State | undefined => {
    const w = words[i] as string;
    if (!/^\d{5}$/.test(w)) return undefined;
    // "cp 44100", "mi cp es 44100", "código postal: 68000"
    const lead = words.slice(Math.max(0, i - 3), i);
    if (!lead.some((w) => w === 'cp' || w === 'postal' || w === 'codigo')) return undefined;
    return byPostalPrefix.get(w.slice(0, 2));
  };
  const firstWords = new Set([...byPhrase.keys()].map((k) => k.split(' ')[0] as string));
  // "michuacan", "chiuahua", "tamaulipaz": a one-letter slip in a state's long one-word name.
  // (by first letter: a slip is looked for only among the names that start like the word)
  const longStateWords = new Map<string, [string, State][]>();
  for (const s of states)
    for (const a of [s.name, ...s.aliases]) {
      const key = normalize(a);
      if (key.includes(' ') || key.length < FUZZY_STATE_MIN) continue;
      const list = longStateWords.get(key[0] as string) ?? [];
      list.push([key, s]);
      longStateWords.set(key[0] as string, list);
    }
  const fuzzyState = (w: string): State | undefined => {
    if (w.length < FUZZY_STATE_MIN || byPhrase.has(w) || (known?.has(w) ?? false)) return undefined;
    return longStateWords.get(w[0] as string)?.find(([name]) => oneEditApart(name, w))?.[1];
  };

  return {
    state: (name) => byName.get(name),
    names: (name) => byPhrase.has(name),
    find(words) {
      const found: PlaceMatch[] = [];
      for (let i = 0; i < words.length; ) {
        let matched = 0;
        const byPostal = postalAt(words, i);
        if (byPostal) {
          found.push({ state: byPostal, start: i, end: i + 1 });
          i++;
          continue;
        }
        if (!firstWords.has(words[i] as string)) {
          const slip = fuzzyState(words[i] as string);
          if (slip) found.push({ state: slip, start: i, end: i + 1 });
          i++;
          continue;
        }
        for (let n = Math.min(longest, words.length - i); n >= 1; n--) {
          const hit = byPhrase.get(words.slice(i, i + n).join(' '));
          if (hit && !hit.ambiguous) {
            found.push({ state: hit.state, municipality: hit.municipality, start: i, end: i + n });
            matched = n;
            break;
          }
        }
        i += matched || 1;
      }
      return found;
    },
  };
}
