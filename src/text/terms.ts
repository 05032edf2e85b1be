import { createRequire } from 'node:module';
import { normalize } from './normalize.js';
import { STOPWORDS } from './stopwords.js';

const require = createRequire(import.meta.url);
// The Snowball-derived Spanish stemmer of nlp.js; it copes with unaccented input.
const StemmerEs = require('@nlpjs/lang-es/src/stemmer-es.js') as new () => { stemWord(w: string): string };
const stemmer = new StemmerEs();

/**
 * Folds spellings that sound alike in Mexican Spanish, so that "credensial" meets "credencial",
 * "ospital" meets "hospital" and "bacuna" meets "vacuna". Applied after stemming.
 *
 * ```ts
 * soundKey('credensial') === soundKey('credencial') // true
 * ```
 */
export function soundKey(word: string): string {
  return word
    .replace(/ch/g, '§')
    .replace(/h/g, '')
    .replace(/§/g, 'ch')
    .replace(/qu(?=[ei])/g, 'k')
    .replace(/c(?=[ei])/g, 's')
    .replace(/gu(?=[ei])/g, 'g')
    .replace(/g(?=[ei])/g, 'j')
    .replace(/c/g, 'k')
    .replace(/q/g, 'k')
    .replace(/z/g, 's')
    .replace(/v/g, 'b')
    .replace(/ll/g, 'y')
    .replace(/w/g, 'u')
    .replace(/([a-z])\1+/g, '$1');
}

/**
 * Folds applied before stemming: the stemmer would otherwise treat "influenza" and "influensa"
 * differently (it rewrites a final z), and "construllendo" apart from "construyendo" (it knows the
 * gerund "-yendo" only with a y).
 */
function preFold(word: string): string {
  return word.replace(/z/g, 's').replace(/v/g, 'b').replace(/(^|[^c])h/g, '$1').replace(/ll/g, 'y');
}

/**
 * Words the stemmer would merge with a word of another meaning ("enfermera" and "enfermo" both
 * become "enferm", "unido" and "unidad" both "unid"); each gets a stem of its own.
 */
const OWN_STEMS: Readonly<Record<string, string>> = {
  enfermera: 'enfermeria',
  enfermeras: 'enfermeria',
  enfermero: 'enfermeria',
  enfermeros: 'enfermeria',
  enfermeria: 'enfermeria',
  // the coast is no cost ("la costera de Acapulco", "la Costa Chica")
  costa: 'costa',
  costas: 'costa',
  costera: 'costa',
  costero: 'costa',
  costeno: 'costa',
  costena: 'costa',
  // a school ("maestra de primaria") and a cousin ("mi prima") are not the first level of care ("primer nivel")
  primaria: 'primaria',
  primarias: 'primaria',
  prima: 'prima',
  primas: 'prima',
  // a master's degree is no teacher ("soy maestra y tengo ISSSTE")
  maestria: 'maestria',
  maestrias: 'maestria',
  // the Bajío is no Baja California
  bajio: 'bajio',
  // a web site is no appointment ("cita"), a street no fall ("cayó"), a zone no "son",
  // Saturday no "saber", a waitress no month, a car no price, a job post no "poner"
  sitio: 'sitio',
  sitios: 'sitio',
  calle: 'calle',
  calles: 'calle',
  zona: 'zona',
  zonas: 'zona',
  sabado: 'sabado',
  sabados: 'sabado',
  mesera: 'mesero',
  mesero: 'mesero',
  meseras: 'mesero',
  meseros: 'mesero',
  carro: 'carro',
  carros: 'carro',
  puesto: 'puesto',
  puestos: 'puesto',
  // "ya mero" (almost) is no Mérida
  mero: 'mero',
  meros: 'mero',
  // running ("corrían todos", "lo corrieron del trabajo") is no e-mail ("correo")
  correr: 'correr',
  corre: 'correr',
  corren: 'correr',
  corria: 'correr',
  corrian: 'correr',
  corrio: 'correr',
  corrieron: 'correr',
  corriendo: 'correr',
  // the ear ("pruebas de oído") is not hearsay ("oí que los yaquis…")
  oido: 'oido',
  oidos: 'oido',
  // "tres veces por semana" is no scholarship ("beca", as "v" is read "b")
  vez: 'vez',
  veces: 'vez',
  // "partera" is not "parto"
  partera: 'partera',
  parteras: 'partera',
  partero: 'partera',
  parteros: 'partera',
  // "unido" is not "unidad"; joining and adhering are the same thing here
  unido: 'adherir',
  unidos: 'adherir',
  unida: 'adherir',
  unidas: 'adherir',
  unir: 'adherir',
  unirse: 'adherir',
  unio: 'adherir',
  unieron: 'adherir',
  adherido: 'adherir',
  adheridos: 'adherir',
  adherida: 'adherir',
  adheridas: 'adherir',
  adhirio: 'adherir',
  adhirieron: 'adherir',
  adherirse: 'adherir',
  adherir: 'adherir',
  adhesion: 'adherir',
};

const stemCache = new Map<string, string>();

/** Stem of one normalised word, then its sound key; memoised (the vocabulary is small). */
export function stemTerm(word: string): string {
  let key = stemCache.get(word);
  if (key === undefined) {
    key = /^\d+$/.test(word) ? word : soundKey(OWN_STEMS[word] ?? stemmer.stemWord(preFold(word)));
    if (stemCache.size < 50_000) stemCache.set(word, key);
  }
  return key;
}

/** The stems computed so far, to keep for the next start (see `core/engine-cache.ts`). */
export function exportStems(): [string, string][] {
  return [...stemCache];
}

/** Stems kept from an earlier start, computed by this same code: the stemmer is not run for them again. */
export function importStems(pairs: readonly [string, string][]): void {
  for (const [w, k] of pairs) if (stemCache.size < 50_000) stemCache.set(w, k);
}

/**
 * MiniSearch `processTerm` hook: one already-normalised word in, its index term out, or nothing
 * for stopwords and one-letter words.
 */
export function processTerm(word: string): string | null {
  if (word.length < 2 && !/\d/.test(word)) return null;
  if (STOPWORDS.has(word)) return null;
  return stemTerm(word);
}

/** MiniSearch `tokenize` hook: the words of the normalised text. */
export function tokenize(text: string): string[] {
  const n = normalize(text);
  return n ? n.split(' ') : [];
}

/** Index terms of a text, in order, duplicates kept. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of tokenize(text)) {
    const t = processTerm(w);
    if (t) out.push(t);
  }
  return out;
}
