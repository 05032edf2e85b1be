import { processTerm } from '../../text/terms.js';

/**
 * What kind of thing the message asks, apart from its topic: "¿cuánto cuesta X?" and "¿dónde hay
 * X?" are different questions about the same X. Entries may declare the kinds they answer
 * (`question_types` in the knowledge files), and retrieval favours them.
 */
export type QuestionType = 'cost' | 'contact' | 'where' | 'when' | 'requirements' | 'eligibility' | 'how' | 'what';

/** The kinds read from words alone; "how" and "what" are read from a short sequence (below). */
const WORDS: Record<Exclude<QuestionType, 'how' | 'what'>, string> = {
  cost: 'cuesta cuestan costo costos cobran cobrar cobro cobraron cobra pagar pague precio precios cuota cuotas tarifa tarifas tabulador',
  contact: 'telefono numero whatsapp correo llamar marcar contacto horario horarios',
  where: 'donde ubicacion direccion queda lugar lugares cerca cercano cercana',
  when: 'cuando fecha fechas abren abre inauguran termina terminan',
  requirements: 'requisitos requisito documentos papeles necesito ocupo piden llevar',
  eligibility: 'toca tocaria puedo derecho aplica califico entro entra corresponde aceptan atiende atienden atender atenderme atenderian atenderla atenderlo tratar tratarla tratarlo tratan',
};

/**
 * "¿Cómo la registro?", "¿cómo saco la credencial?": "cómo" with a verb of a procedure near it asks
 * how to do a thing ("como lipo" or "como a 10 cuadras" do not).
 */
const HOW = new Set(['como', 'komo', 'cmo']);
const PROCEDURE = new Set(
  `saco sacar sacarla sacarlo saca sacan registro registrar registrarme registrarla registrarlo registra registran tramito tramitar
  tramitarla tramitarlo tramita hago hacer hace hacen obtengo obtener obtiene consigo conseguir consigue inscribo inscribir
  inscribirme inscribe afilio afiliar afiliarme solicito solicitar solicita pido pedir pide doy dar alta reporto reportar
  reporta pongo poner pone renuevo renovar repongo reponer cambio cambiar actualizo actualizar agendo agendar checo checar
  consulto consultar verifico verificar compruebo comprobar demuestro demostrar valido validar entro entrar participo participar
  accedo acceder llego llegar uso usar funciona funcionan`.split(/\s+/),
);
/** Pronouns and clitics that may stand between "cómo" and its verb: "¿cómo le hago?", "¿cómo me la dan?". */
const BETWEEN = new Set(['le', 'la', 'lo', 'las', 'los', 'me', 'se', 'te', 'nos', 'les', 'puedo', 'podemos', 'debo', 'tengo', 'hay', 'que', 'q', 'k', 'de', 'para', 'pa']);
/** "¿Qué es…?", "¿en qué consiste…?", "¿para qué sirve…?": what a thing is. */
const WHAT_AFTER = new Set(['es', 'son', 'significa', 'quiere', 'consiste', 'sirve', 'sirven', 'trata', 'hacen', 'hace', 'ofrece', 'ofrecen', 'incluye', 'incluyen', 'cubre']);
const WHAT = new Set(['que', 'q', 'k', 'ke']);

function asksHow(words: readonly string[]): boolean {
  return words.some((w, i) => {
    if (!HOW.has(w)) return false;
    for (let j = i + 1; j < Math.min(words.length, i + 5); j++) {
      const v = words[j] as string;
      if (PROCEDURE.has(v)) return true;
      if (!BETWEEN.has(v)) return false;
    }
    return false;
  });
}

const asksWhat = (words: readonly string[]) => words.some((w, i) => WHAT.has(w) && WHAT_AFTER.has(words[i + 1] as string) && !HOW.has(words[i - 1] as string));

const TERMS = Object.fromEntries(
  Object.entries(WORDS).map(([k, v]) => [k, new Set(v.split(' ').map((w) => processTerm(w) as string).filter(Boolean))]),
) as Record<keyof typeof WORDS, Set<string>>;

/**
 * The words as written, for those the index drops as stopwords ("dónde", "puedo"): "¿dónde hay
 * farmacias?" asks where even though "dónde" has no index term.
 */
const PLAIN = Object.fromEntries(Object.entries(WORDS).map(([k, v]) => [k, new Set(v.split(' '))])) as Record<keyof typeof WORDS, Set<string>>;

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
  curacion vacuna vacunas atencion atender atienden terapia rehabilitacion cama dias centro clinica unidad`
    .split(/\s+/)
    .map((w) => processTerm(w) as string)
    .filter(Boolean),
);

/**
 * "Antes de volver a pagar el camión…": a cost word whose object is the fare, the rent or a
 * private doctor asks nothing about what the public service costs.
 */
const NOT_SERVICE_COSTS = new Set('camion camiones pasaje pasajes taxi taxis renta luz transporte colectivo combi gasolina uber particular particulares'.split(' '));
const ARTICLES = new Set(['el', 'la', 'los', 'las', 'un', 'una', 'de', 'del', 'mi', 'mis', 'su', 'sus', 'otra', 'otro', 'vez']);
function costOfOtherThings(words: readonly string[]): boolean {
  const at = words.map((w, i) => (TERMS.cost.has(processTerm(w) as string) ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return false;
  return at.every((i) => {
    let j = i + 1;
    while (j < words.length && ARTICLES.has(words[j] as string)) j++;
    return NOT_SERVICE_COSTS.has(words[j] as string);
  });
}

/** The kinds asked, from the message's index terms ("cuántos hospitales" is not a cost: no cost word). */
export function questionTypes(terms: readonly string[], words: readonly string[] = []): Set<QuestionType> {
  const found = new Set<QuestionType>();
  for (const [type, set] of Object.entries(TERMS) as [QuestionType, Set<string>][])
    if (terms.some((t) => set.has(t)) || words.some((w) => PLAIN[type as keyof typeof WORDS].has(w))) found.add(type);
  if (words.some((w) => FREE.has(w)) && !words.some((w) => COUNTING.has(w))) found.add('cost');
  if (asksHow(words)) found.add('how');
  if (asksWhat(words)) found.add('what');
  if (words.some((w) => NOT_COST_FORMS.has(w)) || costOfOtherThings(words)) found.delete('cost');
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

/** True when the only cost the words ask is "¿es gratis?" ("¿no que era gratis?"): no cost word of their own. */
export function asksOnlyIfFree(words: readonly string[]): boolean {
  return words.some((w) => FREE.has(w)) && !words.some((w) => TERMS.cost.has(processTerm(w) as string));
}

/** True when a term only says the kind of question ("queda", "cerca", "cuesta", "requisitos"), not its subject. */
export function isQuestionTypeTerm(term: string): boolean {
  return Object.values(TERMS).some((set) => set.has(term));
}

/** True when the message names a procedure or a service whose cost it may ask. */
export function namesService(terms: readonly string[]): boolean {
  return terms.some((t) => SERVICE.has(t));
}
