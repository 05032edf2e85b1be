/**
 * The age a message states, if any: "tengo 35 años", "mi bebé tiene 4 meses", "su hermanito de 7",
 * "y si tengo 45?". Months stay months, so a baby of 4 months is not read as 4 years. A number that
 * is a time ago ("hace 3 años"), a length of pregnancy ("7 meses de embarazo") or too large for
 * an age is not an age.
 *
 * ```ts
 * readAge(['mi', 'bebe', 'tiene', '4', 'meses']) // { value: 4, unit: 'meses', months: 4 }
 * ```
 */
export interface Age {
  value: number;
  unit: 'anos' | 'meses';
  /** The age in months, to compare with any group. */
  months: number;
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  once: 11, doce: 12, quince: 15, veinte: 20, treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90,
};
/** Words of an age: years and months. */
export const YEARS = new Set(['anos', 'ano', 'anitos', 'anito']);
export const MONTHS = new Set(['meses', 'mes', 'mesecitos']);
/** Words after which a bare number is an age ("tengo 45", "mi hijo de 7"). */
const AGE_LEADS = new Set(['tengo', 'tiene', 'tienes', 'tenemos', 'cumpli', 'cumplio', 'cumple', 'edad']);
/** Words for the person an age belongs to. */
export const PERSON_WORDS = new Set(['hijo', 'hija', 'hijos', 'nino', 'nina', 'bebe', 'hermanito', 'hermanita', 'hermano', 'hermana', 'mama', 'papa', 'abuelo', 'abuela', 'abuelita', 'abuelito', 'esposo', 'esposa', 'nieto', 'nieta', 'senora', 'senor', 'sobrino', 'sobrina', 'chamaco', 'chamaca']);
/**
 * Words before a number that make it a length of time, not an age: "tardan como dos meses",
 * "llevo 3 años cotizando", "cada 6 meses". Fillers in between ("como", "unos", "más de") are skipped.
 */
const DURATION_LEADS = new Set(['hace', 'tardan', 'tarda', 'tardo', 'tardaron', 'tardara', 'llevo', 'lleva', 'llevamos', 'llevan', 'llevaba', 'durante', 'cada', 'dentro', 'despues', 'antes', 'pasaron', 'paso', 'trabaje', 'trabajo', 'cotice', 'cotizo', 'cotizado', 'espere', 'esperar', 'esperando', 'plazo', 'vigencia', 'dura', 'duran', 'ultimos', 'proximos', 'en']);
const DURATION_FILLERS = new Set(['como', 'unos', 'unas', 'casi', 'mas', 'menos', 'de', 'ya', 'aproximadamente', 'aprox', 'hasta', 'por', 'lo', 'los', 'las', 'en']);
/** Words after "N años" that make it a length of time: "5 años cotizando", "20 años de servicio". */
const DURATION_AFTER = new Set(['cotizando', 'cotizados', 'cotizadas', 'trabajando', 'trabajados', 'laborando', 'esperando', 'viviendo', 'servicio', 'antiguedad', 'casados', 'cotizacion']);

function isDuration(words: readonly string[], i: number): boolean {
  let j = i - 1;
  // (a range counts as one number: "en 2 o 3 años", "tardan de 2 a 3 meses")
  if ((words[j] === 'o' || words[j] === 'a') && numberOf(words[j - 1]) !== undefined) j -= 2;
  const from = j + 1;
  while (j >= 0 && !DURATION_LEADS.has(words[j] as string) && DURATION_FILLERS.has(words[j] as string) && from - j <= 3) j--;
  if (j >= 0 && DURATION_LEADS.has(words[j] as string)) return true;
  const after = words[i + 2] === 'de' ? words[i + 3] : words[i + 2];
  return DURATION_AFTER.has(after ?? '');
}

/**
 * True when the number at `i` counts a length of time, not an age: "hace 2 meses", "después de
 * 15 años de trabajar", "llevo 5 años cotizando". Such a number names no subject either.
 */
export function isTimeSpan(words: readonly string[], i: number): boolean {
  const next = words[i + 1] ?? '';
  if (numberOf(words[i]) === undefined || !(MONTHS.has(next) || YEARS.has(next) || next === 'semanas' || next === 'dias')) return false;
  return words[i - 1] === 'hace' || words[i - 2] === 'hace' || isDuration(words, i);
}

/** Words that may follow a bare age: "tengo 45 y…", "tiene 70 pero…", "tengo 62 cumplidos". */
const AFTER_BARE_AGE = new Set(
  'y e o pero que q me mi le se si no ya todavia aun cumplidos cumplidas puedo puede tengo tiene es soy entonces asi con sin en de para pa edad'.split(' '),
);

const NOT_AGE_AFTER = new Set(['embarazo', 'gestacion', 'semanas', 'dias', 'horas', 'minutos', 'pesos', 'camas', 'km', 'kilometros', 'porciento', 'veces', 'dosis']);

function numberOf(w: string | undefined): number | undefined {
  if (!w) return undefined;
  if (/^\d{1,3}$/.test(w)) return Number(w);
  return NUMBER_WORDS[w];
}

export function readAge(words: readonly string[]): Age | undefined {
  for (let i = 0; i < words.length; i++) {
    const n = numberOf(words[i]);
    if (n === undefined || n <= 0 || n > 110) continue;
    const next = words[i + 1];
    const before = words[i - 1];
    if (before === 'hace' || words[i - 2] === 'hace') continue;
    if (next && (MONTHS.has(next) || YEARS.has(next)) && isDuration(words, i)) continue;
    if (next && MONTHS.has(next)) {
      if (NOT_AGE_AFTER.has(words[i + 2] ?? '') || words[i + 3] === 'embarazo') continue;
      return { value: n, unit: 'meses', months: n };
    }
    if (next && YEARS.has(next)) return { value: n, unit: 'anos', months: n * 12 };
    if (next && NOT_AGE_AFTER.has(next)) continue;
    // ("tengo 45, ¿me toca?" is an age; "tengo 3 dudas", "tiene 2 hijos" count something else)
    const counts = !!next && !AFTER_BARE_AGE.has(next);
    const bare = (before && AGE_LEADS.has(before) && !counts) || (before === 'de' && PERSON_WORDS.has(words[i - 2] ?? ''));
    if (bare && !/^\d{4,}$/.test(words[i] as string)) return { value: n, unit: 'anos', months: n * 12 };
  }
  return undefined;
}
