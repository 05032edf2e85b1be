import type { Knowledge, KnowledgeEntry, KnowledgeUnit } from '../knowledge/load-knowledge.js';
import type { State } from '../knowledge/schema.js';
import { EVERYDAY_TERMS } from '../text/everyday.js';
import { normalize, words as wordsIn } from '../text/normalize.js';
import { oneEditApart } from '../text/one-edit.js';
import { processTerm } from '../text/terms.js';
import { createSmalltalkDetector, type SmalltalkKind } from './understand/detect-smalltalk.js';
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions } from './engine-options.js';
import { createGazetteer, type PlaceMatch } from './understand/gazetteer.js';
import { createLexicon } from './understand/lexicon.js';
import { dropPersonalNames, namesInText } from './understand/drop-personal-names.js';
import { questionFocus } from './understand/question-focus.js';
import { answerGate, opensYesNo, REFUSALS, saysYesOrNo, spansInstitutions, telling } from './decide/answer-gate.js';
import { type Condition, conditionsSaid, diseaseSaid, SITUATIONS, type Situation } from './understand/person-conditions.js';
import { facilitiesOnlyDescribeSelf, selfDescriptionWords } from './understand/self-description.js';
import { questionParts } from './understand/question-parts.js';
import { asksOnlyIfFree, isQuestionTypeTerm, namesService, type QuestionType, questionTypes, withoutNaming } from './understand/question-type.js';
import { plainForm } from './understand/diminutives.js';
import { joinSplitWords } from './understand/split-words.js';
import { type Age, isTimeSpan, MONTHS, PERSON_WORDS, readAge, YEARS } from './understand/read-age.js';
import { nearestUnits, unitCoordinates } from './retrieve/nearest-units.js';
import { entryFooter, footerLine, formatNumber, numbered, sourceOf, spanishDate, unitLine, unitText } from './render.js';
import { buildSearchIndex, type Hit, INSTITUTION_TERMS, type IndexWarmth, type SearchIndex } from './retrieve/search-index.js';
import { readEngineCache, writeEngineCache } from './engine-cache.js';
import { createTriage, type Triage, type TriageResult } from './triage/triage.js';
import type { IncomingMessage, OptionAction, Reply, ReplyKind, Session } from './types.js';

export interface Assistant {
  /**
   * Turns one message and the sender's session into a reply and the updated session. Pure: no
   * I/O, no clock unless `now` is omitted. Never throws for any text.
   */
  respond(message: IncomingMessage, session: Session | undefined, now?: number): { reply: Reply; session: Session };
  /**
   * The same answer from elsewhere (an engine in a worker thread, `engine-pool.ts`), when the
   * assistant has one; `handleMessage` prefers it for everything but emergencies.
   */
  respondAsync?(message: IncomingMessage, session: Session | undefined, now?: number): Promise<{ reply: Reply; session: Session }>;
  /** Like `respond`, plus the ranked candidates behind the decision (for `ask --explain`). */
  explain(message: IncomingMessage, session?: Session, now?: number): Explanation;
  /**
   * The emergency check alone, cheap and pure: channels call it first so that an emergency is
   * never rate-limited, never queued behind other chats and never waits on a session store.
   */
  readonly triage: Triage;
  readonly knowledge: Knowledge;
  readonly index: SearchIndex;
  readonly options: EngineOptions;
}

/** What each stage decided for one message (`ask --explain`). */
export interface Explanation {
  reply: Reply;
  /** Stage 1: is it an emergency happening now? */
  triage: TriageResult;
  /** Stage 2: what was understood (places, institutions, question type, age, focus, follow-up). */
  understood: string[];
  /** Stage 3: the ranked entries retrieved. */
  candidates: Candidate[];
  /** Stage 4: why this reply and not another. */
  decision: string;
}

/** A ranked entry behind a decision, with the query terms it matched. */
export interface Candidate {
  id: string;
  score: number;
  /** Share of the message's weight the entry matched (0 to 1). */
  coverage?: number;
  /** Rarity of the most telling term it matched. */
  focus?: number;
  terms: string[];
}

export interface AssistantDeps {
  options?: Partial<EngineOptions>;
  /**
   * A folder (DATA_DIR/cache) where what the build computes from the knowledge (stems, each
   * text's words, each term's postings) is kept between starts (`engine-cache.ts`).
   */
  cacheDir?: string;
}

type Institution = 'IMSS-BIENESTAR' | 'IMSS' | 'ISSSTE';

/** What `explain` collects while a message goes through the stages. */
interface Trace {
  hits: Hit[];
  understood: string[];
  decision: string;
}

/** Words that say the message is about a building ("el hospital de Tepic"), not about a town. */
const FACILITY_WORDS = [
  'hospital',
  'clinica',
  'unidad',
  'centro',
  'obra',
  'cama',
  'construccion',
  'construyendo',
  'haciendo',
  'hrae',
  'modulo',
  'torre',
  'sanatorio',
  'nuevo',
  'nueva',
  'especialidad',
  'cancerologia',
].map((w) => processTerm(w) as string);

/** Words that ask for a number or an address to write to: "el WhatsApp", "su teléfono", "un correo". */
const NUMBER_WORDS = new Set(['telefono', 'telefonos', 'tel', 'whatsapp', 'whats', 'wasap', 'cel', 'celular', 'correo', 'email', 'mail', 'lada']);
/** Words that make the next one a channel ("por WhatsApp", "vía telefónica"), not a number asked for. */
const CHANNEL_LEADS = new Set(['por', 'x', 'via', 'mediante', 'desde']);
// ("¿cuántas personas escribieron por WhatsApp?" asks a figure, and "por WhatsApp" is a channel)
// (nor is the phone in one's hand: "ver mis cotizaciones en el cel", "no sé usar el celular")
const DEVICE_LEADS = new Set([...CHANNEL_LEADS, 'en', 'con']);
const DEVICE_VERBS = new Set(['usar', 'uso', 'use', 'manejar', 'manejo', 'entiendo']);
const DEVICES = new Set(['cel', 'celular']);
const CARRIED = new Set(['cadena', 'cadenas', 'grupo', 'grupos', 'mensaje', 'mensajes', 'video', 'videos', 'estado', 'estados', 'audio', 'imagen']);
const asChannel = (words: readonly string[], i: number) =>
  CHANNEL_LEADS.has(words[i - 1] ?? '') ||
  (['el', 'mi', 'un', 'la'].includes(words[i - 1] ?? '') && DEVICE_LEADS.has(words[i - 2] ?? '')) ||
  words.slice(Math.max(0, i - 4), i).some((w) => DEVICE_VERBS.has(w)) ||
  // (what came through it: "me llegó una cadena de WhatsApp que dice…", "en un grupo de whats")
  (words[i - 1] === 'de' && CARRIED.has(words[i - 2] ?? '')) ||
  // (a phone one has not, or gets a report on: "si no tengo internet ni celular", "que me lo manden al cel")
  (DEVICES.has(words[i] as string) && (['al', 'ni', 'sin'].includes(words[i - 1] ?? '') || (words[i - 1] === 'tengo' && words[i - 2] === 'no')));
const asksNumber = (words: readonly string[]) => !words.some((w) => COUNT_WORDS.has(w)) && words.some((w, i) => NUMBER_WORDS.has(w) && !asChannel(words, i));
const COUNT_WORDS = new Set(['cuanto', 'cuanta', 'cuantos', 'cuantas', 'kuantos', 'kuantas']);
/** A reply that already says it has no number to give ("los informes no traen teléfonos"). */
const SAYS_NO_NUMBER = /\bno (?:tengo|traen|publican|dan|incluyen|vienen|aparecen|tenemos)\b[^.]*\b(?:telefono|numero|whatsapp|correo)/;
/** A phone number in a text ("800 911 2000", "5512345678"); years and figures are none. */
const PHONE = /\b\d{2,3}[ -]\d{3,4}[ -]\d{4}\b|\b\d{10}\b/;

const CONTACT_LIST = `telefono telefonos numero llamar marcar whatsapp horario horarios cierra cierran
  direccion ubicacion ubicada ubicado calle correo contacto director directora encargado encargada`
  .split(/\s+/)
  .filter(Boolean);
const CONTACT_WORDS = new Set(CONTACT_LIST.map((w) => processTerm(w) as string).filter(Boolean));
/** (by the stem and the first letters: the stemmer gives "corte de caña" the stem of "correo") */
const CONTACT_HEADS = new Set(CONTACT_LIST.map((w) => w.slice(0, 4)));
const isContactWord = (w: string) => CONTACT_HEADS.has(w.slice(0, 4)) && CONTACT_WORDS.has(processTerm(w) as string);

/** A reply that gives someone's pay: "un salario de 25 mil pesos al mes", "sueldo mensual de…". */
const GIVES_PAY = /(?:sueldo|salario)s?\s+(?:mensual\s+|neto\s+)?de\s+(?:entre\s+)?\$?\d|\d[\d,.]*\s*(?:mil\s+)?(?:pesos\s+)?(?:netos\s+)?(?:al mes|mensuales)/i;

/** Jobs other than a doctor's, whose pay the reports do not give (only Médicos del Bienestar's is there). */
const OTHER_JOBS = new Set([
  'enfermera', 'enfermero', 'enfermeras', 'enfermeros', 'camillero', 'camillera', 'camilleros', 'auxiliar', 'auxiliares', 'quimico',
  'quimica', 'laboratorista', 'administrativo', 'administrativa', 'chofer', 'intendente', 'cocinera', 'cocinero', 'vigilante',
  'psicologo', 'psicologa', 'nutriologo', 'nutriologa', 'dentista', 'odontologo', 'odontologa', 'paramedico', 'paramedica',
]);
const DOCTOR_WORDS = new Set(['medico', 'medica', 'medicos', 'medicas', 'doctor', 'doctora', 'doctores', 'doctoras', 'medicosdelbienestar', 'especialista', 'especialistas']);
/** The pay asked is of another job than a doctor's: "¿cuánto gana una enfermera auxiliar?" */
const asksOtherJobsPay = (words: readonly string[], canonical: readonly string[]) =>
  words.some((w) => OTHER_JOBS.has(w)) && !words.some((w) => DOCTOR_WORDS.has(w)) && !canonical.some((w) => DOCTOR_WORDS.has(w));

/** The topic of what Orienta does not answer (passports, sports…). */
const OUT_OF_SCOPE_TOPIC = 'fuera-de-alcance';

/** Papers that prove something ("una constancia de que no tengo IMSS"). */
const PROOF_WORDS = new Set(['constancia', 'papel', 'comprobante', 'carta', 'documento', 'hoja', 'certificado', 'oficio']);

/** The heading of the related entries offered after an answer, and that list in a reply's text. */
const RELATED_HEAD = 'También te puede servir:';
const RELATED_LIST = new RegExp(`\\n\\n${RELATED_HEAD}\\n(?:\\d+\\. [^\\n]*(?:\\n|$))+`);
/** The line that offers an entry's details. */
const MORE_DETAILS_LINE = 'Si quieres más, escribe «más detalles».';

/** Where one moves to live: "me voy a cambiar a Pachuca", "nos mudamos pa Monterrey" (not "hay que ir a Puebla"). */
const TOWARDS = new Set(['a', 'pa', 'para', 'hacia']);
const MOVE_WORDS = new Set([
  'cambiar', 'cambio', 'cambiamos', 'mudar', 'mudo', 'mudamos', 'mudarme', 'mudarnos', 'cambiarme', 'cambiarnos',
  'vivir', 'regreso', 'regresar', 'regresamos', 'vuelvo', 'volver', 'venimos', 'vine', 'vinimos',
]);

/** "Del seguro…" is the IMSS unless another insurance follows: "del seguro de vida", "del seguro médico". */
const NOT_THE_IMSS_AFTER_SEGURO = new Set(['popular', 'de', 'medico', 'voluntario', 'privado', 'agricola', 'escolar', 'facultativo']);

/** Words that join the names of a list: "del IMSS, ISSSTE y el Bienestar". */
const LIST_CONJUNCTIONS = new Set(['y', 'o', 'e', 'u', 'ni']);
const LIST_JOINERS = new Set([...LIST_CONJUNCTIONS, 'del', 'el', 'al', 'la']);
/** "imss, issste y bienestar", "el issste o el bienestar": a word joined to an institution named just before. */
const listedAfterInstitution = (canon: readonly string[], i: number): boolean => {
  let j = i - 1;
  while (j >= 0 && LIST_JOINERS.has(canon[j] as string)) j--;
  return j < i - 1 && (canon[j] === 'imss' || canon[j] === 'issste') && LIST_CONJUNCTIONS.has(canon[j + 1] as string);
};

/** "Hospital", as an index term. */
const HOSPITAL_TERM = processTerm('hospital') as string;

/** Hours of the day in a text ("de 9:00 a 13:00"): what an entry says when it gives a schedule. */
const TIME_OF_DAY = /\b\d{1,2}:\d{2}\b/;
const HOUR_WORDS = new Set(['hora', 'horas', 'horario', 'horarios', 'cierra', 'cierran']);
const HOURS_TERMS = new Set([...HOUR_WORDS].map((w) => processTerm(w) as string));

/** What a follow-up asks of the unit just described ("¿y cuántas camas?", "¿y pa cuándo está?"). */

const UNIT_ATTRIBUTE_WORDS = new Set(
  `camas cama avance avanza porcentaje cuando abre abren abrir termina terminan terminar listo lista inauguran inaugura fecha
  cuanto cuesta costo inversion especialidades servicios consultorios tiene tendra va ir esta estara queda pa para funciona
  funcionando cuantos cuantas mas tamano grande lleva llevan llevaba falta faltan ser sera costo costaron pagaron invirtieron gastaron vale
  arreglar arreglando arreglaron remodelar remodelando remodelaron metieron`
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => processTerm(w) as string)
    .filter(Boolean),
);

/** Name words too common to point at one unit. */
const GENERIC_NAME_WORDS = new Set(
  [
    'hospital',
    'general',
    'clinica',
    'centro',
    'salud',
    'unidad',
    'regional',
    'alta',
    'especialidad',
    'especialidades',
    'comunitario',
    'integral',
    'imss',
    'issste',
    'bienestar',
    'instituto',
    'estatal',
    'nuevo',
    'zona',
    'medica',
    'rural',
    'san',
    'santa',
    'ciudad',
    'hgz',
    'hg',
    'mujer',
    'nino',
    'basico',
    'oncologia',
    'obra',
    'sala',
    'dia',
    'calle',
    'puerto',
    'villa',
    'rio',
    'norte',
    'sur',
    'doctor',
    'torre',
  ].map((w) => processTerm(w) as string),
);

/** "el hospital del Bienestar" means IMSS-BIENESTAR; "la Secretaría del Bienestar" does not. */
const BIENESTAR_OPENERS = new Set(
  'hospital hospitales clinica clinicas unidad salud centro credencial tarjeta doctor medicamento modulo modulos'.split(' '),
);

/**
 * Words of a question about whether a state is covered ("¿Querétaro entra?", "en Chihuahua hay
 * clínicas del Bienestar?", "vivo en el cp 44100, ¿me corresponde?"): with a state named and
 * nothing else to ask about, the question is the coverage of that state.
 */
const COVERAGE_WORDS = new Set(
  `entra entran entro entraron entrado llego llegado sumo sumado unio unido adhirio esta estan hay opera operan corresponde corresponden toca aplica cubre cubren pertenece forma parte adherido
  adherida adheridos federalizado federalizada funciona atiende atienden tiene tienen llega existe existen cuenta dentro incluye
  incluido vivo vivimos radico soy somos seguro social gratis gratuito gratuita ningun ninguno tengo tenemos no sin clinica clinicas hospital hospitales unidad unidades centro centros salud servicio
  servicios atencion bienestar imss mi mis estado aqui aca ahi alla tambien tampoco afiliarme afiliar derecho puedo cp codigo postal voy ir
  acudo acudir llegan vive viven vivia viviendo verdad cierto ya nos todavia familia mama papa madre padre hijo hija hijos hermano hermana
  esposo esposa abuelo abuela tio tia suegro suegra nieto nieta`
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => processTerm(w) as string),
);

/** Words of a question for what is in a place ("¿qué hay cerca de…?", "¿dónde atienden en…?"). */
const WHERE_WORDS = new Set(
  'donde cerca cercano cercana cercanos algo alguna alguno algun queda quedan ubica lugar lugares por rumbo'
    .split(' ')
    .map((w) => processTerm(w) as string)
    .filter(Boolean),
);

/** The same, as plain words: several are stopwords and never reach the index terms. */
const WHERE_PLAIN = new Set(['donde', 'algo', 'alguna', 'alguno', 'algun', 'hay', 'queda', 'quedan', 'cerca']);

/** Words of an elliptical follow-up that bring no subject of their own ("¿y desde cuándo?"). */
const GENERIC_FOLLOW_UP = new Set(
  'cuando desde donde como cuanto cuantos cuantas tambien todavia aun atender atienden pueden puedo sirve funciona dura tarda hora horas horario horarios abren abre abrir inauguran termina terminan listo estados lugares personas gente dieron dan dio edad edades'
    .split(' ')
    .map((w) => processTerm(w) as string)
    .filter(Boolean),
);

/** Words that ask beyond the place already named ("¿en qué otros hospitales…?"). */
const ELSEWHERE_WORDS = new Set(['otros', 'otras', 'demas', 'todos', 'todas', 'pais', 'republica', 'nacional']);

/** Kinds of question that name what is wanted, whatever the subject. */
const SPECIFIC_TYPES: ReadonlySet<QuestionType> = new Set(['cost', 'contact', 'requirements', 'when']);

/** How many of the search's leading hits are weighed again (institution, kind of question, topic). */
const RERANKED = 40;

/** Words that ask for the whole country, whatever place the message names. */
const NATIONAL_WORDS = new Set(['pais', 'nacional', 'nacionalmente', 'republica', 'mexicanos']);

/** Words that ask how much or how many. */
const QUANTITY_WORDS = new Set(['cuanto', 'cuanta', 'cuantos', 'cuantas', 'kuanto', 'kuantos', 'numero', 'cantidad', 'monto', 'total']);

/** Words that point back at the place already named ("el hospital de aquí", "en mi pueblo"). */
const HERE_WORDS = new Set(['aqui', 'aca', 'pueblo', 'ciudad', 'municipio', 'rancho', 'comunidad', 'colonia']);

/** A facility word in the plural asks for a list: "¿qué hospitales hay en Quintana Roo?". */
const PLURAL_FACILITIES = new Set(['hospitales', 'clinicas', 'unidades', 'obras', 'centros', 'modulos', 'torres', 'hrae']);

/** Words between "no" and the institution it denies. */
const NEGATION_BRIDGE = new Set(
  'el la del de al en tengo tenemos tiene tienen cuento cuenta contamos cuentan con soy somos es estoy estamos esta afiliado afiliada afiliados derecho a ningun ninguna me nos le les da dan dio dieron han ha dado dada alta registrado registrada inscrito inscrita todavia aun'.split(' '),
);

/** True when the word at `i` is denied: "no tenemos IMSS", "no cuento con el IMSS", "no soy del ISSSTE", "no me da de alta en el IMSS". */
function negatedAt(canon: readonly string[], i: number): boolean {
  for (let j = i - 1; j >= Math.max(0, i - 7); j--) {
    const w = canon[j] as string;
    if (w === 'no' || w === 'ni' || w === 'sin' || w === 'tampoco' || w === 'nunca') return true;
    if (!NEGATION_BRIDGE.has(w)) return false;
  }
  return false;
}

const CHOICE_FILLER = new Set(['opcion', 'la', 'el', 'numero', 'num', 'quiero', 'de', 'del', 'es']);

const FOLLOW_UP_OPENERS = new Set(['y', 'e', 'entonces', 'tambien', 'osea', 'pero', 'ademas']);

/** A number with a unit of distance, time of day or money: "8 km", "20 minutos", "500 pesos". */
const MEASURE_UNITS = new Set(['km', 'kms', 'kilometros', 'kilometro', 'metros', 'cuadras', 'minutos', 'min', 'horas', 'pesos', 'mil']);
const isMeasure = (words: readonly string[], i: number) =>
  (/^\d+$/.test(words[i] as string) && MEASURE_UNITS.has(words[i + 1] as string)) || isFrequency(words, i);

/** "3 veces por semana", "dos veces al mes": how often, every word of it (it names nothing). */
const FREQUENCY_PERIODS = new Set(['semana', 'mes', 'dia', 'ano']);
const NUMBER_WORDS_SMALL = new Set(['una', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'varias', 'muchas']);
const FREQUENCY_JOINERS = new Set(['por', 'al', 'a', 'la', 'cada']);
const isFrequency = (words: readonly string[], i: number) => {
  // (the phrase starts at most 4 words before: number, "veces", "por"/"al"/"a la", the period)
  for (let s = Math.max(0, i - 4); s <= i; s++) {
    if (words[s + 1] !== 'veces' || !(/^\d+$/.test(words[s] as string) || NUMBER_WORDS_SMALL.has(words[s] as string))) continue;
    let e = s + 2;
    while (FREQUENCY_JOINERS.has(words[e] as string)) e++;
    if (FREQUENCY_PERIODS.has(words[e] as string) && i <= e) return true;
  }
  return false;
};

/** Where a rumour was seen or heard: "eso andan diciendo en el face", "en el grupo de WhatsApp mandaron…", "en la iglesia dijeron…". */
const RUMOUR_CHANNELS = new Set([
  'face', 'facebook', 'feis', 'fb', 'whatsapp', 'whats', 'wasap', 'guasap', 'tiktok', 'youtube', 'redes', 'tele', 'television', 'noticias',
  'noticiero', 'radio', 'mananera', 'video', 'cadena', 'cartel', 'carteles', 'anuncio', 'anuncios', 'letrero', 'volante', 'folleto', 'periodico',
  // (and where people talk: "una señora en la escuela dijo que la del papiloma ya no la ponen")
  'escuela', 'iglesia', 'misa', 'mercado', 'junta', 'reunion', 'platica', 'colonia',
]);
const RUMOUR_VERBS = new Set([
  'dice', 'dicen', 'dijo', 'dijeron', 'diciendo', 'decian', 'mandaron', 'mando', 'vi', 'vimos', 'salio', 'pasaron', 'publicaron',
  'circula', 'andan', 'anda', 'compartieron', 'lei', 'oi', 'escuche', 'subieron', 'pusieron',
]);
const RUMOUR_LEADS = new Set(['el', 'la', 'los', 'las', 'un', 'una', 'grupo', 'de', 'del']);
/**
 * A channel "en…" beside a verb of hearsay says where the person heard it, not what they ask
 * about: "eso andan diciendo en el face". "¿Es cierto que por WhatsApp dan citas?" asks about it.
 */
const isRumourChannel = (words: readonly string[], i: number) => {
  if (!RUMOUR_CHANNELS.has(words[i] as string)) return false;
  let j = i - 1;
  while (j >= 0 && j > i - 5 && RUMOUR_LEADS.has(words[j] as string)) j--;
  return words[j] === 'en' && words.slice(Math.max(0, i - 5), i + 6).some((w) => RUMOUR_VERBS.has(w));
};

/** "¿A qué edad…?", "¿de qué edades es?", "¿hasta qué edad?": an age is asked. */
const asksAnAge = (words: readonly string[]) =>
  words.some((w, i) => (w === 'edad' || w === 'edades') && ['que', 'cual', 'cuales'].includes(words[i - 1] as string));
/** A reply that gives an age: "de 6 a 59 meses", "60 años y más", "mayores de 45". */
const GIVES_AGE = /\b\d+\s*(?:anos|meses)\b|\bmayores de \d+/;

/** Words that point at someone already talked about: "¿le toca?", "¿a ella también?". */
const THIRD_PERSON = new Set(['le', 'les', 'ella', 'ellos', 'ellas']);

/** Words that deny what follows: "no tiene IMSS" is not having it. */
const NOT_WORDS = new Set(['no', 'ni', 'nunca', 'sin']);
/** Words before an institution that say one has it: "tengo IMSS", "cuento con ISSSTE". */
const BEING = new Set(['soy', 'es', 'somos', 'son', 'eres', 'sea', 'fuera']);
const HOLDING = new Set(['tengo', 'tiene', 'tenemos', 'tienen', 'tenia', 'tuve', 'con', 'asegurado', 'asegurada', 'asegurados', 'derechohabiente', 'derechohabientes', 'afiliado', 'afiliada']);

/**
 * True when a follow-up points at what was just said: "ahí", "eso", "cada una" (not "cada
 * clínica", which is every clinic), or an object pronoun after another one ("¿dónde me la pongo?").
 */
function pointsBackAt(words: readonly string[]): boolean {
  return words.some(
    (w, i) =>
      POINTING_WORDS.has(w) ||
      (w === 'cada' && (words[i + 1] === 'una' || words[i + 1] === 'uno')) ||
      (OBJECT_PRONOUNS.has(w) && CLITIC_LEADS.has(words[i - 1] ?? '')),
  );
}
const OBJECT_PRONOUNS = new Set(['la', 'lo', 'las', 'los']);
const CLITIC_LEADS = new Set(['me', 'te', 'se', 'le', 'nos', 'les']);

/** Words of a follow-up that point at what was just said: "ahí", "esas", "eso" (and "cada una"). */
const POINTING_WORDS = new Set(['ahi', 'alli', 'esa', 'ese', 'esas', 'esos', 'eso', 'dichas', 'dichos']);

/** Words that open the purpose or reason of a question ("…para que revisen a mi esposa"). */
const CLAUSE_OPENERS = new Set(['para', 'pa', 'porque', 'xq', 'pues']);

/**
 * A question without the purpose or reason that follows it: "¿hay IMSS Bienestar en Nuevo León
 * para que revisen a mi esposa?" asks whether there is; "para que…" only says why.
 */
function mainClause(words: readonly string[]): readonly string[] {
  // ("para" and "pa" only as "para que": "¿hay módulos para la credencial?" is one question)
  const at = words.findIndex((w, i) => i >= 2 && CLAUSE_OPENERS.has(w) && (w === 'para' || w === 'pa' ? words[i + 1] === 'que' : true));
  return at > 0 ? words.slice(0, at) : words;
}

/**
 * A message that opens with a short question and goes on ("¿y en Guerrero? mi mamá vive en
 * Chilapa"): true when the question passes `first` and what follows passes `rest`.
 */
function askedFirst(raw: string, first: (question: string) => boolean, rest: (after: string) => boolean): boolean {
  const at = raw.indexOf('?');
  if (at < 0 || at === raw.trimEnd().length - 1) return false;
  return first(raw.slice(0, at)) && rest(raw.slice(at + 1));
}

/** True when an answer already says the care is free or not charged ("cobertura" is no "cobro"). */
function saysFree(answer: string | undefined): boolean {
  return /gratuit|gratis|sin costo|sin cobro|no (se |)cobr|no (debe|deberia) haber cobro/.test(normalize(answer ?? ''));
}

/** "bienestar", and as people type it: "vienestar", "bienstar", "bienetsar". */
function isBienestar(w: string): boolean {
  const b = w.replace(/^v/, 'b');
  return b === 'bienestar' || oneEditApart('bienestar', b);
}

/** The word positions that the places cover. */
function wordsOf(places: readonly PlaceMatch[]): Set<number> {
  const at = new Set<number>();
  for (const p of places) for (let i = p.start; i < p.end; i++) at.add(i);
  return at;
}

/** Every word the knowledge base itself uses, spelt right: the triage never reads one as a typo. */
function knownWords(kb: Knowledge): Set<string> {
  const known = new Set<string>();
  const add = (text: string | undefined) => {
    if (text) for (const w of normalize(text).split(' ')) if (w) known.add(w);
  };
  for (const e of kb.entries) {
    add(e.title);
    add(e.answer);
    add(e.details);
    for (const q of e.questions ?? []) add(q);
    for (const k of e.keywords ?? []) add(k);
  }
  for (const u of kb.units) add(u.name);
  for (const s of kb.states) add(s.name);
  return known;
}

/**
 * Creates the channel-agnostic answer engine over a validated knowledge base.
 *
 * Order of decisions: emergency → numbered choice → courtesy, help, menu, "más detalles" →
 * follow-up on a place ("¿y en Guerrero?") or on the unit just described → a named unit →
 * retrieval over the curated entries → answer, clarify (close candidates) or fallback.
 *
 * ```ts
 * const assistant = createAssistant(knowledge);
 * const { reply, session } = assistant.respond({ userId: 'cli:ana', text: 'como saco mi credencial' }, undefined);
 * ```
 */
export function createAssistant(kb: Knowledge, deps: AssistantDeps = {}): Assistant {
  const options: EngineOptions = { ...DEFAULT_ENGINE_OPTIONS, ...deps.options };
  const conv = kb.conversation;
  const cacheDir = deps.cacheDir;
  const kept = cacheDir === undefined ? undefined : readEngineCache(cacheDir, kb.version, options);
  let fresh: IndexWarmth | undefined;
  const lexicon = createLexicon(conv.synonyms);
  /**
   * Index terms of the names the lexicon makes one word of: a variant written together
   * ("medicosdelbienestar", "seguropopular") or by its initials ("lcen", La Clínica es Nuestra).
   * Not a plain word it stands for ("padres", "sueldo", "domicilio").
   */
  const NAME_TERMS = new Set(
    conv.synonyms
      .filter((s) => !s.means.includes(' ') && s.variants.some((v) => v.includes(' ') && (v.replace(/ /g, '') === s.means || v.split(' ').map((w) => w[0]).join('') === s.means)))
      .map((s) => processTerm(s.means))
      .filter((t): t is string => !!t && !INSTITUTION_TERMS.has(t)),
  );
  const index = buildSearchIndex(kb, lexicon, options, { from: kept, keep: cacheDir !== undefined && !kept ? (w) => (fresh = w) : undefined });
  const known = knownWords(kb);
  const triage = createTriage(kb.emergency, known);
  const smalltalk = createSmalltalkDetector(conv.phrases);
  // Every town a unit of the reports stands in is a place, even if states.yaml does not list it.
  const gazetteer = createGazetteer(
    kb.states,
    kb.units.flatMap((u) => (u.municipality ? [{ name: u.municipality, state: u.state }] : [])),
    known,
  );
  /** A word the knowledge base writes as it is, or a place the gazetteer names ("ometepec"). */
  const knownWord = (w: string) => known.has(w) || gazetteer.names(w);
  const coords = unitCoordinates(kb);
  const topicsById = new Map(kb.topics.map((t) => [t.topic, t]));
  const listEntries = kb.entries.filter((e) => e.units);
  /** The entries that answer what IMSS-BIENESTAR care costs ("cobertura-costo-servicios"). */
  const answersCost = (e?: KnowledgeEntry) => !!e?.question_types?.includes('cost') && e.institutions.includes('IMSS-BIENESTAR');
  const costEntry = kb.entries.find(answersCost);
  /** The first hit that answers what IMSS-BIENESTAR care costs, or else the free-care entry. */
  const costAnswerAmong = (hits: readonly Hit[]) => hits.map((h) => kb.entriesById.get(h.id)).find(answersCost) ?? costEntry;
  /**
   * The kinds of question each entry answers: those it declares, and those that two of its
   * example questions ask, or `askedTypeShare` of them if that is fewer ("¿me toca…?", "¿dónde…?").
   */
  const typesOf = new Map(
    kb.entries.map((e) => {
      const types = new Set<QuestionType>(e.question_types ?? []);
      const counts = new Map<QuestionType, number>();
      for (const q of e.questions) {
        const w = wordsIn(q);
        for (const t of questionTypes(index.termsOf(w), w)) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
      for (const [t, n] of counts) if (n >= Math.min(2, Math.max(1, options.askedTypeShare * e.questions.length))) types.add(t);
      return [e.id, types];
    }),
  );
  const unitNames = new Map(kb.units.map((u) => [u.id, normalize([u.name, ...(u.aliases ?? [])].join(' | '))]));
  // (built: the stems of every word of the knowledge base are known now; all is kept for the next start)
  if (cacheDir !== undefined && fresh) writeEngineCache(cacheDir, kb.version, options, fresh);

  // ---------- replies ----------

  const make = (kind: ReplyKind, intent: string, text: string, extra: Partial<Reply> = {}): Reply => ({
    kind,
    intent,
    text,
    options: [],
    sources: [],
    score: 0,
    ...extra,
  });

  const withFooter = (body: string, footer: string) => `${body.trim()}\n\n${footer}`;

  const relatedOf = (e: KnowledgeEntry): KnowledgeEntry[] =>
    (e.related ?? [])
      .map((id) => kb.entriesById.get(id))
      .filter((x): x is KnowledgeEntry => !!x)
      .slice(0, 3);

  const coverageSentence = (state: State): string =>
    state.federalized
      ? `Sí: ${state.name} es uno de los 23 estados donde opera IMSS-BIENESTAR (adheridos a la federalización), según el informe a junio de 2024; ahí atiende gratis a quien no tiene seguridad social.`
      : `No: ${state.name} no está entre los 23 estados adheridos a IMSS-BIENESTAR; es uno de los 9 estados que no se han adherido (datos a junio de 2024).${state.coverage_note ? ` ${state.coverage_note.trim()}` : ''} Los informes no explican cómo se atiende ahí a quien no tiene seguridad social: pregunta en los servicios de salud de tu estado.`;

  /**
   * True when the unit stands in that town of that state: its municipality, or a locality its name
   * carries ("Vícam", "Cabo San Lucas"). `town` is normalised.
   */
  const standsIn = (u: KnowledgeUnit, state: string, town: string): boolean =>
    u.state === state && (normalize(u.municipality ?? '') === town || ` ${unitNames.get(u.id)} `.includes(` ${town} `));

  function unitsFor(e: KnowledgeEntry, state: State): KnowledgeUnit[] {
    const f = e.units;
    if (!f) return [];
    return kb.units.filter(
      (u) =>
        u.state === state.name &&
        f.categories.includes(u.category) &&
        (!f.institutions || f.institutions.includes(u.institution)),
    );
  }

  /** "Con 35 años no te toca por edad…" for an entry with age groups and a message with an age. */
  function ageSentence(e: KnowledgeEntry, age: Age, conditions: readonly Condition[] = []): string | undefined {
    if (!e.ages) return undefined;
    const said = `${formatNumber(age.value)} ${age.unit === 'meses' ? (age.value === 1 ? 'mes' : 'meses') : age.value === 1 ? 'año' : 'años'}`;
    const inside = e.ages.groups.find((g) => {
      const k = g.unit === 'meses' ? 1 : 12;
      return (g.from === undefined || age.months >= g.from * k) && (g.to === undefined || age.months < (g.to + 1) * k);
    });
    if (inside) return `Con ${said}, sí entras por edad: el grupo de ${inside.label}.`;
    // "Tengo 26 años y 6 meses de embarazo": never "no te toca" to whom another of its groups takes in.
    const otherwise = normalize(e.ages.otherwise ?? '');
    const by = conditions.find((c): c is Situation => c in SITUATIONS && otherwise.includes(SITUATIONS[c as Situation].inText));
    if (by) return `Con ${said}, no entras por edad, pero sí ${SITUATIONS[by].reason}.`;
    // "Tiene 50 y es hipertenso": whether that disease is one of the list (or is left out of it).
    const disease = age.unit === 'anos' && age.value >= 5 && age.value <= 59 ? diseaseSaid(conditions) : undefined;
    if (disease && otherwise.includes('enfermedades')) {
      const text = normalize(e.answer);
      const at = text.indexOf(disease.inText);
      if (at >= 0 && /\bexcepto\s*$/.test(text.slice(Math.max(0, at - 12), at)))
        return `Con ${said}, no entras por edad, y ${disease.label} por sí sola no es de las enfermedades que cuentan para esta vacuna.`;
      if (at >= 0) return `Con ${said}, no entras por edad, pero ${disease.label} está en la lista de enfermedades que cuentan para esta vacuna (mira abajo las condiciones).`;
    }
    const groups = e.ages.groups.map((g) => g.label).join('; ');
    const other = e.ages.otherwise ? ` Solo te tocaría si ${e.ages.otherwise.trim()}` : '';
    return `Con ${said}, no te toca por edad: es para ${groups}.${other}`;
  }

  /**
   * How to answer an entry: for the state named (a list, a table by state, coverage), for the age
   * given, and whether the message asked for a list ("¿qué hospitales…?", never cut to one unit).
   */
  interface AnswerHow {
    state?: State;
    age?: Age;
    /** What else the message says of the person that a group by age may take in ("estoy embarazada"). */
    conditions?: readonly Condition[];
    list?: boolean;
    /** The message's index terms: the sentences of the details that answer them are said too. */
    terms?: readonly string[];
    /**
     * A figure is asked ("¿y cuántos hay?"): when the answer gives none, or was just given, the
     * details' sentences that give one.
     */
    figure?: boolean;
  }

  /** Index terms of each entry's answer, and of each sentence of its details (memoised). */
  const detailCache = new Map<string, { answer: Set<string>; withoutFigure: Set<string>; sentences: { text: string; terms: Set<string> }[] }>();
  const termsOfText = (text: string) => new Set(index.termsOf(lexicon.canonical(wordsIn(text))));
  const sentencesOf = (text: string) => text.split(/(?<=\.)\s+(?=[A-ZÁÉÍÓÚÑ¿])/).map((x) => ({ text: x.trim(), terms: termsOfText(x) }));
  function detailSentences(e: KnowledgeEntry) {
    let d = detailCache.get(e.id);
    if (!d) {
      // (the answer's subjects said with a figure in the same sentence, and those said without one)
      const answer = sentencesOf(e.answer);
      const withFigure = new Set(answer.filter((x) => /\d/.test(x.text)).flatMap((x) => [...x.terms]));
      const withoutFigure = new Set(answer.flatMap((x) => [...x.terms]).filter((t) => !withFigure.has(t)));
      d = { answer: termsOfText(e.answer), withoutFigure, sentences: sentencesOf(e.details ?? '') };
      detailCache.set(e.id, d);
    }
    return d;
  }

  /**
   * "¿Cuánta gente les escribe por WhatsApp?" when the answer names WhatsApp but gives its figure
   * only in the details: the details' sentences with a figure for a subject the answer names without one.
   */
  function figuresAsked(e: KnowledgeEntry, terms: readonly string[]): string[] {
    if (!e.details) return [];
    const d = detailSentences(e);
    const bare = terms.filter((t) => d.withoutFigure.has(t) && subjectWord(t, options.detailRarity));
    return d.sentences.filter((x) => /\d/.test(x.text) && bare.some((t) => x.terms.has(t))).map((x) => x.text);
  }

  /**
   * "¿El plan dice algo de la obesidad infantil?" is answered in the details of the plan's entry,
   * not in its answer: the sentences of the details with a telling word of the message that the
   * answer lacks.
   */
  function detailsAsked(e: KnowledgeEntry, terms: readonly string[]): string[] {
    if (!e.details) return [];
    const d = detailSentences(e);
    const specific = terms.filter((t) => !d.answer.has(t) && subjectWord(t, options.detailRarity));
    return d.sentences.filter((x) => specific.some((t) => x.terms.has(t))).map((x) => x.text);
  }

  /**
   * Someone in Jalisco is never sent to IMSS-BIENESTAR without being told it does not operate there:
   * "Ojo: …" before an entry of IMSS-BIENESTAR (or of all three institutions, when IMSS-BIENESTAR is
   * the one asked about: "¿en Querétaro sí hay IMSS-BIENESTAR?"); nothing for one of the 23 states.
   */
  function notServedNote(e: KnowledgeEntry, state: State | undefined, ctx: Session): string {
    const where = state ?? (ctx.state ? gazetteer.state(ctx.state) : undefined);
    const ofImssBienestar = e.institutions.includes('IMSS-BIENESTAR') && (!e.institutions.includes('ISSSTE') || ctx.institution === 'IMSS-BIENESTAR');
    return where && !where.federalized && ofImssBienestar ? `Ojo: ${coverageSentence(where)}\n\n` : '';
  }

  function answerEntry(e: KnowledgeEntry, ctx: Session, score: number, how: AnswerHow = {}): Reply {
    const { state, age } = how;
    const source = sourceOf(kb, e);
    const again = ctx.entryId === e.id;
    ctx.entryId = e.id;
    ctx.unitId = undefined;
    ctx.topic = e.topic;
    if (state) ctx.state = state.name;
    if (e.kind === 'referral') {
      ctx.options = undefined;
      // (one about the states' coverage says first where the state named stands: "¿es cierto que Oaxaca no se unió?")
      // (and for one of the 23, that alone: what the others do is not asked)
      if (e.state_coverage && state) {
        const footer = entryFooter(kb, e);
        const body = state.federalized ? coverageSentence(state) : `${coverageSentence(state)}\n\n${e.answer.trim()}`;
        return make('answer', e.topic, withFooter(body, footer), { sources: [source], score, footer });
      }
      const note = notServedNote(e, state, ctx);
      return make('fallback', e.topic, `${note}${e.answer.trim()}`, { sources: [source], score });
    }
    if (e.units && state) {
      const units = unitsFor(e, state);
      const town = ctx.municipality && ctx.state === state.name ? normalize(ctx.municipality) : undefined;
      const footer = entryFooter(kb, e);
      if (units.length === 0) {
        // Never "there is none" when the reports name other units there.
        const inState = kb.units.filter((u) => u.state === state.name);
        const near = town ? inState.filter((u) => standsIn(u, state.name, town)) : [];
        const others = near.length > 0 ? near : inState;
        if (others.length > 0) {
          // (nor in the town asked, when it has none at all: "¿hay hospital nuevo en San Cristóbal?")
          const noneInTown = town && near.length === 0 ? `En los informes no aparece ninguna en ${ctx.municipality}. ` : '';
          const r = listUnits(others, `${noneInTown}Los informes no nombran una unidad de este tipo («${e.title}») en ${state.name}, pero sí estas:`, ctx, score);
          ctx.entryId = e.id;
          // ...and what they say of that kind of unit in the whole country.
          r.text = `${r.text}\n\nEn general: ${e.answer.trim()}\n\n${conv.unit_finder.trim()}`;
          r.sources = [source, ...r.sources];
          return r;
        }
        ctx.options = undefined;
        const body = `En los informes no aparece ninguna unidad de este tipo en ${state.name}.\n\n${e.answer.trim()}\n\n${conv.unit_finder.trim()}`;
        return make('answer', e.topic, withFooter(body, footer), { sources: [source], score, footer });
      }
      // "¿En Ometepec abrieron hemodiálisis?": the one unit of the list in the town named.
      const inTown = town ? units.filter((u) => standsIn(u, state.name, town)) : [];
      if (inTown.length === 1 && !how.list) return answerUnit(inTown[0] as KnowledgeUnit, ctx, score);
      const shown = units.slice(0, options.maxListedUnits);
      ctx.options = shown.map((u) => ({ type: 'unit', id: u.id }));
      // "¿Construyen hospital en Zitácuaro?": never the state's list as if one of them were there.
      const notInTown = town && inTown.length === 0 ? `En los informes no aparece ninguna en ${ctx.municipality}. ` : '';
      const head = `${notInTown}${e.title} en ${state.name}, según los informes (datos al ${spanishDate(shown[0]?.as_of ?? e.as_of)}):`;
      const more = units.length > shown.length ? `\n…y ${units.length - shown.length} más.` : '';
      const finder = notInTown ? `\n\n${conv.unit_finder.trim()}` : '';
      const body = `${head}\n${numbered(shown.map(unitLine))}${more}\n\nEscribe el número para ver los detalles de una. Los avances son los del informe y pueden haber cambiado.\n\nEn general: ${e.answer.trim()}${finder}`;
      return make('answer', e.topic, withFooter(body, footer), {
        options: shown.map((u) => u.name),
        sources: [source, ...shown.map((u) => sourceOf(kb, u))],
        score,
        footer,
      });
    }
    const related = relatedOf(e);
    ctx.options = related.length > 0 ? related.map((r) => ({ type: 'entry', id: r.id })) : undefined;
    let body = e.answer.trim();
    if (e.units) body += ` ${conv.ask_state.trim()}`;
    if (e.by_state && state) {
      const line = e.by_state[state.name];
      // (a town the state's line does not name is said to be missing: "¿y en Coatzacoalcos?")
      const town = ctx.municipality && ctx.state === state.name ? ctx.municipality : undefined;
      const townMissing = !!line && !!town && !` ${normalize(line)} `.includes(` ${normalize(town)} `) && /\bmunicipio/.test(normalize(line));
      body = line
        ? `${townMissing ? `${town} no aparece en el informe. ` : ''}${state.name}: ${line.trim()}\n\n${body}`
        : `El informe no trae este dato para ${state.name}. Esto es lo que dice en general:\n\n${body}`;
    }
    if (e.state_coverage && state) body = `${coverageSentence(state)}\n\n${body}`;
    else body = `${notServedNote(e, state, ctx)}${body}`;
    const byAge = age ? ageSentence(e, age, how.conditions) : undefined;
    if (byAge) body = `${byAge}\n\n${body}`;
    let asked = how.terms ? detailsAsked(e, how.terms) : [];
    if (asked.length === 0 && how.figure && how.terms) asked = figuresAsked(e, how.terms);
    if (asked.length === 0 && how.figure && (!/\d/.test(e.answer) || again)) asked = detailSentences(e).sentences.filter((x) => /\d/.test(x.text)).map((x) => x.text);
    if (asked.length > 0) body += `\n\n${asked.join(' ')}`;
    else if (e.details) body += `\n\n${MORE_DETAILS_LINE}`;
    if (related.length > 0) body += `\n\n${RELATED_HEAD}\n${numbered(related.map((r) => r.title))}`;
    const footer = entryFooter(kb, e);
    return make('answer', e.topic, withFooter(body, footer), {
      options: related.map((r) => r.title),
      sources: [source],
      score,
      footer,
    });
  }

  function answerUnit(u: KnowledgeUnit, ctx: Session, score: number): Reply {
    ctx.unitId = u.id;
    ctx.entryId = undefined;
    ctx.topic = 'unidades';
    ctx.state = u.state;
    ctx.institution = u.institution;
    ctx.options = undefined;
    const footer = footerLine(kb, u);
    return make('answer', 'unidades', withFooter(unitText(u, spanishDate(u.as_of)), footer), {
      sources: [sourceOf(kb, u)],
      score,
      footer,
    });
  }

  function listUnits(units: KnowledgeUnit[], heading: string, ctx: Session, score: number): Reply {
    const shown = units.slice(0, options.maxListedUnits);
    ctx.options = shown.map((u) => ({ type: 'unit', id: u.id }));
    ctx.entryId = undefined;
    ctx.unitId = undefined;
    ctx.topic = 'unidades';
    const first = shown[0] as KnowledgeUnit;
    const footer = footerLine(kb, first);
    const body = `${heading}\n${numbered(shown.map(unitLine))}\n\nEscribe el número para ver los detalles de una.`;
    return make('answer', 'unidades', withFooter(body, footer), {
      options: shown.map((u) => u.name),
      sources: shown.map((u) => sourceOf(kb, u)),
      score,
      footer,
    });
  }

  function menuReply(ctx: Session, intro = conv.menu_intro): Reply {
    ctx.options = conv.menu.map((m) => ({ type: 'topic', topic: m.topic }));
    const labels = conv.menu.map((m) => m.label);
    return make('smalltalk', 'menu', `${intro}\n${numbered(labels)}`, { options: labels });
  }

  function topicReply(topic: string, ctx: Session): Reply {
    const t = topicsById.get(topic);
    if (!t) return menuReply(ctx);
    const entries = t.entries.filter((e) => e.kind !== 'referral').slice(0, 9);
    ctx.options = entries.map((e) => ({ type: 'entry', id: e.id }));
    ctx.topic = t.topic;
    const labels = entries.map((e) => e.title);
    return make('clarify', t.topic, `Sobre «${t.title}» puedo contarte esto. Responde con el número:\n${numbered(labels)}`, {
      options: labels,
    });
  }

  function fallback(ctx: Session, text = conv.fallback, intent = 'desconocido', score = 0): Reply {
    ctx.options = undefined;
    return make('fallback', intent, text.trim(), { score });
  }

  function runOption(action: OptionAction, ctx: Session): Reply {
    if (action.type === 'topic') return topicReply(action.topic, ctx);
    if (action.type === 'unit') {
      const u = kb.unitsById.get(action.id);
      return u ? answerUnit(u, ctx, 0) : fallback(ctx);
    }
    const e = kb.entriesById.get(action.id);
    return e ? answerEntry(e, ctx, 0) : fallback(ctx);
  }

  function smalltalkReply(kind: SmalltalkKind, ctx: Session, prev: Session | undefined): Reply {
    switch (kind) {
      case 'menu':
        return menuReply(ctx);
      case 'help': {
        const r = menuReply(ctx, `${conv.help.trim()}\n\n${conv.menu_intro}`);
        r.intent = 'ayuda';
        return r;
      }
      case 'details': {
        const e = prev?.entryId ? kb.entriesById.get(prev.entryId) : undefined;
        if (e?.details) {
          ctx.entryId = e.id;
          const footer = entryFooter(kb, e);
          return make('answer', e.topic, withFooter(e.details, footer), {
            sources: [sourceOf(kb, e)],
            footer,
          });
        }
        return make('smalltalk', 'detalles', conv.no_details.trim());
      }
      case 'thanks':
        return make('smalltalk', 'gracias', conv.thanks.trim());
      case 'goodbye':
        return make('smalltalk', 'despedida', conv.goodbye.trim());
      default:
        return make('smalltalk', 'saludo', conv.greeting.trim());
    }
  }

  function emergencyReply(crisis: boolean, rule: string | undefined): Reply {
    const text = crisis ? kb.emergency.crisis_message : kb.emergency.message;
    return make('emergency', crisis ? 'crisis' : 'emergencia', text.trim(), {
      score: 1,
      sources: rule ? [{ id: `emergencias:${rule}`, document: 'Reglas de emergencia de Orienta (911 y Línea de la Vida)' }] : [],
    });
  }

  /** One line added to an answer, above its source line: the calm 911 line or Línea de la Vida. */
  function withNote(reply: Reply, note: string): Reply {
    const line = note.trim();
    if (reply.footer && reply.text.endsWith(reply.footer)) {
      const body = reply.text.slice(0, -reply.footer.length).trimEnd();
      return { ...reply, text: `${body}\n\n${line}\n\n${reply.footer}` };
    }
    return { ...reply, text: `${reply.text.trimEnd()}\n\n${line}` };
  }

  function locationReply(lat: number, lon: number, ctx: Session): Reply {
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) return fallback(ctx, conv.location_none, 'ubicacion');
    const near = nearestUnits(kb, coords, [lat, lon], options.nearest.count, options.nearest.radiusKm);
    if (near.length === 0) return fallback(ctx, conv.location_none, 'ubicacion');
    const r = listUnits(
      near.map((n) => n.unit),
      'Estas son las unidades de los informes más cercanas a tu ubicación (distancia aproximada al municipio):',
      ctx,
      0,
    );
    r.text = r.text.replace(
      /^(\d+)\. (.*)$/gm,
      (line, n: string) => `${line} – a unos ${formatNumber(Math.round(near[Number(n) - 1]?.km ?? 0))} km`,
    );
    r.text = r.text.replace(/\n\nFuente:/, `\n\nSi buscas tu unidad de salud, usa «Busca tu unidad» en imssbienestar.gob.mx con tu código postal.\n\nFuente:`);
    r.intent = 'ubicacion';
    return r;
  }

  // ---------- understanding ----------

  /**
   * Institutions named in the (canonical) words. "Seguro Popular" and "INSABI" mean
   * IMSS-BIENESTAR, their successor. A negated one ("ni IMSS ni ISSSTE", "no el Bienestar") does
   * not count, and its words are returned in `negated` so they can be left out of the search.
   */
  function readInstitutions(canon: readonly string[]): { institutions: Institution[]; negated: Set<number> } {
    const found = new Set<Institution>();
    const negated = new Set<number>();
    const add = (inst: Institution, at: number, length: number) => {
      if (!negatedAt(canon, at)) found.add(inst);
      else for (let k = 0; k < length; k++) negated.add(at + k);
    };
    for (let i = 0; i < canon.length; i++) {
      const w = canon[i];
      const next = canon[i + 1];
      if (w === 'issste') add('ISSSTE', i, 1);
      // (also "imss vienestar", "imss bienstar": one letter off)
      else if (w === 'imss' && next && isBienestar(next)) add('IMSS-BIENESTAR', i++, 2);
      else if (w === 'imss') add('IMSS', i, 1);
      else if (w === 'insabi') add('IMSS-BIENESTAR', i, 1);
      else if (w === 'seguro' && next === 'popular') add('IMSS-BIENESTAR', i++, 2);
      // ("el del seguro", "la clínica del seguro": the IMSS, as "el seguro" is)
      else if (w === 'seguro' && canon[i - 1] === 'del' && !NOT_THE_IMSS_AFTER_SEGURO.has(next ?? '')) add('IMSS', i, 1);
      else if (w === 'bienestar' && canon[i - 1] === 'del' && BIENESTAR_OPENERS.has(canon[i - 2] ?? ''))
        add('IMSS-BIENESTAR', i, 1);
      // (listed after the other two: "los expedientes del IMSS, ISSSTE y Bienestar")
      else if (w === 'bienestar' && listedAfterInstitution(canon, i)) add('IMSS-BIENESTAR', i, 1);
    }
    return { institutions: [...found], negated };
  }

  /** A word telling enough to be a subject of its own, and not one of everyday talk. */
  const subjectWord = (t: string, rarity = options.subjectRarity) => !EVERYDAY_TERMS.has(t) && index.rarity(t) >= rarity;

  /** Index terms of the words that only say whose age it is: "mi bebé de 2 meses", "mi mamá de 70 años". */
  const WHOSE_AGE_TERMS = new Set([...PERSON_WORDS, ...YEARS, ...MONTHS].flatMap((w) => index.termsOf(lexicon.canonical([w]))));
  /** A term that says whose age it is, or the age itself ("mi bebé", "2 meses"). */
  const ofAge = (t: string) => WHOSE_AGE_TERMS.has(t) || /^\d+$/.test(t);

  /** The hits with the one at `at` leading, at the leader's score (a rescue). */
  const promote = (hits: Hit[], at: number): Hit[] => [{ ...(hits[at] as Hit), score: (hits[0] as Hit).score }, ...hits.filter((_, i) => i !== at)];

  /** A word few entries are about, and not one of everyday talk, a small number ("de 8 años") nor a year. */
  const tellingTerm = (t: string) => !EVERYDAY_TERMS.has(t) && !/^(?:\d{1,3}|(?:19|20)\d\d)$/.test(t) && (index.askedIn(t)?.size ?? Infinity) <= options.tellingMaxEntries;

  /** The entry answers a kind of question that names what is wanted (cost, contact, requirements, a date) and is asked. */
  const answersAskedKind = (h: Hit, asked: ReadonlySet<QuestionType>) => [...asked].some((t) => SPECIFIC_TYPES.has(t) && typesOf.get(h.id)?.has(t));

  /**
   * A referral that does not answer the kind asked ("¿me cobran las medicinas o son gratis?" is no
   * question of stock) gives way to a close entry that does; not one about a subject of its own,
   * out of scope ("¿cuánto cuesta el pasaporte?") or named ("¿en las Farmacias del Bienestar es gratis?").
   */
  function referralYields(hits: Hit[], asked: ReadonlySet<QuestionType>): Hit[] {
    const best = hits[0];
    const referral = (h: Hit) => kb.entriesById.get(h.id)?.kind === 'referral';
    const entry = kb.entriesById.get(best?.id ?? '');
    if (!best || !entry || entry.kind !== 'referral' || answersAskedKind(best, asked) || entry.topic === OUT_OF_SCOPE_TOPIC) return hits;
    // (its title names the programme the message names)
    if ([...best.terms].some((t) => NAME_TERMS.has(t) && canonicalTitleTermsOf(entry).has(t))) return hits;
    const at = hits.findIndex((h, i) => i > 0 && i <= 3 && h.score >= options.referralYieldRatio * best.score && !referral(h) && answersAskedKind(h, asked));
    return at > 0 ? promote(hits, at) : hits;
  }

  /**
   * The message's telling words are those few entries are about (their example questions, title
   * or keywords use them): "repartidor", "Farmacias del Bienestar". When the leader is about none
   * of them and a close runner-up is, the runner-up leads: a pile of everyday words ("capital",
   * "todo el día", "queda", "cerca") must not outvote the subject of the message.
   */
  function favourSubject(hits: Hit[], queryTerms: readonly string[], asked: ReadonlySet<QuestionType>, whoAsks: ReadonlySet<string> = new Set()): Hit[] {
    const best = hits[0];
    if (!best) return hits;
    // A leader that matched only whose age it is ("mis niños de 3 y 8 años… ¿su propia credencial?")
    // is about no subject: a close entry that matched one leads.
    // (so is one matched only by who asks: "soy médico residente, ¿me toca la de influenza?")
    const ofWhom = (t: string) => ofAge(t) || whoAsks.has(t);
    const whose = (t: string) => ofWhom(t) || EVERYDAY_TERMS.has(t) || isQuestionTypeTerm(t);
    if ([...best.terms].every(whose) && [...best.terms].some(ofWhom)) {
      const at = hits.findIndex((h, i) => i > 0 && i <= 3 && h.score >= options.tellingRescueRatio * best.score && [...h.terms].some((t) => !whose(t)));
      if (at > 0) return promote(hits, at);
    }
    const yielded = referralYields(hits, asked);
    if (yielded !== hits) return yielded;
    // (what someone does for a living is no subject: "trabajo en una fábrica…, ¿puedo checar mis cotizaciones?")
    const telling = queryTerms.filter((t) => tellingTerm(t) && !whoAsks.has(t));
    const aboutTerms = (h: Hit) => telling.filter((t) => h.terms.has(t) && index.askedIn(t)?.has(h.id));
    const about = (h: Hit) => aboutTerms(h).length > 0;
    // (how telling: the rarest word it is about; a leader about a telling word keeps the lead
    // unless another is about a rarer one: "la campaña de próstata del hospital de la Península")
    const weight = (h: Hit) => Math.max(0, ...aboutTerms(h).map(index.rarity));
    if (telling.length === 0) return hits;
    // A leader that matched only words of the kind of question and of everyday talk ("¿dónde
    // queda la más cercana?") is about nothing: any close enough entry about a telling word leads.
    // (nor does the institution's name: "mi comadre dice que nunca… el IMSS-BIENESTAR" is about nothing yet)
    const hollow = [...best.terms].every((t) => isQuestionTypeTerm(t) || EVERYDAY_TERMS.has(t) || INSTITUTION_TERMS.has(t));
    const ratio = hollow ? options.tellingHollowRescueRatio : options.tellingRescueRatio;
    // (a hollow leader gives way, however far ahead, to the entry whose title is the programme the message names and the leader does not: "¿dónde queda la Farmacia del Bienestar más cercana?")
    if (hollow) {
      const namesIt = (h: Hit, t: string) => NAME_TERMS.has(t) && !best.terms.has(t) && !isQuestionTypeTerm(t) && canonicalTitleTermsOf(kb.entriesById.get(h.id) as KnowledgeEntry).has(t);
      const named = hits.findIndex((h, i) => i > 0 && i <= 6 && [...h.terms].some((t) => namesIt(h, t)));
      if (named > 0) return promote(hits, named);
    }
    const bestWeight = weight(best);
    // (the leader that answers the kind of question asked keeps the lead: "¿cuánto cuesta la
    // credencial? me dijeron que cobran en el módulo" asks a cost, not where the modules are)
    // (only the kinds that name what is wanted: cost, contact, requirements, a date; "¿puedo ir…?" does not)
    const bestAnswers = answersAskedKind(best, asked);
    let at = -1;
    hits.forEach((h, i) => {
      const fits = i > 0 && i <= 6 && h.score >= ratio * best.score && about(h) && weight(h) > bestWeight && (hollow || answersAskedKind(h, asked) || !bestAnswers);
      if (fits && (at < 0 || weight(h) > weight(hits[at] as Hit))) at = i;
    });
    return at < 0 ? hits : promote(hits, at);
  }

  /** Index terms of each topic's own words ("credencial" → the credential topic). */
  const topicTerms = new Map(kb.topics.map((t) => [t.topic, termsOfText((t.words ?? []).join(' '))]));

  const topicsNamed = (queryTerms: readonly string[]) =>
    new Set([...topicTerms].filter(([, terms]) => queryTerms.some((t) => terms.has(t))).map(([topic]) => topic));

  /**
   * The search's ranking, weighed by what the message says besides its words: the one institution
   * it names (naming several favours the entries about all of them; "ni IMSS ni ISSSTE" names
   * none), the kind of question it asks ("¿me atienden?" → who is covered), and the topic it names
   * by the topic's own word ("¿mis niños también necesitan credencial?"). Only the leading hits are
   * weighed: the rest could not climb to the top.
   */
  function rerank(hits: Hit[], institutions: readonly string[], asked: ReadonlySet<QuestionType> = new Set(), topics: ReadonlySet<string> = new Set()): Hit[] {
    if (institutions.length === 0 && asked.size === 0 && topics.size === 0) return hits;
    const all = institutions.length > 1;
    const topicWords = [...topics].flatMap((t) => [...(topicTerms.get(t) ?? [])]);
    return hits
      .slice(0, RERANKED)
      .map((h) => {
        const e = kb.entriesById.get(h.id);
        if (!e) return h;
        let factor = 1;
        if (institutions.length > 0) {
          const mine = all ? institutions.every((i) => e.institutions.includes(i as never)) : e.institutions.some((i) => institutions.includes(i));
          if (mine) factor *= options.institutionBoost;
          else if (!all && !e.institutions.includes('SECTOR')) factor *= options.institutionPenalty;
        }
        if ([...asked].some((t) => typesOf.get(h.id)?.has(t))) factor *= options.askedTypeBoost;
        // (also an entry of another topic whose title names it: «…y credencial nacional (plan 2024-2030)»)
        if (topics.has(e.topic) || topicWords.some((w) => titleTermsOf(e).has(w))) factor *= options.topicWordBoost;
        return factor === 1 ? h : { ...h, score: h.score * factor };
      })
      .sort((x, y) => y.score - x.score);
  }

  /** Index terms of a unit's name and aliases, computed once. */
  const unitNameCache = new Map<string, Set<string>>();
  const unitNameTerms = (u: KnowledgeUnit) => {
    let t = unitNameCache.get(u.id);
    if (!t) unitNameCache.set(u.id, (t = new Set(index.termsOf(lexicon.canonical(wordsIn([u.name, ...(u.aliases ?? [])].join(' ')))))));
    return t;
  };

  /**
   * Units the message points at: by a distinctive word of a unit's name ("ohoran", "vicam"), by
   * words several units share with a facility word and the one state named ("un hospital de
   * especialidades pediátricas en Chiapas"), or by a municipality plus a facility word ("el
   * hospital de Tepic"). Place names alone never count as a unit's name: "¿va a llover en
   * Monterrey?" is not about the unit there.
   */
  function unitCandidates(
    nameTerms: readonly string[],
    facility: boolean,
    places: PlaceMatch[],
    institutions: readonly string[],
    unitHits: () => Hit[],
    plural = false,
    after?: KnowledgeUnit,
    /** The message asks for a health centre ("centro de salud"), not a hospital. */
    healthCentreOnly = false,
  ): { unit: KnowledgeUnit; score: number }[] {
    // "¿Qué hospitales construye en Tamaulipas?" after naming Madero asks for the list, not for one.
    if (plural) return [];
    const byName = new Set<string>();
    for (const t of nameTerms) {
      // A bare number ("me queda a 5 min") is not a unit's name; nor is an everyday word ("un camión blanco").
      if (GENERIC_NAME_WORDS.has(t) || EVERYDAY_TERMS.has(t) || /^\d+$/.test(t)) continue;
      for (const id of index.distinctiveUnitTerms.get(t) ?? []) byName.add(id);
    }
    const statesNamed = new Set(places.map((p) => p.state.name));
    const fits = (u: KnowledgeUnit | undefined): u is KnowledgeUnit =>
      !!u && (statesNamed.size === 0 || statesNamed.has(u.state)) && (institutions.length === 0 || institutions.includes(u.institution));
    let units = [...byName].map((id) => kb.unitsById.get(id)).filter(fits);
    // "un hospital de especialidades pediátricas en Chiapas": a facility named by words that
    // several units share, in one state: the units there whose names hold two of them, one telling.
    if (units.length === 0 && facility && statesNamed.size === 1 && !places.some((p) => p.municipality)) {
      const asked = nameTerms.filter((t) => !EVERYDAY_TERMS.has(t) && !/^\d+$/.test(t));
      units = kb.units.filter((u) => {
        if (!fits(u)) return false;
        const name = unitNameTerms(u);
        const shared = asked.filter((t) => name.has(t));
        return shared.length >= 2 && shared.some((t) => !GENERIC_NAME_WORDS.has(t) && subjectWord(t));
      });
    }
    // "¿y el del Bajío?" right after the HRAE of Ixtapaluca: a unit of the same kind whose name has the word.
    if (units.length === 0 && after) {
      const asked = nameTerms.filter((t) => !GENERIC_NAME_WORDS.has(t) && !EVERYDAY_TERMS.has(t) && !/^\d+$/.test(t));
      if (asked.length > 0) units = kb.units.filter((u) => u.id !== after.id && u.category === after.category && fits(u) && asked.every((t) => unitNameTerms(u).has(t)));
    }
    // No unit of that name there ("el centro oncológico de Ciudad Victoria"): the units of the town.
    const municipalities = places.filter((p) => p.municipality).map((p) => ({ state: p.state.name, name: normalize(p.municipality ?? '') }));
    // ...of the kind asked: "¿cuál centro de salud me toca en Ecatepec?" is not answered by its oncology hospital.
    if (units.length === 0 && facility && municipalities.length > 0)
      units = kb.units.filter((u) => fits(u) && municipalities.some((m) => standsIn(u, m.state, m.name)) && !(healthCentreOnly && unitNameTerms(u).has(HOSPITAL_TERM)));
    if (units.length === 0) return [];
    const scores = new Map(unitHits().map((h) => [h.id, h.score]));
    return units.map((u) => ({ unit: u, score: scores.get(u.id) ?? 0 })).sort((a, b) => b.score - a.score);
  }

  /** "2", "la 2", "opción 2", "quiero la 2" → 2. */
  function parseChoice(words: readonly string[]): number | undefined {
    const rest = words.filter((w) => !CHOICE_FILLER.has(w));
    if (rest.length !== 1 || !/^\d{1,2}$/.test(rest[0] as string)) return undefined;
    return Number(rest[0]);
  }

  // ---------- the decision ----------

  /** The session if it has not expired. */
  const live = (session: Session | undefined, now: number) =>
    session && now - session.updatedAt < options.sessionTtlMs ? session : undefined;

  // A message with no conversation before it is answered the same way every time ("hola",
  // "credencial", "1"): the reply and the session it leaves are kept, and copied out on a repeat.
  const firstReplies = new Map<string, { reply: Reply; session: Omit<Session, 'updatedAt'> }>();
  const copyReply = (r: Reply): Reply => ({
    ...r,
    options: [...r.options],
    ...(r.actions ? { actions: r.actions.map((a) => ({ ...a })) } : {}),
    sources: r.sources.map((x) => ({ ...x })),
  });
  /** The reply with what each of its options does (the session's options, set with them). */
  const withActions = (reply: Reply, ctx: Session): Reply => {
    if (reply.options.length > 0 && ctx.options?.length === reply.options.length) reply.actions = ctx.options.map((o) => ({ ...o }));
    return reply;
  };
  const copySession = (s: Omit<Session, 'updatedAt'>, now: number): Session => ({
    ...s,
    options: s.options?.map((o) => ({ ...o })),
    updatedAt: now,
  });

  function respond(message: IncomingMessage, session: Session | undefined, now = Date.now()) {
    const prev = live(session, now);
    const key = !prev && !message.location && !message.action && typeof message.text === 'string' ? message.text : undefined;
    const kept = key === undefined ? undefined : firstReplies.get(key);
    if (kept) return { reply: copyReply(kept.reply), session: copySession(kept.session, now) };
    const ctx: Session = { ...(prev ?? {}), updatedAt: now };
    const reply = withActions(decide(message, ctx, prev), ctx);
    if (key !== undefined && key.length <= options.replyCacheMaxText) {
      if (firstReplies.size >= options.replyCacheSize) firstReplies.delete(firstReplies.keys().next().value as string);
      const { updatedAt: _, ...rest } = ctx;
      firstReplies.set(key, { reply: copyReply(reply), session: copySession(rest, 0) });
    }
    return { reply, session: ctx };
  }

  function explain(message: IncomingMessage, session?: Session, now = Date.now()) {
    const trace: Trace = { hits: [], understood: [], decision: '' };
    const prev = live(session, now);
    const ctx: Session = { ...(prev ?? {}), updatedAt: now };
    const reply = withActions(decide(message, ctx, prev, trace), ctx);
    return {
      reply,
      candidates: trace.hits.map((h) => ({ id: h.id, score: h.score, coverage: h.coverage, focus: h.focus, terms: [...h.terms] })),
      understood: trace.understood,
      decision: trace.decision || `${reply.kind} ${reply.intent}`,
      triage: triage(typeof message.text === 'string' ? message.text.slice(0, options.maxTextLength) : ''),
    };
  }

  function decide(message: IncomingMessage, ctx: Session, prev: Session | undefined, trace?: Trace): Reply {
    if (message.location) return locationReply(message.location.latitude, message.location.longitude, ctx);
    const raw = typeof message.text === 'string' ? message.text.slice(0, options.maxTextLength) : '';
    const words = wordsIn(raw);
    const triaged = triage(raw);
    // A tapped option runs as it was offered (unless its text is an emergency).
    if (message.action && triaged.level !== 'emergency' && triaged.level !== 'crisis') return runOption(message.action, ctx);
    if (words.length === 0) return fallback(ctx, conv.not_understood, 'no-entendido');

    if (triaged.level === 'emergency' || triaged.level === 'crisis') {
      ctx.options = undefined;
      const now = triaged.findings.filter((f) => f.when === 'now');
      const reply = emergencyReply(triaged.level === 'crisis', now[0]?.rule);
      // A deep cut or a handful of pills may be self-inflicted: Línea de la Vida too, after 911.
      if (triaged.level === 'emergency' && now.some((f) => f.offerCrisisLine)) reply.text += `\n\n${kb.emergency.support_line.trim()}`;
      return reply;
    }
    // "1) ¿…? y 2) ¿…?", "¿…? Y de paso, ¿…?": each question gets its answer.
    const parts = questionParts(raw);
    const two = parts && answerParts(parts, ctx, prev);
    if (two) {
      trace?.understood.push(`dos preguntas: «${parts[0]}» y «${parts[1]}»`);
      if (trace) trace.decision = 'dos preguntas, cada una con su respuesta';
      return noteFor(triaged, two);
    }
    const reply = understand(raw, words, ctx, prev, trace);
    return noteFor(triaged, reply);
  }

  /**
   * Each of two questions the message says it asks, answered on its own and told in order; none
   * when either is not understood or both get the same answer (then the message is one question).
   */
  function answerParts(parts: [string, string], ctx: Session, prev: Session | undefined): Reply | undefined {
    const first: Session = { ...ctx };
    const a = understand(parts[0], wordsIn(parts[0]), first, prev);
    // (the second follows the first: "1) ¿cuánta gente se ha registrado pa la credencial? 2) ¿ya las entregan?")
    const second: Session = { ...first };
    const b = understand(parts[1], wordsIn(parts[1]), second, { ...first });
    const told = (r: Reply) => r.kind === 'answer' || r.kind === 'fallback';
    if (!told(a) || !told(b) || (a.kind !== 'answer' && b.kind !== 'answer')) return undefined;
    if (a.sources[0]?.id === b.sources[0]?.id) return undefined;
    Object.assign(ctx, second, { options: undefined });
    // (without the options each part offers: their numbers would clash; "más detalles" is of the second)
    const told1 = a.text.replace(RELATED_LIST, '').replace(`\n\n${MORE_DETAILS_LINE}`, '');
    return make('answer', a.intent, `1) ${told1}\n\n2) ${b.text.replace(RELATED_LIST, '')}`, { sources: [...a.sources, ...b.sources], score: Math.min(a.score, b.score), footer: b.footer });
  }

  /** A serious condition named but not happening now: the answer plus one calm line. */
  function noteFor(t: TriageResult, reply: Reply): Reply {
    if (t.level === 'support') return withNote(reply, kb.emergency.support_line);
    if (t.level === 'calm') return withNote(reply, kb.emergency.calm_line);
    return reply;
  }

  function understand(raw: string, words: string[], ctx: Session, prev: Session | undefined, trace?: Trace): Reply {
    const choice = parseChoice(words);
    if (choice !== undefined) {
      const action = prev?.options?.[choice - 1];
      if (action) return runOption(action, ctx);
      return menuReply(ctx, `No tengo una opción ${choice} abierta ahora. ${conv.menu_intro}`);
    }

    const small = smalltalk.detect(words);
    if (small) return smalltalkReply(small, ctx, prev);

    // ("el hospitalito de la comunidad", "cuántos modulitos": the plain word the reports use;
    // "los viejitos" are a synonym of their own, not "viejo")
    const content = joinSplitWords(
      smalltalk.strip(dropPersonalNames(words, namesInText(raw))).map((w) => (lexicon.rewrites(w) ? w : plainForm(w, index.hasTerm))),
      knownWord,
      (w) => lexicon.rewrites(w) || knownWord(w) || index.hasTerm(processTerm(w) ?? ''),
    );
    const canonical = lexicon.canonical(content);
    // The question inside a long message, found at most once and only if asked for.
    let focus: string | undefined | null = null;
    const focusOf = () => (focus === null ? (focus = questionFocus(raw)) : focus);
    // The terms of what the person says of themselves ("soy de Ticul y trabajo en una fábrica") that
    // the rest of the message does not repeat, at most once.
    let whoAsks: Set<string> | undefined;
    const whoAsksTerms = () => {
      if (whoAsks) return whoAsks;
      const selfWords = selfDescriptionWords(raw);
      if (selfWords.length === 0) return (whoAsks = new Set());
      const rest = new Set(index.termsOf(lexicon.canonical(wordsIn(raw).filter((w) => !selfWords.includes(w)))));
      // (in the person's own words: what the lexicon makes of them, "por mi cuenta" → independent, may be the subject)
      // (a word the lexicon reads alone is still who asks: "soy médico" is the searched "doctor")
      const own = [...index.termsOf(selfWords), ...selfWords.flatMap((w) => index.termsOf(lexicon.canonical([w])))];
      return (whoAsks = new Set(own.filter((t) => !rest.has(t))));
    };
    // "Vivía en Ecatepec… nos venimos a Querétaro. ¿Aquí en Querétaro también me atienden?": the
    // places of the question itself come first, and only they point at a unit.
    const found = gazetteer.find(canonical);
    // ...and its canonical words without courtesy, also at most once (none when there is no such question)
    let focusCanon: string[] | undefined;
    const focusWordsOf = () => (focusCanon ??= focusOf() ? lexicon.canonical(smalltalk.strip(wordsIn(focusOf() as string))) : []);
    let focusFound: PlaceMatch[] | undefined;
    const placesAsked = () => (focusFound ??= focusWordsOf().length > 0 ? gazetteer.find(focusWordsOf()) : []);
    const focusPlaces = found.length > 1 ? placesAsked() : [];
    const inFocus = (p: PlaceMatch) => focusPlaces.some((q) => q.state === p.state && q.municipality === p.municipality);
    // (in a short message, the place one is at now: "allá en Puebla tenía el Bienestar, ¿y aquí en Guanajuato?")
    const hereAt = (p: PlaceMatch) => canonical[p.start - 1] === 'en' && (canonical[p.start - 2] === 'aqui' || canonical[p.start - 2] === 'aca');
    // (or the place one moves to: "vivo en Querétaro pero me voy a cambiar a Pachuca, ¿allá sí hay?")
    const movingTo = (p: PlaceMatch) =>
      TOWARDS.has(canonical[p.start - 1] ?? '') && canonical.slice(Math.max(0, p.start - 5), p.start - 1).some((w) => MOVE_WORDS.has(w));
    const askedPlaces =
      focusPlaces.length > 0 ? found.filter(inFocus) : found.length > 1 ? found.filter((p) => hereAt(p) || movingTo(p)) : [];
    const named = askedPlaces.length > 0 ? [...askedPlaces, ...found.filter((p) => !askedPlaces.includes(p))] : found;
    // "¿qué pasó con el hospital de aquí?" after "vivo en Atenco": the place said before.
    const here = canonical.some((w) => HERE_WORDS.has(w));
    const remembered = prev?.state ? gazetteer.state(prev.state) : undefined;
    const facilityAsked = canonical.some((w) => FACILITY_WORDS.includes(processTerm(w) as string));
    const elsewhere = words.some((w) => ELSEWHERE_WORDS.has(w));
    // "¿y el del ISSSTE, ahí mismo en Nayarit?" right after a unit: another institution's unit in the same town.
    const read = readInstitutions(canonical);
    // (an institution one has, "mi papá tiene IMSS", "soy del ISSSTE", says who asks, not whose answer is wanted)
    const held = canonical.some((w, i) => {
      if (!['imss', 'issste'].includes(w)) return false;
      // (an article between: "tengo el IMSS", "cuento con el ISSSTE")
      const j = canonical[i - 1] === 'el' ? i - 2 : i - 1;
      const before = canonical[j - 1] ?? '';
      // (not one the person lacks: "una constancia de que no tiene IMSS")
      if (HOLDING.has(canonical[j] ?? '')) return !NOT_WORDS.has(before);
      return (canonical[j] === 'del' || canonical[j] === 'al') && (BEING.has(before) || HOLDING.has(before)) && !NOT_WORDS.has(canonical[j - 2] ?? '');
    });
    const otherInstitution =
      !!prev?.unitId && !!prev.municipality && read.institutions.length > 0 && !read.institutions.includes(prev.institution as Institution);
    const sameTown = otherInstitution && named.every((p) => !p.municipality && p.state.name === prev?.state);
    const places: PlaceMatch[] =
      remembered && !elsewhere && ((named.length === 0 && (here || facilityAsked)) || sameTown)
        ? [{ state: remembered, municipality: prev?.municipality, start: -1, end: -1 }]
        : named;
    if (named[0]) {
      ctx.state = named[0].state.name;
      ctx.municipality = named.find((p) => p.municipality)?.municipality;
    }
    const placeAt = wordsOf(named);
    // ("regresé hace 2 meses después de 15 años allá": those numbers count time, they name nothing)
    // (nor do a distance or an amount: "vivo a 8 km", "me cobraron 500 pesos")
    // (a paper that says one has no IMSS is about the IMSS: "una constancia de que no tiene IMSS")
    const provesLack = (i: number) => canonical.slice(Math.max(0, i - 6), i).some((w) => PROOF_WORDS.has(w));
    const queryWords = canonical.filter(
      (_, i) => !placeAt.has(i) && (!read.negated.has(i) || provesLack(i)) && !isTimeSpan(canonical, i) && !isMeasure(canonical, i) && !isRumourChannel(canonical, i),
    );
    // The person's own words before synonyms: "cobran" stays a cost word (the lexicon reads it as "gratis").
    const ownTerms = index.termsOf(content);
    const queryTerms = index.termsOf(queryWords);
    let institutions: string[] = read.institutions;
    const state = places[0]?.state;

    const opener = FOLLOW_UP_OPENERS.has(words[0] as string);
    const hasContext = !!(prev && (prev.entryId || prev.unitId || prev.lastQuery));
    const followUp = hasContext && (opener || queryTerms.length <= options.followUpMaxTerms);
    // the unit just described, when this message follows up on it
    const lastUnit = followUp && prev?.unitId ? kb.unitsById.get(prev.unitId) : undefined;
    if (followUp && institutions.length === 0 && prev?.institution) institutions = [prev.institution];
    // (or the one said before, of the person the question points at: "mi hijo tiene 4 años" → "¿ya no le toca la de la gripa?")
    const ageSaid = readAge(words);
    if (ageSaid) ctx.age = ageSaid;
    const age = ageSaid ?? (prev?.age && words.some((w) => THIRD_PERSON.has(w)) ? prev.age : undefined);
    const plainText = normalize(raw);
    const conditions = conditionsSaid(canonical, plainText);
    // (in a long message, what the question inside it asks, if it says: "nos cobraron 500 pesos… ¿me toca la vacuna?" asks no cost)
    const focusOwn = focusOf() ? wordsIn(focusOf() as string) : undefined;
    const focusAsks = focusOwn ? questionTypes(index.termsOf(focusOwn), focusOwn) : undefined;
    const asked = focusAsks ?? questionTypes(ownTerms, words);
    const namedTopics = topicsNamed(queryTerms);
    // "¿cuánto…?", "¿cuántos…?": a figure is asked
    const figureAsked = words.some((w) => QUANTITY_WORDS.has(w));
    const said = (why: string, r: Reply): Reply => {
      if (trace) trace.decision = why;
      return r;
    };
    if (trace) {
      const note = (k: string, v: unknown) => v !== undefined && v !== '' && trace.understood.push(`${k}: ${String(v)}`);
      note('lugar', places.map((p) => [p.municipality, p.state.name].filter(Boolean).join(', ') + (p.start < 0 ? ' (de la conversación)' : '')).join('; '));
      note('institución', institutions.join(', '));
      note('edad', age ? `${age.value} ${age.unit === 'anos' ? 'años' : 'meses'}` : undefined);
      note('tipo de pregunta', [...asked].join(', '));
      note('pregunta dentro del mensaje', focusOf());
      note('seguimiento', followUp ? `sí (antes: ${prev?.entryId ?? prev?.unitId ?? '—'})` : undefined);
      note('términos', queryTerms.join(' '));
    }


    // "¿y en Guerrero?" / "¿y Jalisco?": the same question, another state.
    // (nothing else asked but what a follow-up always asks: "¿y en Yucatán cuántas?")
    // (nor does a word the knowledge base does not know at all: "ah caray, ¿y en Oaxaca nomás?")
    // (and what follows "¿y en Guerrero?" is about who asks: "¿y en Guerrero? mi mamá vive en Chilapa y no tiene seguro")
    const nothingNewIn = (terms: readonly string[]) => terms.every((t) => GENERIC_FOLLOW_UP.has(t) || !index.knows(t));
    const nothingNew = nothingNewIn(queryTerms) || (opener && askedFirst(raw, (first) => nothingNewIn(termsOutsidePlaces(first)), (rest) => termsOutsidePlaces(rest).every((t) => COVERAGE_WORDS.has(t) || !index.knows(t))));
    if (followUp && state && named.length > 0 && nothingNew && prev) {
      const last = prev.entryId ? kb.entriesById.get(prev.entryId) : undefined;
      if (last && (last.units || last.state_coverage || last.by_state))
        return said('la misma pregunta, otro estado', remember(answerEntry(last, ctx, 0, { state }), ctx, prev.lastQuery));
      // "¿hay campaña de próstata en Mérida?" → "¿y en Ciudad Victoria?": the same entry, when it names
      // that place (and no figure is asked, which a table by state of the same topic would give).
      const text = last ? normalize(`${last.answer} ${last.details ?? ''}`) : '';
      if (last && last.kind !== 'referral' && !figureAsked && named.some((p) => ` ${text} `.includes(` ${normalize(p.municipality ?? p.state.name)} `)))
        return said('la misma pregunta, otro lugar que la entrada nombra', remember(answerEntry(last, ctx, 0, { state }), ctx, prev.lastQuery));
      // The last answer was general ("¿cuánto dinero da La Clínica es Nuestra?"): its sibling by state.
      if (last && prev.lastQuery) {
        const sibling = index
          .searchEntries(prev.lastQuery.split(' '))
          .map((h) => kb.entriesById.get(h.id))
          .find((e) => e && e.topic === last.topic && (e.by_state || e.units));
        if (sibling) return said('otro estado: la entrada por estado del mismo tema', remember(answerEntry(sibling, ctx, 0, { state }), ctx, prev.lastQuery));
      }
      if (lastUnit) {
        const list = listEntries.find(
          (e) => e.units?.categories.includes(lastUnit.category) && (!e.units.institutions || e.units.institutions.includes(lastUnit.institution)),
        );
        if (list) return said('otro estado: la lista de unidades de ese tipo', remember(answerEntry(list, ctx, 0, { state }), ctx, prev.lastQuery));
      }
    }

    const entryHits = searchFocused(focusWordsOf, queryWords);

    // "¿y si tengo 45?" / "tengo 31, ¿todavía me aceptan?": the same question, another age, unless
    // the message is plainly about something else.
    if (age && prev?.entryId) {
      const last = kb.entriesById.get(prev.entryId);
      // "¿y la de la influenza a mi bebé de 8 meses?" after the COVID vaccine: another entry by age, named by its own subject.
      // (by the titles: the two vaccines' entries each mention the other; "¿y la del COVID? mi papá es
      // hipertenso" may lead with the entry on diseases, which has no groups by age)
      const lastTitle = last ? titleTermsOf(last) : new Set<string>();
      const names = (e: KnowledgeEntry) => queryTerms.some((t) => !EVERYDAY_TERMS.has(t) && !/^\d+$/.test(t) && titleTermsOf(e).has(t) && !lastTitle.has(t));
      const lead = last?.ages
        ? entryHits
            .slice(0, 3)
            .map((h) => kb.entriesById.get(h.id))
            .find((e): e is KnowledgeEntry => !!e?.ages && e.id !== last.id && names(e))
        : undefined;
      if (lead)
        return said('otra edad, sobre otra entrada por edad que el mensaje nombra', remember(answerEntry(lead, ctx, 0, { state, age, conditions }), ctx, queryWords.join(' ')));
      const elsewhere = entryHits[0] && entryHits[0].id !== last?.id && entryHits[0].score >= options.strongScore;
      if (last?.ages && (followUp || !elsewhere || entryHits.slice(0, 3).some((h) => h.id === last.id)))
        return said('la misma pregunta, otra edad', remember(answerEntry(last, ctx, 0, { state, age, conditions }), ctx, prev.lastQuery));
      // "¿y pa mi bebé de 2 meses?" after the credential: the same question, for someone else; an
      // entry by age that happens to fit the age ("2 meses") is not asked about.
      if (followUp && last && queryTerms.every(ofAge))
        return said('la misma pregunta, para otra persona', remember(answerEntry(last, ctx, 0, { state, age, conditions }), ctx, prev.lastQuery));
    }
    // "¿y el de Matamoros?" right after a unit: the same kind of unit, in that town.
    // (outside the places: "Nuevo León" is not a new unit)
    // ("soy enfermera en un hospital de Tapachula, ¿me toca la vacuna?": that hospital says who asks)
    const selfDescribed = facilitiesOnlyDescribeSelf(raw, (t) => FACILITY_WORDS.includes(t));
    const facility =
      (queryTerms.some((t) => FACILITY_WORDS.includes(t)) && !selfDescribed) || (followUp && !!prev?.unitId && (named.some((p) => p.municipality) || sameTown));
    // "¿qué hospitales construyen en Quintana Roo?" asks for a list, even if the town has one.
    const plural = words.some((w) => PLURAL_FACILITIES.has(w));
    let unitSearch: Hit[] | undefined;
    const unitHits = () => (unitSearch ??= index.searchUnits(canonical));
    const healthCentreOnly = /\bcentros? de salud\b/.test(plainText) && !/\bhospital/.test(plainText);
    // (a unit named only in the story around a question about another town is not asked about:
    // "¿hay hospital nuevo en San Cristóbal? mi mamá no aguanta el viaje hasta Tuxtla")
    // (or about no unit at all, pointing at none: "…la señora de la ventanilla nos gritó. ¿Dónde pongo una queja?")
    // (looked at only when some unit is named: the question inside the message is found lazily)
    const focusTermsOf = () => {
      if (!focusOf()) return undefined;
      const focusTerms = new Set(index.termsOf(focusWordsOf()));
      const focusOnOther =
        !pointsBackAt(focusWordsOf()) &&
        !focusWordsOf().some((w) => HERE_WORDS.has(w) || w === 'alla') &&
        ![...focusTerms].some((t) => UNIT_ATTRIBUTE_WORDS.has(t) || FACILITY_WORDS.includes(t));
      return focusPlaces.some((p) => p.municipality) || focusOnOther ? focusTerms : undefined;
    };
    const onlyInStory = (u: KnowledgeUnit, focusTerms: ReadonlySet<string>) =>
      !focusPlaces.some((p) => p.municipality && standsIn(u, p.state.name, normalize(p.municipality))) &&
      ![...unitNameTerms(u)].some((t) => focusTerms.has(t) && !GENERIC_NAME_WORDS.has(t));
    const namedUnits = selfDescribed
      ? []
      : unitCandidates(queryTerms, facility, askedPlaces.length > 0 ? askedPlaces : places, institutions, unitHits, plural, lastUnit, healthCentreOnly);
    const storyTerms = namedUnits.length > 0 ? focusTermsOf() : undefined;
    const candidates = storyTerms ? namedUnits.filter((c) => !onlyInStory(c.unit, storyTerms)) : namedUnits;
    const topEntryScore = entryHits[0]?.score ?? 0;

    // "Teléfono del hospital de Tepic", "¿a qué hora abre el centro de salud de Jiutepec?", or
    // "¿y su teléfono?" after a unit: the reports give no contact data; say so, with the unit.
    // ("a qué hora abren" asks the hours, "6 horas esperando" does not; "¿cómo se llama?" asks a
    // name, not a number to call; "abierto" shares its stem with "van a abrir")
    // Only the question itself counts in a long message: "ando todo el día en la calle" asks no address.
    const asking = focusOf() ? focusWordsOf() : canonical;
    const askingTerms = index.termsOf(withoutNaming(asking));
    // ("¿ya se puede sacar cita por WhatsApp?" names a channel, and asks no number)
    // (nor does a word of the unit's own name: "el Aquiles Calles de Tepic" asks no street)
    const ofUnitName = (w: string) => !!candidates[0] && unitNameTerms(candidates[0].unit).has(processTerm(w) as string);
    const contactAsked = withoutNaming(asking).filter((w, i, ws) => isContactWord(w) && !CHANNEL_LEADS.has(ws[i - 1] ?? '') && !ofUnitName(w));
    const asksContact = contactAsked.length > 0 || asking.some((w, i) => (w === 'hora' || w === 'horas') && ['que', 'q', 'k'].includes(asking[i - 1] ?? ''));
    const contactUnit = candidates[0]?.unit ?? (named.length === 0 ? lastUnit : undefined);
    // (the hours of a campaign or a service the reports do give: "la campaña de próstata del HRAE, ¿a qué hora es?")
    const asksHours = asking.some((w) => HOUR_WORDS.has(w));
    const asksCallable = contactAsked.some((w) => !HOURS_TERMS.has(processTerm(w) as string));
    const givesHours = (h: Hit) => {
      const e = kb.entriesById.get(h.id);
      return h.score >= options.strongScore && TIME_OF_DAY.test(`${e?.answer ?? ''} ${e?.details ?? ''}`);
    };
    // (or is about the very hours asked: "¿van a abrir sábado y domingo? aquí cierran el fin" is the 7-day care)
    // (of the institution asked about: the ISSSTE clinics' hours are not those of an IMSS-BIENESTAR rehab centre)
    // (or of the unit's, when one is named: the ISSSTE clinics' hours are not those of Jerez's IMSS-BIENESTAR health centre)
    const houses = institutions.length > 0 ? institutions : contactUnit ? [contactUnit.institution] : [];
    const ofHouseAsked = (h: Hit) => houses.length === 0 || houses.some((i) => kb.entriesById.get(h.id)?.institutions.includes(i as never));
    const aboutHours = (h: Hit) =>
      h.score >= options.strongScore && ofHouseAsked(h) && askingTerms.some((t) => HOURS_TERMS.has(t) && index.askedIn(t)?.has(h.id));
    // (the leader itself: "¿el centro de rehabilitación de Tlaxcala, qué horario tiene?" is no question for the entry about vaccination hours)
    const leader = entryHits[0];
    // (or the unit's own description: the HRAE of Mérida's prostate campaign, "de 9:00 a 13:00")
    const unitGivesHours = !!contactUnit && TIME_OF_DAY.test(contactUnit.summary ?? '');
    const entryGivesHours = asksHours && !asksCallable && (unitGivesHours || entryHits.slice(0, 3).some(givesHours) || (!!leader && aboutHours(leader)));
    if (asksContact && contactUnit && !entryGivesHours) {
      const r = answerUnit(contactUnit, ctx, candidates[0]?.score ?? 0);
      // (what is asked is not known: a fallback that says so and where to ask, with what is known of the unit)
      r.kind = 'fallback';
      r.intent = 'contacto';
      r.text = `${conv.unit_contact.trim()}\n\n${r.text}`;
      return said('pide teléfono, horario o dirección de una unidad: los informes no los dan', remember(r, ctx, canonical.join(' ')));
    }
    // (a contact entry that leads answers itself: "Busca tu unidad")
    // (the facility, too, in the question itself: "¿cómo saco cita en el ISSSTE? ¿por WhatsApp?" after a story about the clinic asks no unit's number)
    const facilityInQuestion = askingTerms.some((t) => FACILITY_WORDS.includes(t));
    if (asksContact && !entryGivesHours && facilityInQuestion && places.length > 0 && kb.entriesById.get(entryHits[0]?.id ?? '')?.topic !== 'contacto')
      return remember(fallback(ctx, conv.unit_contact, 'contacto', entryHits[0]?.score ?? 0), ctx, canonical.join(' '));

    // A specific unit: "el hospital de Tlajomulco", "el O'Horán de Mérida".
    const [bestUnit, secondUnit] = candidates;
    // ...unless the message asks about a subject the unit does not cover ("la campaña de próstata
    // en el hospital de alta especialidad de Mérida"): then the entry on that subject answers.
    const unitTerms = bestUnit ? (unitHits().find((h) => h.id === bestUnit.unit.id)?.terms ?? new Set<string>()) : new Set<string>();
    // (a list of units by type would miss the very unit named, "¿van a ampliar el hospital de
    // Rioverde?": the subject is looked for in the first entries that are not such lists)
    // (nor is what one asks of any unit: "¿cuándo inauguran el Hospital General de Tepic?")
    // (nor who asks: "trabajo en una fábrica de zapatos, ¿es cierto que hacen un hospital aquí?")
    const aboutWhoAsks = (t: string) => whoAsksTerms().has(t);
    const notOfUnit = (t: string) => !unitTerms.has(t) && !FACILITY_WORDS.includes(t) && !UNIT_ATTRIBUTE_WORDS.has(t) && !aboutWhoAsks(t);
    // (a word few entries are about, "próstata", is a subject even when the unit scores far more with its place)
    // (so is a programme named by its name, "La Clínica es Nuestra", that the unit does not bear)
    const aboutOther = (h: Hit) => [...h.terms].some((t) => notOfUnit(t) && (tellingTerm(t) || NAME_TERMS.has(t)) && index.askedIn(t)?.has(h.id));
    const leads = entryHits.slice(0, 3).filter((h) => !kb.entriesById.get(h.id)?.units);
    const lead = leads.find(aboutOther) ?? leads[0];
    const aboutElse = !!lead && aboutOther(lead);
    // (so is a topic named by its own word, "la credencial", when the entry is of that topic)
    // (but not by the unit's own institution: "el del ISSSTE" names the ISSSTE topic and the ISSSTE's hospital alike)
    const topicElse =
      !!lead && namedTopics.has(kb.entriesById.get(lead.id)?.topic ?? '') && !(bestUnit && topicsNamed(queryTerms.filter((t) => !INSTITUTION_TERMS.has(t))).size === 0);
    const subjectElsewhere =
      !!lead &&
      lead.score >= (aboutElse || topicElse ? options.subjectOverUnitTelling : options.subjectOverUnit) * (bestUnit?.score ?? 0) &&
      (topicElse || [...lead.terms].some((t) => notOfUnit(t) && (subjectWord(t) || NAME_TERMS.has(t))));
    // "¿Cuánto cobran por un parto en el Hospital General de Chilpancingo?": a cost question about
    // a service is answered by free care, even when it names a unit.
    // ...unless the message asks about a subject of its own ("¿para qué edad es la campaña de
    // próstata del hospital de alta especialidad, y se paga algo?").
    if (asked.has('cost') && !subjectElsewhere && namesService(ownTerms) && bestUnit?.unit.institution === 'IMSS-BIENESTAR' && institutions.every((i) => i === 'IMSS-BIENESTAR') && costEntry) {
      // One unit named: that care is free, then what the reports say of the unit (it may not be open yet).
      if (!secondUnit || bestUnit.score >= 1.15 * secondUnit.score) {
        const r = answerUnit(bestUnit.unit, ctx, bestUnit.score);
        r.text = `${conv.free_care.trim()}\n\n${r.text}`;
        r.sources = [sourceOf(kb, costEntry), ...r.sources];
        return said('pregunta de costo de un servicio en una unidad: gratuidad y la unidad', remember(r, ctx, canonical.join(' ')));
      }
      return said(
        'pregunta de costo de un servicio en una unidad: la entrada de gratuidad',
        remember(answerEntry(costEntry, ctx, 0, { state, list: plural }), ctx, queryWords.join(' ')),
      );
    }

    // A short follow-up after an entry ("¿y si es un CESSA?") stays on that entry's subject.
    // ("¿y si es centro de salud de servicios ampliados?": a case of the same question, not a unit)
    const supposing = words[0] === 'y' && words[1] === 'si';
    const entryFollowUp = followUp && !!prev?.entryId && (!facility || supposing) && named.length === 0;
    // "¿y de cuántas camas va a ser?" right after a unit asks about that unit, not another one of the town.
    // (in the person's own words: "¿y eso cuánto costó?" asks the works' cost, though the lexicon reads "gratis")
    const ofUnit = (terms: readonly string[]) => terms.length > 0 && terms.every((t) => UNIT_ATTRIBUTE_WORDS.has(t) || FACILITY_WORDS.includes(t));
    // (unless the talk was about care, "me van a operar en el Hospital General… ¿y eso cuesta?": then free care answers)
    const careBefore = !!prev?.lastQuery && namesService(index.termsOf(prev.lastQuery.split(' ')).filter((t) => !FACILITY_WORDS.includes(t)));
    // (and whose it is: "¿y ese es del IMSS o del Bienestar?")
    const whoseUnit = pointsBackAt(words) && queryTerms.length > 0 && queryTerms.every((t) => INSTITUTION_TERMS.has(t) || UNIT_ATTRIBUTE_WORDS.has(t));
    const aboutUnit = ofUnit(queryTerms) || (named.length === 0 && !careBefore && ofUnit(ownTerms)) || whoseUnit;
    const unitFollowUp = followUp && !!prev?.unitId && named.length === 0 && aboutUnit;
    // (a unit of the kind just described, named in a follow-up, is a unit asked for: "¿y el del Bajío?")
    const sameKind = !!lastUnit && !!bestUnit && bestUnit.unit.category === lastUnit.category && bestUnit.unit.id !== lastUnit.id;
    if (bestUnit && !subjectElsewhere && !entryFollowUp && !unitFollowUp && (facility || sameKind || bestUnit.score >= 0.5 * topEntryScore)) {
      if (!secondUnit || bestUnit.score >= 1.15 * secondUnit.score)
        return said('una unidad con nombre', remember(answerUnit(bestUnit.unit, ctx, bestUnit.score), ctx, canonical.join(' ')));
      const place = places.find((p) => p.municipality);
      const where = place ? `${place.municipality}, ${place.state.name}` : 'ese lugar';
      return remember(
        listUnits(
          candidates.map((u) => u.unit),
          `Esto dicen los informes sobre unidades en ${where}:`,
          ctx,
          bestUnit.score,
        ),
        ctx,
        canonical.join(' '),
      );
    }

    // "¿Hay algo cerca de Ometepec?": a town named with nothing else to ask lists what the reports
    // name there; a town they name nothing in is said so, with the state's coverage and the finder.
    const town = named.find((p) => p.municipality);
    const aboutTown = queryTerms.every((t) => COVERAGE_WORDS.has(t) || WHERE_WORDS.has(t) || FACILITY_WORDS.includes(t));
    const asksWhat = queryTerms.some((t) => WHERE_WORDS.has(t) || FACILITY_WORDS.includes(t)) || words.some((w) => WHERE_PLAIN.has(w));
    // ("Ometepec, Guerrero", the state right after its town, qualifies the town: it is no state alone)
    const stateAlone = named.some((p) => !p.municipality && !named.some((q) => q.municipality && q.state === p.state && q.end === p.start));
    if (town && !stateAlone && !bestUnit && aboutTown && asksWhat) {
      const townName = normalize(town.municipality ?? '');
      const inTown = kb.units.filter((u) => standsIn(u, town.state.name, townName));
      // ("¿hay IMSS Bienestar aquí en Monterrey?" asks first whether it operates in that state)
      // (where it does not operate, that comes first, whatever else is asked)
      const coverageFirst = facilityAsked && town.state.federalized ? '' : `${coverageSentence(town.state)}\n\n`;
      if (inTown.length > 0) {
        const r = listUnits(inTown, `${coverageFirst}Esto dicen los informes sobre ${town.municipality}, ${town.state.name}:`, ctx, 0);
        // (so that "¿y en Tamaulipas?" asks the same of another state)
        if (coverageFirst) ctx.entryId = kb.entries.find((e) => e.state_coverage && e.kind !== 'referral')?.id;
        return said('un municipio: lo que los informes nombran ahí', remember(r, ctx, canonical.join(' ')));
      }
      {
        ctx.options = undefined;
        const text = `Los informes no nombran ninguna unidad en ${town.municipality}. ${coverageSentence(town.state)}\n\n${conv.unit_contact.trim()}`;
        return said('un municipio sin unidades en los informes', remember(make('fallback', 'unidades', text, { score: 0 }), ctx, canonical.join(' ')));
      }
    }

    // "¿y de cuántas camas?" right after a unit was described: a question about the unit itself
    // (beds, progress, when it opens, its cost) is answered by the unit, whatever else it matches.
    if (lastUnit && named.length === 0) {
      const alone = entryHits[0];
      if (aboutUnit || !alone || alone.score < options.strongScore)
        return said('seguimiento sobre la unidad anterior', remember(answerUnit(lastUnit, ctx, alone?.score ?? 0), ctx, prev?.lastQuery));
    }

    let hits = rerank(entryHits, institutions, asked, namedTopics);
    // A short message in a running conversation is read together with the previous question,
    // unless it opens anew and already stands on its own.
    // ("¿dónde me la pongo?" after the vaccine: its object is in the last answer, whatever "pongo" matches)
    const pointing = pointsBackAt(words);
    const standsAlone = !opener && !pointing && (hits[0]?.coverage ?? 0) >= options.followUpStandAloneCoverage;
    if (followUp && prev?.lastQuery && !standsAlone) {
      const before = prev.lastQuery.split(' ').filter(Boolean);
      const combined = rerank(index.searchEntries([...before, ...queryWords]), institutions);
      const merged = new Map<string, Hit>();
      for (const h of hits) merged.set(h.id, { ...h });
      for (const h of combined) {
        const m = merged.get(h.id);
        const add = h.score * options.followUpWeight;
        // (the telling words of the question before count for the follow-up: "¿y si fuera del ISSSTE?")
        if (m) {
          m.score += add;
          m.focus = Math.max(m.focus ?? 0, h.focus ?? 0);
        } else merged.set(h.id, { ...h, score: add });
      }
      // "¿cuántos derechohabientes tiene el IMSS?" → "¿y el ISSSTE?": the same question, about the other institution only.
      const onlyInstitution = queryTerms.every((t) => INSTITUTION_TERMS.has(t));
      const switched = onlyInstitution && prev.institution && institutions.length > 0 && !institutions.includes(prev.institution) ? prev.institution : undefined;
      hits = [...merged.values()]
        .map((h) => {
          const e = kb.entriesById.get(h.id);
          let score = e?.topic === prev.topic ? h.score * options.followUpTopicBoost : h.score;
          if (switched && e?.institutions.includes(switched as never)) score *= options.institutionPenalty;
          return score === h.score ? h : { ...h, score };
        })
        .sort((a, b) => b.score - a.score);
    }

    if (!followUp) hits = favourSubject(hits, queryTerms, asked, whoAsksTerms());

    // "¿Cuántas clínicas de Oaxaca entraron a La Clínica es Nuestra?": with a state named, the entry
    // of the same topic that answers for that state leads the one that answers in general.
    // (also when it asks whether: the state's line says so, "no opera en este estado" in
    // Aguascalientes, 143 committees in Chihuahua, which is outside IMSS-BIENESTAR)
    let forStateLeads = false;
    // (not for a place of the story around the question: "hago una tarea en Morelia. ¿Cuántos derechohabientes tiene el IMSS?")
    // (but the question may point at it: "le escribo desde Las Choapas… ¿las unidades móviles pasan por acá?")
    const storyPlace = !!focusOf() && !placesAsked().some((p) => p.state === state) && !focusWordsOf().some((w) => HERE_WORDS.has(w));
    if (state && named.length > 0 && hits[0] && !storyPlace) {
      const top = kb.entriesById.get(hits[0].id);
      const forState = (e?: KnowledgeEntry) => !!e?.by_state?.[state.name];
      if (top && !forState(top)) {
        // ...unless the leader has a subject the other lacks ("¿cuánto le toca a un centro de salud de un consultorio?")
        // (a state named in the question itself wants its own figure: "¿cuánto le mandaron a Oaxaca?")
        const stateAsked = placesAsked().some((p) => p.state === state);
        const leaderSubject = stateAsked ? [] : [...(hits[0] as Hit).terms].filter((t) => subjectWord(t));
        const at = hits.findIndex(
          (h, i) =>
            i > 0 &&
            i <= 5 &&
            h.score >= options.stateEntryRatio * (hits[0] as Hit).score &&
            kb.entriesById.get(h.id)?.topic === top.topic &&
            forState(kb.entriesById.get(h.id)) &&
            // (about it, not only saying it: the Yaqui's own units lead the Planes de Justicia's table, which names them in passing)
            leaderSubject.every((t) => h.terms.has(t) && subjectTermsOf(kb.entriesById.get(h.id)).has(t)),
        );
        if (at > 0) {
          hits = promote(hits, at);
          forStateLeads = true;
        }
      }
    }

    // "¿Querétaro entra?": a state and nothing else to ask about is a question about its coverage,
    // unless the leading entry is a list or a table by state, which answers for that state.
    const top = kb.entriesById.get(hits[0]?.id ?? '');
    const listsThere = !!top?.units && !!state && unitsFor(top, state).length > 0;
    // (or the state said before, pointed at: "soy de Mérida" → "¿aquí en mi estado ya entró el IMSS-BIENESTAR?")
    const stateHere = named.length === 0 && here && canonical.includes('estado') && !!remembered && state === remembered;
    if (state && (named.length > 0 || stateHere) && !listsThere && !top?.by_state && institutions.every((i) => i === 'IMSS-BIENESTAR')) {
      const plain = plainTermsOf(focusOf(), content);
      // (nor does a telling name the lexicon made one word of, "MAS Bienestar", ask about coverage)
      const questionWords = focusOf() ? focusWordsOf() : canonical;
      const own = new Set(content);
      const madeName = questionWords.some((w) => !own.has(w) && !COVERAGE_WORDS.has(processTerm(w) ?? '') && tellingTerm(processTerm(w) ?? ''));
      // (a word the knowledge base does not know, "trailero", asks nothing else)
      if (!madeName && plain.length > 0 && plain.every((t) => COVERAGE_WORDS.has(t) || !index.knows(t))) {
        const covers = (e?: KnowledgeEntry) => !!e?.state_coverage && e.kind !== 'referral';
        const coverage = covers(top) ? top : (hits.map((h) => kb.entriesById.get(h.id)).find(covers) ?? kb.entries.find(covers));
        if (coverage)
          return said('pregunta de cobertura de un estado', remember(answerEntry(coverage, ctx, hits[0]?.score ?? 0, { state, list: plural }), ctx, queryWords.join(' ')));
      }
    }

    // "¿Cuánto cuesta la operación de vesícula?", "¿y eso cuesta?": the entry that answers the cost.
    const bestSays = kb.entriesById.get(hits[0]?.id ?? '');
    // ("¿dan tratamiento pal VIH gratis?" asks only whether it is free, and the entry about HIV answers it)
    // (a leader far ahead of the free-care entry, or about a telling word of the message)
    const costHit = hits.find((h) => answersCost(kb.entriesById.get(h.id)));
    const freeOfItsOwn =
      asksOnlyIfFree(focusOwn ?? words) &&
      !!hits[0] &&
      hits[0].id !== costHit?.id &&
      ((!!costHit && hits[0].score >= options.freeLeaderRatio * costHit.score) ||
        [...hits[0].terms].some((t) => tellingTerm(t) && !!index.askedIn(t)?.has(hits[0]?.id ?? '')));
    if (
      asked.has('cost') &&
      !freeOfItsOwn &&
      (namesService(ownTerms) || followUp) &&
      institutions.every((i) => i === 'IMSS-BIENESTAR') &&
      !bestSays?.question_types?.includes('cost') &&
      // (a leader that already says it is free answers, if it is a real match and not a weak neighbour)
      !((hits[0]?.score ?? 0) >= options.strongScore && saysFree(bestSays?.answer))
    ) {
      const cost = costAnswerAmong(hits);
      // ...unless the leader is about a subject of its own ("el tratamiento de la leucemia cuesta…").
      const costTerms = hits.find((h) => h.id === cost?.id)?.terms ?? new Set<string>();
      const leaderSubject = subjectTermsOf(bestSays);
      const telling = (t: string) => !costTerms.has(t) && leaderSubject.has(t) && index.rarity(t) >= options.subjectRarity;
      const ownSubject =
        !!hits[0] && hits[0].score >= options.strongScore && [...hits[0].terms].some(telling) && !(followUp && !queryTerms.some(telling));
      if (cost && !ownSubject)
        return said('pregunta de costo de un servicio: la entrada de gratuidad', remember(answerEntry(cost, ctx, hits[0]?.score ?? 0, { state, list: plural }), ctx, queryWords.join(' ')));
    }

    trace?.hits.push(...hits.slice(0, 6));
    const best = hits[0];
    // The answer gate (decide/answer-gate.ts): a weak leader, or one that covers too little, or only the story, is no answer.
    const refused = answerGate({ best, queryTerms, focusTerms: focusOf() ? index.termsOf(focusWordsOf()) : undefined, followUp }, index, options);
    if (refused || !best) return said(REFUSALS[refused ?? 'weak'], fallback(ctx, conv.fallback, 'desconocido', best?.score ?? 0));
    const focusNeeded = telling(queryTerms, index, options);

    let bestEntry = kb.entriesById.get(best.id) as KnowledgeEntry;
    // "No tengo ese dato…" only when no answer is as near: "no hay metformina y la compro… ¿cuántos
    // medicamentos tiene el catálogo?" is answered by the catalogue, which the question itself names.
    if (bestEntry.kind === 'referral' && focusOf()) {
      const asked = new Set(index.termsOf(focusWordsOf()).filter((t) => subjectWord(t)));
      const own = (h: Hit) => [...h.terms].filter((t) => asked.has(t)).length;
      const answer = hits
        .slice(1, 4)
        .find((h) => h.score >= options.referralSwapRatio * best.score && kb.entriesById.get(h.id)?.kind !== 'referral' && own(h) > own(best));
      if (answer) bestEntry = kb.entriesById.get(answer.id) as KnowledgeEntry;
    }
    // "¿y desde cuándo me atienden?" right after an answer: with no new subject, the same entry.
    const lastEntry = followUp && prev?.entryId ? kb.entriesById.get(prev.entryId) : undefined;
    const bestSubject = subjectTermsOf(bestEntry);
    // (a word of the kind of question, "¿y qué requisitos piden?" after Médicos del Bienestar, brings no new subject)
    // (only the message's own words count: those of the last question, searched along, are no new subject)
    const newSubject = [...best.terms].some(
      (t) =>
        queryTerms.includes(t) &&
        bestSubject.has(t) &&
        !subjectTermsOf(lastEntry).has(t) &&
        !GENERIC_FOLLOW_UP.has(t) &&
        // (within the same topic it may: "¿cómo me registro?" → "¿y qué papeles llevo?")
        (!isQuestionTypeTerm(t) || bestEntry.topic === lastEntry?.topic),
    );
    // ("¿cuántos?" alone asks nothing new: the same entry, however the search ranks it)
    // ("¿y cuánto personal tiene cada una?", "¿cuántas vacunas pusieron ahí?": what it points at is the last answer)
    const lastNear = !!lastEntry && hits.slice(0, 3).some((h) => h.id === lastEntry.id);
    // ("¿cuántas camas van a sumar?" right after the answer that says "sumarán 1,356 camas")
    // (not with a new place or another institution named: "¿y en Cancún hay sala?", "¿y el ISSSTE cuántos lleva?")
    const sameGround = named.length === 0 && read.institutions.every((i) => i === prev?.institution);
    const saidThere = sameGround && lastNear && saysAllAsked(lastEntry as KnowledgeEntry, { id: (lastEntry as KnowledgeEntry).id, score: 0, terms: new Set(queryTerms) });
    // (a pronoun points at the last answer's object, not at its entry: "¿y cuándo me la entregan?" after
    // the credential's register asks about the same credential, and the entry on its delivery answers)
    const pointsAtLast = pointing && named.length === 0 && !(newSubject && bestEntry.topic === lastEntry?.topic);
    const stays = (!newSubject || pointsAtLast || saidThere) && (lastNear || (nothingNew && queryTerms.length > 0));
    // (unless a state is named and the new entry, not the last one, has its figure: "¿y en Oaxaca cuántas clínicas entraron?")
    const stateFigure = !!state && !!bestEntry.by_state?.[state.name] && !lastEntry?.by_state?.[state.name];
    if (lastEntry && lastEntry.id !== bestEntry.id && stays && !stateFigure && lastEntry.kind !== 'referral') {
      // ("¿y eso se paga o es gratis?" after the mental-health service, whose entry says nothing of cost: free care answers)
      const costUnsaid = asked.has('cost') && institutions.every((i) => i === 'IMSS-BIENESTAR') && !answersCost(lastEntry) && !saysFree(lastEntry.answer);
      bestEntry = costUnsaid ? (costAnswerAmong(hits) ?? lastEntry) : lastEntry;
    }
    // A yes/no entry ("Sí hay un acuerdo…") answers only when the message names its subject.
    // (a referral, "No tengo ese dato…", is not a yes or a no)
    // ...and one about several institutions ("Tengo IMSS o ISSSTE, ¿puedo ir a IMSS-BIENESTAR?")
    // only when the message names one besides IMSS-BIENESTAR: "no tenemos seguro, ¿a quién atiende el Bienestar?" is not that question.
    // (in a follow-up, the conversation so far counts: "tiene ISSSTE" → "¿y puede ir al centro de salud?")
    // (so it does in a question of whether one may go, right after saying whose one is: "soy maestra con ISSSTE…" → "¿puedo pasar consulta en el centro de salud del Bienestar?")
    const soFar = !!prev?.institution && (followUp || (asked.has('eligibility') && prev.institution !== 'IMSS-BIENESTAR'));
    const namedSoFar = soFar && prev?.institution ? [...institutions, prev.institution] : institutions;
    // (and one that the person has, or two named: "¿puedo pagar el IMSS desde Chicago?" is no question of going to another's clinic)
    const namesOther = (e: KnowledgeEntry) =>
      (followUp && prev?.entryId === e.id) ||
      ((held || read.institutions.length > 1 || soFar) && namedSoFar.some((i) => i !== 'IMSS-BIENESTAR' && e.institutions.includes(i as never)));
    const unanswered = (h: Hit, e: KnowledgeEntry) => (opensYesNo(e) && !namesSubject(h, e)) || (saysYesOrNo(e) && spansInstitutions(e) && !namesOther(e));
    if (unanswered(best, bestEntry)) {
      // (one who says they have neither the IMSS nor the ISSSTE is not asking what those who have them may do)
      const denied = read.negated.size > 0 && !held && institutions.every((i) => i === 'IMSS-BIENESTAR') && spansInstitutions(bestEntry);
      const ratio = denied ? options.deniedSwapRatio : options.subjectSwapRatio;
      const next = hits
        .slice(1, 4)
        // (and matches a telling word as the leader had to: never a neighbour through "IMSS-BIENESTAR" and a slip)
        .filter((h) => h.score >= ratio * best.score && (h.focus ?? 1) >= focusNeeded)
        .map((h) => ({ h, e: kb.entriesById.get(h.id) as KnowledgeEntry }))
        .find(({ h, e }) => !unanswered(h, e));
      if (next) bestEntry = next.e;
      else {
        // Never a confident "Sí" on the wrong subject: ask which of the nearest topics it is.
        const choices = hits
          .slice(0, 3)
          .map((h) => kb.entriesById.get(h.id) as KnowledgeEntry)
          .filter((e) => e.kind !== 'referral');
        if (choices.length >= 2) {
          ctx.options = choices.map((e) => ({ type: 'entry', id: e.id }));
          const labels = choices.map((e) => e.title);
          return said(
            `«${bestEntry.id}» contesta sí o no, pero el mensaje no nombra su tema: se pregunta cuál`,
            make('clarify', bestEntry.topic, `${conv.clarify_intro}\n${numbered(labels)}`, {
              options: labels,
              score: best.score,
              sources: choices.map((e) => sourceOf(kb, e)),
            }),
          );
        }
      }
    }
    // An age was given: the close entry that has age groups answers ("tengo 35, ¿me toca la de la influenza?").
    if (age && !bestEntry.ages) {
      // ...if the message names its subject: "mis niños de 3 y 8 años, ¿necesitan credencial?" is no vaccine question
      const byAge = hits
        .slice(1, 4)
        .filter((h) => h.score >= options.clarifyOptionRatio * best.score)
        .map((h) => ({ h, e: kb.entriesById.get(h.id) }))
        .find(({ h, e }) => e?.ages && namesSubject(h, e))?.e;
      if (byAge) bestEntry = byAge;
    }
    const rivals = hits
      .slice(1)
      .filter((h) => h.score >= best.score * options.clarifyOptionRatio)
      .map((h) => kb.entriesById.get(h.id) as KnowledgeEntry)
      // (the leader may have been swapped for an entry further down: never offered twice)
      .filter((e) => e.kind !== 'referral' && e.id !== bestEntry.id);
    const second = hits[1];
    if (
      !followUp &&
      // (the entry with the state's own line was chosen on purpose: no question back)
      !forStateLeads &&
      // (nor when the leader's answer says every telling word asked: "¿cuántas UMAE tiene el IMSS?")
      !saysAllAsked(bestEntry, best) &&
      queryTerms.length <= options.clarifyMaxTerms &&
      second &&
      second.score >= best.score * options.clarifyRatio &&
      rivals.length > 0 &&
      bestEntry.kind !== 'referral'
    ) {
      const choices = [bestEntry, ...rivals].slice(0, 3);
      // "¿Qué hospitales construyen en Tamaulipas?" between lists of units: the list that names
      // the most units there answers, with no question back.
      if (state && choices.every((e) => e.units)) {
        const widest = choices.reduce((a, b) => (unitsFor(b, state).length > unitsFor(a, state).length ? b : a));
        if (unitsFor(widest, state).length > 0) {
          if (trace) trace.decision = `listas de unidades muy cercanas: la que más nombra en ${state.name}, ${widest.id}`;
          return remember(answerEntry(widest, ctx, best.score, { state, age, conditions, list: plural }), ctx, queryWords.join(' '));
        }
      }
      if (trace) trace.decision = 'dos o tres entradas muy cercanas: se pregunta cuál';
      ctx.options = choices.map((e) => ({ type: 'entry', id: e.id }));
      const labels = choices.map((e) => e.title);
      // (the question is kept: "¿y si fuera del ISSSTE?" instead of a number reads it again)
      ctx.entryId = undefined;
      ctx.unitId = undefined;
      const r = make('clarify', bestEntry.topic, `${conv.clarify_intro}\n${numbered(labels)}`, {
        options: labels,
        score: best.score,
        sources: choices.map((e) => sourceOf(kb, e)),
      });
      return remember(r, ctx, queryWords.join(' '));
    }

    if (institutions.length === 1 && ['IMSS-BIENESTAR', 'IMSS', 'ISSSTE'].includes(institutions[0] as string))
      ctx.institution = institutions[0];
    else if (institutions.length === 0 && bestEntry.institutions.length === 1 && bestEntry.institutions[0] !== 'SECTOR')
      ctx.institution = bestEntry.institutions[0];
    if (trace) trace.decision = `la mejor entrada: ${bestEntry.id}`;
    // The same entry again in a follow-up keeps the state said before ("¿hay módulos en la CDMX?" → "¿cuántos?").
    // "¿cuántas personas se han registrado en todo el país?" from Xalapa asks no figure for Veracruz.
    const national = words.some((w) => NATIONAL_WORDS.has(w));
    // (from one table by state to another, the state stays: "módulos en Puebla" → "¿y médicos cubanos?")
    const tableToTable = !!lastEntry?.by_state && !!remembered && !!bestEntry.by_state?.[remembered.name];
    const stateNow = national ? undefined : (state ?? (bestEntry === lastEntry || tableToTable ? remembered : undefined));
    // "¿Cuánto gana un camillero en el IMSS?" answered by an IMSS-BIENESTAR entry: the nearest entry
    // of the institution named, or, with none near, a word that the answer is another institution's.
    const namedNow = read.institutions.length === 1 && !held ? read.institutions[0] : undefined;
    const otherHouse = (e: KnowledgeEntry) => !!namedNow && namedNow !== 'IMSS-BIENESTAR' && !e.institutions.includes(namedNow as never) && !e.institutions.includes('SECTOR' as never);
    if (otherHouse(bestEntry)) {
      // (on the same subject: "¿en el ISSSTE hay salud mental?" is not answered by the IMSS-ISSSTE agreement)
      // (of the question itself, in a long message: "mi mamá dice que siempre le dicen que no hay" is story)
      const questionTerms = focusOf() ? new Set(index.termsOf(focusWordsOf())) : undefined;
      const subject = [...best.terms].filter((t) => !INSTITUTION_TERMS.has(t) && !EVERYDAY_TERMS.has(t) && !isQuestionTypeTerm(t) && (!questionTerms || questionTerms.has(t)));
      const ours = hits
        .slice(0, 5)
        .filter((h) => h.score >= options.institutionSwapRatio * best.score && subject.every((t) => h.terms.has(t)) && !otherHouse(kb.entriesById.get(h.id) as KnowledgeEntry));
      // (one that answers before one that says it has no data: "¿en el ISSSTE no hay medicinas?" has the ISSSTE's supply figure)
      // (and, first, one whose title shares the leader's subject: after "¿en el Bienestar sí dan las
      // medicinas?", "¿y en el ISSSTE? dice que nunca hay" wants the ISSSTE's medicines, not the agreement)
      const leaderTitle = canonicalTitleTermsOf(bestEntry);
      const kin = (h: Hit) =>
        [...canonicalTitleTermsOf(kb.entriesById.get(h.id) as KnowledgeEntry)].some((t) => leaderTitle.has(t) && !INSTITUTION_TERMS.has(t) && !EVERYDAY_TERMS.has(t));
      const answers = (h: Hit) => kb.entriesById.get(h.id)?.kind !== 'referral';
      const own = ours.find((h) => answers(h) && kin(h)) ?? ours.find(answers) ?? ours[0];
      if (own) bestEntry = kb.entriesById.get(own.id) as KnowledgeEntry;
    }
    const reply = answerEntry(bestEntry, ctx, best.score, { state: stateNow, age, conditions, list: plural, terms: queryTerms, figure: figureAsked });
    if (otherHouse(bestEntry) && reply.kind === 'answer')
      reply.text = `${conv.other_institution.replace('{asked}', namedNow as string).replace('{answered}', bestEntry.institutions.join(' e ')).trim()}\n\n${reply.text}`;
    // "Me pasan el WhatsApp donde preguntan lo de la credencial": the reports have no numbers; say so first.
    // (an answer that says it already, "no publican el teléfono", needs no preface; one that gives a number, never)
    if (asksNumber(focusOf() ? focusWordsOf() : canonical) && reply.kind === 'answer' && !SAYS_NO_NUMBER.test(normalize(reply.text)) && !PHONE.test(reply.text)) {
      reply.text = `${conv.no_number.trim()}\n\n${reply.text}`;
      // (what is asked is not known: a fallback, as for a unit's phone, with what is known)
      reply.kind = 'fallback';
    }
    // "¿Cuánto gana un camillero?": pay is in the reports for one programme only; say when the answer has none.
    // (an answer that gives some pay: "30 días de sueldo" as a one-off payment is no one's pay)
    // (nor does the doctors' pay answer for another job: "¿cuánto gana una enfermera auxiliar ahí?")
    else if (canonical.includes('sueldo') && reply.kind === 'answer' && (!GIVES_PAY.test(reply.text) || asksOtherJobsPay(words, canonical)))
      reply.text = `${conv.no_salary.trim()}\n\n${reply.text}`;
    // "¿A qué edad ponen la del papiloma?" answered by an entry that gives no ages: say so first.
    else if (asksAnAge(words) && !ageSaid && reply.kind === 'answer' && !bestEntry.ages && !GIVES_AGE.test(normalize(reply.text)))
      reply.text = `${conv.no_age.trim()}\n\n${reply.text}`;
    // "¿Cuánto cobran la hemodiálisis en el Bienestar?" answered by the hemodialysis entry: it
    // says first that care is free, which that entry does not.
    // ("No tenemos seguro de nada, ¿la pueden tratar del cáncer?" asks the same: whether it is for them, and free)
    const withoutSocialSecurity = canonical.some((w, i) => (w === 'imss' || w === 'seguro') && negatedAt(canonical, i));
    if (
      reply.kind === 'answer' &&
      ((asked.has('cost') && namesService(ownTerms)) || (asked.has('eligibility') && withoutSocialSecurity)) &&
      costEntry &&
      bestEntry.institutions.includes('IMSS-BIENESTAR') &&
      institutions.every((i) => i === 'IMSS-BIENESTAR') &&
      (!state || state.federalized) &&
      !saysFree(bestEntry.answer)
    ) {
      reply.text = `${conv.free_care.trim()}\n\n${reply.text}`;
      reply.sources = [...reply.sources, sourceOf(kb, costEntry)];
    }
    return remember(reply, ctx, queryWords.join(' '));
  }

  /**
   * Searches a long message by the question inside it when that question alone is answered well
   * enough; otherwise by all its words.
   */
  function searchFocused(focusWordsOf: () => readonly string[], queryWords: readonly string[]): Hit[] {
    const whole = index.searchEntries(queryWords);
    // Only when the whole message is not already answered well (and only then pay a second search).
    if ((whole[0]?.coverage ?? 0) >= options.focusSkipCoverage) return whole;
    const focusWords = focusWordsOf();
    if (focusWords.length === 0) return whole;
    const placeWords = new Set(gazetteer.find(focusWords).flatMap((p) => focusWords.slice(p.start, p.end)));
    const focused = index.searchEntries(focusWords.filter((w) => !placeWords.has(w)));
    const best = focused[0];
    // (the question covered far better than the whole message is, counts as well: a story full of
    // names and things no entry knows covers next to nothing)
    const covered = best?.coverage ?? 0;
    const leads = covered >= options.focusCoverage || (covered >= options.focusCoverageFloor && covered >= options.focusOverWhole * (whole[0]?.coverage ?? 0));
    if (!best || best.score < options.minScore || !leads) return whole;
    // The question leads; the story around it still tells what "otra" or "eso" is about.
    const merged = new Map<string, Hit>(focused.map((h) => [h.id, { ...h, terms: new Set(h.terms) }]));
    for (const h of whole) {
      const m = merged.get(h.id);
      if (m) {
        m.score += options.focusStoryWeight * h.score;
        for (const t of h.terms) m.terms.add(t);
      } else merged.set(h.id, { ...h, score: options.focusStoryWeight * h.score });
    }
    return [...merged.values()].sort((a, b) => b.score - a.score);
  }

  /**
   * The person's own words, before synonyms ("opera" is not "cirugía" in "¿el Bienestar opera en
   * Sonora?"), without places and without the reason that follows the question: those of the
   * question inside a long message, when there is one.
   */
  function plainTermsOf(focusText: string | undefined, content: readonly string[]): string[] {
    const words = mainClause(focusText ? smalltalk.strip(wordsIn(focusText)) : content);
    const placeAt = wordsOf(gazetteer.find(words));
    return index.termsOf(words.filter((w, i) => !placeAt.has(i) && !HERE_WORDS.has(w)));
  }

  /** True when the entry's answer itself has the telling words that the hit matched (at least one). */
  function saysAllAsked(e: KnowledgeEntry, h: Hit): boolean {
    const telling = [...h.terms].filter((t) => subjectWord(t));
    const said = detailSentences(e).answer;
    return telling.length > 0 && telling.every((t) => said.has(t));
  }

  /** True when the hit matched a telling word of the entry's own title or keywords. */
  function namesSubject(h: Hit, e: KnowledgeEntry): boolean {
    const subject = subjectTermsOf(e);
    const title = titleTermsOf(e);
    return [...h.terms].some((t) => subject.has(t) && index.rarity(t) >= options.subjectRarity * (title.has(t) ? options.titleSubjectFactor : 1));
  }

  /** Index terms of a text of an entry, computed once per entry and kind. */
  function memoTerms(cache: Map<string, Set<string>>, e: KnowledgeEntry, text: (e: KnowledgeEntry) => string): Set<string> {
    let terms = cache.get(e.id);
    if (!terms) cache.set(e.id, (terms = new Set(index.termsOf(wordsIn(text(e))))));
    return terms;
  }

  /** The words of an entry's title, as index terms: "embarazo" names «Embarazo, parto…». */
  const titleCache = new Map<string, Set<string>>();
  const titleTermsOf = (e: KnowledgeEntry) => memoTerms(titleCache, e, (x) => x.title);

  /** The same, in the lexicon's words ("medicinas" are "medicamentos"), to compare two entries' subjects. */
  const canonicalTitleCache = new Map<string, Set<string>>();
  const canonicalTitleTermsOf = (e: KnowledgeEntry) => memoTerms(canonicalTitleCache, e, (x) => lexicon.canonical(wordsIn(x.title)).join(' '));

  /** The words of an entry's title and keywords: what it is about, as index terms. */
  const subjectCache = new Map<string, Set<string>>();
  const subjectTermsOf = (e?: KnowledgeEntry): Set<string> => (e ? memoTerms(subjectCache, e, (x) => [x.title, ...x.keywords].join(' ')) : new Set());

  /**
   * Keeps what the answered question asked, for the next elliptical follow-up: only its words the
   * index knows (a topic, a service, a place, an institution), never the person's own text: a name,
   * a CURP, a phone number, an e-mail or any word with a digit is not kept.
   */
  function remember(reply: Reply, ctx: Session, query: string | undefined): Reply {
    if (query) ctx.lastQuery = resolvedWords(query.split(' ')).slice(-30).join(' ') || undefined;
    return reply;
  }
  /** A text's canonical index terms without its places ("y en guerrero" → none). */
  function termsOutsidePlaces(text: string): string[] {
    const canon = lexicon.canonical(smalltalk.strip(wordsIn(text)));
    const at = wordsOf(gazetteer.find(canon));
    return index.termsOf(canon.filter((_, i) => !at.has(i)));
  }

  function resolvedWords(words: readonly string[]): string[] {
    const number = (w: string | undefined) => !!w && /^\d+$/.test(w);
    const kept: string[] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      if (!w) continue;
      if (number(w)) {
        // A run of short numbers ("2024 2030", "7 dias") is kept; a phone ("55 1234 5678"), a date of birth
        // ("GOPA-800101-…") are not.
        let j = i;
        while (number(words[j + 1])) j++;
        const run = words.slice(i, j + 1);
        if (run.join('').length <= 8 && run.every((n) => n.length <= 4)) kept.push(...run);
        i = j;
        continue;
      }
      if (/\d/.test(w)) continue; // a CURP, an RFC, a folio
      const terms = index.termsOf([w]);
      // (a word the index drops, "y", "la", "que", says nothing about the person)
      if (terms.length === 0 || terms.some((t) => index.knows(t))) kept.push(w);
    }
    return kept;
  }

  // A channel asks the triage of one message several times (duplicates, rate limit, per-chat
  // queue, `handleMessage`): the same text gets the same result, kept for the last few hundred.
  const recentTriage = new Map<string, TriageResult>();
  const triageOnce: Triage = (text) => {
    let r = recentTriage.get(text);
    if (r === undefined) {
      r = triage(text);
      if (recentTriage.size >= 512) recentTriage.clear();
      recentTriage.set(text, r);
    }
    return r;
  };
  return { respond, explain, triage: triageOnce, knowledge: kb, index, options };
}
