import { words as wordsIn } from '../../text/normalize.js';

/**
 * "Dos preguntas: 1) ¿cuánta gente se ha registrado? y 2) ¿ya las entregan?", "¿Cómo saco la
 * constancia? … Y de paso, ¿puedo ver mis cotizaciones en el cel?": a message that says it asks two
 * things, by numbering them, by "de paso" / "otra pregunta" / "otra cosa", or by a second question
 * joined to a first one with "y", split into its two questions; none when it does not say so (a
 * question asked twice in other words is one question).
 *
 * ```ts
 * questionParts('1) cuantos se registraron y 2) ya las entregan?') // ['cuantos se registraron', 'ya las entregan?']
 * questionParts('hay dentista en el centro de salud? y cuanto cobran?') // ['hay dentista en el centro de salud?', 'y cuanto cobran?']
 * questionParts('como saco la credencial? la perdi') // undefined
 * ```
 */
const NUMBERED = /(?:^|[\s:,.¿?¡!])1\s*[).-]\s*(.+?)[\s,;.]+(?:y\s+|e\s+)?2\s*[).-]\s*(.+)$/s;
const ANOTHER =
  /^(.+?)[\s,;.?!]+(?:y de paso|de paso,|otra pregunta|aparte de eso|adem[aá]s quiero saber|tambi[eé]n quiero saber|y tambi[eé]n (?=si\b))\b[\s,:;.]*(.+)$/is;
/** "¿…? Otra cosa, …": another question, when it opens a sentence (not "no tengo otra cosa"). */
const ANOTHER_THING = /^(.+?[?.!])\s*otra cosa\b[\s,:;.]*(.+)$/is;
/**
 * A question, then another joined by "y": "¿a mi niña le toca la de influenza? y yo embarazada, ¿me
 * puedo poner la de covid?". Each keeps its signs: the first its question mark, the second its "y",
 * which makes it a follow-up of the first.
 */
const THEN_AND = /^(.+?\?)\s*((?:y|e)\s+.+)$/is;
/** Three or more numbered questions are left to the usual reading (and its options). */
const THIRD = /(?:^|[\s,;.?])3\s*[).-]/;
/** Each part must say something of its own. */
const MIN_WORDS = 3;

export function questionParts(text: string): [string, string] | undefined {
  if (THIRD.test(text)) return undefined;
  const m = NUMBERED.exec(text) ?? ANOTHER.exec(text) ?? ANOTHER_THING.exec(text) ?? THEN_AND.exec(text);
  if (!m) return undefined;
  const parts = [m[1] as string, m[2] as string].map((p) => p.trim());
  const long = parts.every((p) => wordsIn(p).length >= MIN_WORDS);
  return long ? (parts as [string, string]) : undefined;
}
