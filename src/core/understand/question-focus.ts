import { words as wordsIn } from '../../text/normalize.js';
import { STOPWORDS } from '../../text/stopwords.js';

/**
 * The question inside a long message: "Buenas tardes, disculpe la molestia. Mi mamá tiene 70 años
 * y … ¿le toca la vacuna?" asks one thing, and the greeting and the story around it only add
 * noise to the search. Returns the sentences that ask (those with a question mark; if there are
 * none, those opening as a question does: "cómo", "dónde", "me pueden", "quisiera saber", plus the
 * last one), each with the sentence before it when it says nothing of its own; or undefined when the
 * message is short or the question cannot be told apart.
 *
 * ```ts
 * questionFocus('Hola. Vivo en Tepic y no tengo seguro. ¿Me cobran el parto?') // '¿Me cobran el parto?'
 * ```
 */
const ASKING = /^(?:y\s+)?(?:(?:que|qué)(?!\s+(?:tal|onda|hubo)\b)|como|cómo|cuando|cuándo|donde|dónde|cuanto|cuánto|cuanta|cuánta|cuantos|cuántos|cuantas|cuántas|cual|cuál|cuales|cuáles|quien|quién|puedo|podemos|pueden|me pueden|nos pueden|se puede|hay|tienen|tiene|es|son|necesito|ocupo|quiero saber|quisiera saber|me gustaria saber|me gustaría saber|saben|sabe|sera|será|a donde|a dónde|con quien|con quién|por que|por qué|me toca|le toca|nos toca|aplica|existe)\b/i;

/** Messages shorter than this (in words) are searched whole. */
const LONG = 22;
/** Words of a question that says nothing of its own: "¿es cierto?", "¿qué le hacen?", "¿yo puedo?". */
const POINTING = new Set(
  'es cierto verdad neta eso esto asi que le les lo la me se yo y si no o como hacen hace dan sirve puedo puede podemos aplica toca cual cuales son desde cuando donde funcionan funciona abren abrieron estan llama llaman'.split(' '),
);

/**
 * True when a question has no word of its own and leans on the sentence before it ("¿cuáles son y
 * desde cuándo?"), or names its object only by a pronoun ("¿cómo le hago para tramitarla?").
 */
function pointsBack(sentence: string): boolean {
  const words = wordsIn(sentence);
  if (words.length === 0) return false;
  // "¿cómo le hago para tramitarla?": its object is in the sentence before (unless the sentence
  // is long enough to have said it: "…me platicó de la credencial…, ¿cómo le hago para tramitarla?")
  if (words.length < OWN_CONTEXT && words.some((w) => ENCLITIC.test(w))) return true;
  // "¿cómo se llama ese servicio?": a thing named by "ese" and a word for any thing is a pronoun too
  const own = words.filter((w, i) => !(GENERIC_THINGS.has(w) && DEMONSTRATIVES.has(words[i - 1] as string)));
  return own.every((w) => POINTING.has(w) || STOPWORDS.has(w) || DEMONSTRATIVES.has(w));
}

const DEMONSTRATIVES = new Set('ese esa esos esas este esta estos estas dicho dicha'.split(' '));
/** Words that name any thing at all ("ese servicio", "esa cosa"), not one of the reports' subjects. */
const GENERIC_THINGS = new Set('servicio servicios programa programas tramite tramites apoyo apoyos cosa cosas plan sistema modelo proyecto opcion'.split(' '));

/** Words from which a sentence with "tramitarla" is taken to name what it means itself. */
const OWN_CONTEXT = 15;

/** A verb with its object as a pronoun: "tramitarla", "sacarlo", "pedirlas". */
const ENCLITIC = /^[a-z]{3,}(?:ar|er|ir)(?:se)?(?:la|lo|las|los)$/;

/** True when a sentence was split off at a comma from a question that follows it, and itself asks. */
function partOfQuestion(sentences: readonly string[], i: number): boolean {
  if (!ASKING.test((sentences[i] as string).replace(/^[¿¡\s]+/, ''))) return false;
  for (let j = i; j < sentences.length; j++) {
    const s = sentences[j] as string;
    if (!/[,;]$/.test(s)) return s.includes('?') && j > i;
  }
  return false;
}

export function questionFocus(text: string): string | undefined {
  const words = text.split(/\s+/).filter(Boolean).length;
  if (words < LONG) return undefined;
  const sentences = text
    // (a comma opens a question with "¿cómo…?" in the accented form only: ", como lipo o…" is "such as")
    .split(/(?<=[.!?\n])\s*|(?<=[,;])\s+(?=(?:y\s+)?(?:que|qué|cómo|cuando|cuándo|donde|dónde|cuanto|cuánto|me pueden|puedo|hay)\b)/i)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (sentences.length < 2) return undefined;
  // A question mark, when the person used one, says where the question is ("soy Benito, como el
  // presidente, … ¿Hay IMSS Bienestar aquí?"); without any, the openings that ask.
  // (the parts a comma split off a question keep its mark from the first one that asks: "dónde
  // saco ese papel, ¿hay que ir a la clínica o se saca en internet?" is one question)
  const marked = sentences.filter((s, i) => s.includes('?') || partOfQuestion(sentences, i));
  const asking = marked.length > 0 ? marked : sentences.filter((s) => ASKING.test(s.replace(/^[¿¡\s]+/, '')));
  const last = sentences.at(-1) as string;
  // "Escuché que hacen revisión de próstata gratis. ¿Es cierto? ¿Qué le hacen?": questions with
  // nothing of their own point back at the sentence before them, which is then part of the question.
  // The last sentence joins only when no sentence is marked as a question: after "¿Ya están
  // entregando las credenciales?", "Mi abuelita ya se desesperó" is story.
  const picked = new Set(marked.length > 0 ? asking : [...asking, last]);
  for (let i = sentences.length - 1; i > 0; i--)
    if (picked.has(sentences[i] as string) && pointsBack(sentences[i] as string)) picked.add(sentences[i - 1] as string);
  if (picked.size === 0) return undefined;
  const focus = sentences.filter((x) => picked.has(x));
  const focusWords = focus.join(' ').split(/\s+/).length;
  if (focusWords >= words * 0.9 || focusWords < 3) return undefined;
  return focus.join(' ');
}
