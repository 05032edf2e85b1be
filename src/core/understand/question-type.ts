import { processTerm } from '../../text/terms.js';

/**
 * What kind of thing the message asks, apart from its topic: "¿cuánto cuesta X?" and "¿dónde hay
 * X?" are different questions about the same X. Entries may declare the kinds they answer
 * (`question_types` in the knowledge files), and retrieval favours them.
 */
export type QuestionType = 'cost' | 'contact' | 'where' | 'when' | 'requirements' | 'eligibility';

const WORDS: Record<QuestionType, string> = {
  cost: 'cuesta cuestan costo costos cobran cobrar cobro cobraron cobra pagar pague precio precios cuota cuotas tarifa tarifas tabulador',
  contact: 'telefono numero whatsapp correo llamar marcar contacto horario horarios',
  where: 'donde ubicacion direccion queda lugar lugares cerca cercano cercana',
  when: 'cuando fecha fechas abren abre inauguran termina terminan',
  requirements: 'requisitos requisito documentos papeles necesito ocupo piden llevar',
  eligibility: 'toca tocaria puedo derecho aplica califico entro entra corresponde aceptan atiende atienden atender atenderme atenderian',
};

const TERMS = Object.fromEntries(
  Object.entries(WORDS).map(([k, v]) => [k, new Set(v.split(' ').map((w) => processTerm(w) as string).filter(Boolean))]),
) as Record<QuestionType, Set<string>>;

/**
 * The words as written, for those the index drops as stopwords ("dónde", "puedo"): "¿dónde hay
 * farmacias?" asks where even though "dónde" has no index term.
 */
const PLAIN = Object.fromEntries(Object.entries(WORDS).map(([k, v]) => [k, new Set(v.split(' '))])) as Record<QuestionType, Set<string>>;

/** "¿Cuánto pagan a los médicos?" is a salary, not a cost: the forms of "pagar" that say who pays. */
const NOT_COST_FORMS = new Set(['pagan', 'pagaban', 'pagarian', 'pagara', 'paguen', 'sueldo', 'salario', 'beca']);

/**
 * "¿No que era gratis?" asks about a cost too, unless the sentence counts something ("¿no que el
 * medicamento es gratuito? ¿cuántos tiene el catálogo?" asks a figure).
 */
const FREE = new Set(['gratis', 'gratuito', 'gratuita', 'gratuitos', 'gratuitas', 'gratuidad']);
const COUNTING = new Set(['cuantos', 'cuantas', 'kuantos', 'kuantas']);

const COAST = new Set(['costa', 'costas', 'costeno', 'costena']);

/** Words that make a cost question about a procedure or a service ("¿cuánto cuesta la operación?"). */
const SERVICE = new Set(
  `operacion operar operan opere cirugia cirugias parto partos cesarea aliviar aliviarme estudios estudio laboratorio analisis
  ultrasonido rayos tomografia hospital hospitalizacion internado internada internar consulta consultas medicina medicinas
  medicamento medicamentos tratamiento quimioterapia quimio dialisis hemodialisis vesicula hernia apendice urgencias
  curacion vacuna vacunas atencion atender atienden terapia rehabilitacion cama dias`
    .split(/\s+/)
    .map((w) => processTerm(w) as string)
    .filter(Boolean),
);

/** The kinds asked, from the message's index terms ("cuántos hospitales" is not a cost: no cost word). */
export function questionTypes(terms: readonly string[], words: readonly string[] = []): Set<QuestionType> {
  const found = new Set<QuestionType>();
  for (const [type, set] of Object.entries(TERMS) as [QuestionType, Set<string>][])
    if (terms.some((t) => set.has(t)) || words.some((w) => PLAIN[type].has(w))) found.add(type);
  if (words.some((w) => FREE.has(w)) && !words.some((w) => COUNTING.has(w))) found.add('cost');
  if (words.some((w) => NOT_COST_FORMS.has(w))) found.delete('cost');
  // "¿cómo se llama?" asks a name, not whom to call.
  if (found.has('contact') && !withoutNaming(words).some((w) => TERMS.contact.has(processTerm(w) as string))) found.delete('contact');
  // "la Costa Chica" shares its stem with "cuesta": a coast is no cost.
  const costWords = words.filter((w) => TERMS.cost.has(processTerm(w) as string));
  if (found.has('cost') && costWords.length > 0 && costWords.every((w) => COAST.has(w))) found.delete('cost');
  return found;
}

/** The words without "se llama(n)": "¿cómo se llama el hospital?" asks a name, not a number to call. */
export function withoutNaming(words: readonly string[]): string[] {
  return words.filter((w, i) => !((w === 'llama' || w === 'llaman') && words[i - 1] === 'se'));
}

/** True when a term only says the kind of question ("queda", "cerca", "cuesta", "requisitos"), not its subject. */
export function isQuestionTypeTerm(term: string): boolean {
  return Object.values(TERMS).some((set) => set.has(term));
}

/** True when the message names a procedure or a service whose cost it may ask. */
export function namesService(terms: readonly string[]): boolean {
  return terms.some((t) => SERVICE.has(t));
}
