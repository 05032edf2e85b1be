/**
 * Spanish text normalisation shared by the index and the queries, so that what a citizen types
 * on a phone ("kiero sacar la credensial xq no e ido") meets the curated text on equal terms.
 *
 * ```ts
 * normalize('¡Holaaa! ¿Dónde saco la CREDENCIAL?') // 'hola donde saco la credencial'
 * ```
 */

/** WhatsApp abbreviations and frequent misspellings, one token to one or more tokens. */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  // ("i en tlaxcala?": the conjunction as it sounds; no Spanish word is "i")
  i: 'y',
  ola: 'hola',
  q: 'que',
  k: 'que',
  ke: 'que',
  qe: 'que',
  xq: 'porque',
  pq: 'porque',
  xk: 'porque',
  porq: 'porque',
  dnd: 'donde',
  dnde: 'donde',
  tmb: 'tambien',
  tmbn: 'tambien',
  tb: 'tambien',
  pa: 'para',
  pal: 'para el',
  x: 'por',
  d: 'de',
  toy: 'estoy',
  tas: 'estas',
  ta: 'esta',
  kiero: 'quiero',
  aki: 'aqui',
  ai: 'ahi',
  bn: 'bien',
  msj: 'mensaje',
  msg: 'mensaje',
  cel: 'celular',
  info: 'informacion',
  xfa: 'por favor',
  porfa: 'por favor',
  plis: 'por favor',
  pls: 'por favor',
  hrs: 'horas',
  hr: 'hora',
  ntp: 'no te preocupes',
  whats: 'whatsapp',
  wats: 'whatsapp',
  wa: 'whatsapp',
  wsp: 'whatsapp',
  whatsap: 'whatsapp',
  guasap: 'whatsapp',
  watsap: 'whatsapp',
  imms: 'imss',
  imsss: 'imss',
  isste: 'issste',
  isstte: 'issste',
  issstee: 'issste',
  iste: 'issste',
  cdmx: 'ciudad de mexico',
  edomex: 'estado de mexico',
  covid19: 'covid',
  hosp: 'hospital',
  hosps: 'hospitales',
  gral: 'general',
  grl: 'general',
  mpio: 'municipio',
  edo: 'estado',
  edos: 'estados',
  tngo: 'tengo',
  tng: 'tengo',
  doc: 'doctor',
  dr: 'doctor',
  dra: 'doctora',
  nomas: 'nada mas',
  sta: 'esta',
  ps: 'pues',
  pos: 'pues',
  ora: 'ahora',
  orita: 'ahorita',
  hospi: 'hospital',
  bb: 'bebe',
  bebesito: 'bebito',
  tel: 'telefono',
  num: 'numero',
};

/**
 * Lower case, accents and ñ folded, punctuation to spaces, letters repeated three or more times
 * squeezed ("holaaa" → "hola"), abbreviations expanded. Digits are kept; "7,866,426" becomes
 * "7866426" so figures can be matched.
 */
export function normalize(text: string): string {
  // One message is normalised by several stages (triage, smalltalk, places, the question inside):
  // the recent texts are kept, so each is folded once.
  const known = recent.get(text);
  if (known !== undefined) return known;
  const out = fold(text);
  if (recent.size >= RECENT) recent.clear();
  recent.set(text, out);
  return out;
}

const RECENT = 4_096;
const recent = new Map<string, string>();

function fold(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/(\d)[,.](?=\d{3}\b)/g, '$1')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/([a-z])\1{2,}/g, '$1') // "holaaa" → "hola" (and "issste" → "iste", mapped back below)
    .trim();
  if (!folded) return '';
  return folded
    .split(' ')
    .map((t) => ABBREVIATIONS[t] ?? t)
    .join(' ');
}

/** The words of a normalised text. */
export function words(text: string): string[] {
  const n = normalize(text);
  return n ? n.split(' ') : [];
}
