import { normalize } from '../../text/normalize.js';
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
const INDEFINITE = new Set(['un', 'una', 'unos', 'unas']);

export function facilitiesOnlyDescribeSelf(text: string, isFacility: (term: string) => boolean): boolean {
  let described = 0;
  for (const clause of text.split(/[,.;:!?¿¡\n]+/)) {
    const words = normalize(clause).split(' ').filter(Boolean);
    const self = SELF.test(words.join(' '));
    for (let i = 0; i < words.length; i++) {
      if (!isFacility(processTerm(words[i] as string) ?? '')) continue;
      if (!self || !INDEFINITE.has(words[i - 1] as string)) return false;
      described++;
    }
  }
  return described > 0;
}
