import { normalize, words as wordsIn } from '../../text/normalize.js';
import { processTerm } from '../../text/terms.js';

/**
 * "Soy enfermera en un hospital de Tapachula, ¿me toca la vacuna?": the hospital says who asks,
 * not which unit the question is about. True when every facility the message mentions is "un/una
 * <facility>" inside a clause that describes the person ("soy…", "trabajo en…", "estoy en…"); a
 * unit named with the article "el" ("trabajo en el Hospital General de Acapulco") may be the
 * subject and does not count as a description.
 *
 * ```ts
 * facilitiesOnlyDescribeSelf('soy enfermera en un hospital de tapachula, me toca la de influenza?', isFacility) // true
 * facilitiesOnlyDescribeSelf('hay un hospital en tapachula?', isFacility) // false
 * ```
 */
const SELF = /^(?:yo\s+|y\s+)?(?:soy|somos|trabajo|trabajamos|laboro|chambeo|estoy|estamos|mi (?:esposo|esposa|hijo|hija|mama|papa) (?:es|trabaja))\b/;
const WHO_ASKS_VERBS = '(?:soy|somos|trabajo|trabajamos|laboro|chambeo)';
const WHO_ASKS = new RegExp(`^(?:yo\\s+)?${WHO_ASKS_VERBS}\\b`);
const WHO_ASKS_ANYWHERE = new RegExp(`\\b${WHO_ASKS_VERBS}\\b`);
const INDEFINITE = new Set(['un', 'una', 'unos', 'unas']);

export function facilitiesOnlyDescribeSelf(text: string, isFacility: (term: string) => boolean): boolean {
  let described = 0;
  for (const clause of text.split(/[,.;:!?¿¡\n]+/)) {
    const words = wordsIn(clause);
    const self = SELF.test(words.join(' '));
    for (let i = 0; i < words.length; i++) {
      if (!isFacility(processTerm(words[i] as string) ?? '')) continue;
      if (!self || !INDEFINITE.has(words[i - 1] as string)) return false;
      described++;
    }
  }
  return described > 0;
}

/**
 * "Soy de Ticul y trabajo en una fábrica de zapatos, ¿es cierto que el seguro está haciendo un
 * hospital aquí?": the words of the clauses that only say who asks, when another clause of the
 * message asks the question; none when no clause describes the person or nothing else is said.
 *
 * ```ts
 * selfDescriptionWords('trabajo en una fabrica, hay hospital del imss aqui?') // ['trabajo', 'en', 'una', 'fabrica']
 * ```
 */
export function selfDescriptionWords(text: string): string[] {
  // (most messages say nothing of the person: no clause to split)
  if (!WHO_ASKS_ANYWHERE.test(normalize(text))) return [];
  const clauses = text
    .split(/[,.;:!?¿¡\n]+|\s+(?:y|e|pero)\s+|\s+(?=(?:es cierto|sera cierto|será cierto)\b)/i)
    .map(wordsIn)
    .filter((w) => w.length > 0);
  // (what one is or does for a living, where one is from; not one's health: "mi papá es diabético" may be the subject)
  const self = clauses.filter((w) => WHO_ASKS.test(w.join(' ')));
  return self.length > 0 && self.length < clauses.length ? self.flat() : [];
}
