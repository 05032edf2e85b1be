import { z } from 'zod';

/**
 * Schemas of the knowledge files under `knowledge/`. Every type the engine uses is derived from
 * them, and `z.strictObject` makes a misspelled field an error instead of a silently ignored one.
 * Messages are in Spanish: they are read by the staff who edit the files.
 */

const ID_RULE = 'use solo minúsculas sin acentos, números y guiones (ejemplo: credencial-que-es)';
export const Id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, ID_RULE);

/** A calendar date written AAAA-MM-DD; one message per mistake (the form, or a day that does not exist). */
export const IsoDate = z.string().superRefine((s, ctx) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) {
    ctx.addIssue({ code: 'custom', message: `«${s}» no es una fecha como la esperamos: escríbala AAAA-MM-DD, por ejemplo 2024-06-30` });
    return;
  }
  // (Date.parse takes 2024-02-30 as 1 March: compare the day back)
  const d = new Date(`${s}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s)
    ctx.addIssue({ code: 'custom', message: `la fecha ${s} no existe en el calendario; revise el día y el mes (AAAA-MM-DD)` });
});

const Text = z.string().trim().min(1, 'está vacío');
/** A list item where a bare number (`2024`, which YAML reads as a number) is taken as text. */
const Word = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1, 'está vacío'));

export const INSTITUTIONS = ['IMSS-BIENESTAR', 'IMSS', 'ISSSTE', 'SECTOR'] as const;
export const Institution = z.enum(INSTITUTIONS);
export type Institution = z.infer<typeof Institution>;

export const UNIT_CATEGORIES = [
  'hospital-nuevo',
  'hospital-app',
  'imss-concluido',
  'imss-en-obra',
  'hrae',
  'obra',
  'yaqui',
  'equipamiento',
  'hemodinamia',
  'modulo-credencial',
  'otro',
] as const;
export const UnitCategory = z.enum(UNIT_CATEGORIES);
export type UnitCategory = z.infer<typeof UnitCategory>;

export const Coords = z.tuple([z.number().min(14).max(33), z.number().min(-118).max(-86)], {
  error: 'escriba [latitud, longitud] de México, por ejemplo [19.43, -99.13]',
});
export type Coords = z.infer<typeof Coords>;

export const SourceRef = z.strictObject({
  /** The report (or reports, main one first) the record draws on: `issste-2024` or `[issste-2024, imss-memoria-2024]`. */
  document: z.union([Id, z.array(Id).min(1, 'indique al menos un informe')]).transform((d) => (Array.isArray(d) ? d : [d])),
  section: Text,
  lines: z
    .string()
    .regex(/^\d{3}:\d+(-\d+)?([,;] ?(\d{3}:)?\d+(-\d+)?)*$/, 'escriba las líneas como "003:1273-1293"')
    .optional(),
});
export type SourceRef = z.infer<typeof SourceRef>;

export const Entry = z.strictObject({
  id: Id,
  title: Text.max(80, 'el título debe caber en un botón: 80 caracteres como máximo'),
  institutions: z.array(Institution).min(1, 'indique al menos una institución'),
  questions: z.array(Word).min(2, 'escriba al menos 2 preguntas de ejemplo'),
  keywords: z.array(Word).default([]),
  answer: Text,
  details: Text.optional(),
  source: SourceRef,
  as_of: IsoDate,
  related: z.array(Id).optional(),
  kind: z.enum(['answer', 'referral']).default('answer'),
  state_coverage: z.boolean().optional(),
  /**
   * The kinds of question the entry answers besides its topic (cost, contact, where, when,
   * requirements, eligibility, how, what): "¿cuánto cuesta la operación?" goes to the entry that says "cost".
   */
  question_types: z.array(z.enum(['cost', 'contact', 'where', 'when', 'requirements', 'eligibility', 'how', 'what'])).optional(),
  /**
   * The figure of each state, for an entry that is a table by state ("módulos en Puebla"): when the
   * person names a state, the reply opens with its line. Keys are state names as in states.yaml.
   */
  by_state: z.record(z.string(), Text).optional(),
  /**
   * Who qualifies by age (vaccines, programmes with an age range). When the person says an age,
   * the reply opens by telling them whether it is inside a group, and what else would qualify them.
   */
  ages: z
    .strictObject({
      groups: z
        .array(
          z.strictObject({
            from: z.number().min(0).optional(),
            to: z.number().min(0).optional(),
            unit: z.enum(['años', 'meses']).default('años'),
            label: Text,
          }),
        )
        .min(1),
      otherwise: Text.optional(),
    })
    .optional(),
  units: z
    .strictObject({
      institutions: z.array(z.enum(['IMSS-BIENESTAR', 'IMSS', 'ISSSTE'])).optional(),
      categories: z.array(UnitCategory).min(1, 'indique al menos una categoría'),
    })
    .optional(),
});
export type Entry = z.infer<typeof Entry>;

export const TopicFile = z.strictObject({
  topic: Id,
  title: Text,
  /**
   * Words that name the topic itself ("credencial", "vacuna"): a message that says one is about
   * this topic first, whatever else its story mentions ("¿mis niños también necesitan credencial?").
   */
  words: z.array(Text).optional(),
  entries: z.array(Entry).min(1, 'el archivo no tiene entradas'),
});
export type TopicFile = z.infer<typeof TopicFile>;

export const Unit = z.strictObject({
  id: Id,
  name: Text,
  aliases: z.array(Word).optional(),
  institution: z.enum(['IMSS-BIENESTAR', 'IMSS', 'ISSSTE']),
  category: UnitCategory,
  type: Text,
  municipality: Text.optional(),
  state: Text,
  beds: z.number().int().positive().optional(),
  progress: z.number().min(0).max(100, 'el avance es un porcentaje entre 0 y 100').optional(),
  status: Text.optional(),
  expected: Text.optional(),
  summary: Text.optional(),
  as_of: IsoDate,
  source: SourceRef,
  /**
   * Fields whose value is general knowledge, not the report's, each with the reason the citizen
   * reads next to it: `general: { municipality: ubicación aproximada }`.
   */
  general: z
    .partialRecord(z.enum(['name', 'type', 'municipality', 'state', 'status', 'expected']), Text)
    .optional(),
  coords: Coords.optional(),
});
export type Unit = z.infer<typeof Unit>;

export const UnitsFile = z.strictObject({ units: z.array(Unit).min(1, 'el archivo no tiene unidades') });

export const State = z.strictObject({
  name: Text,
  aliases: z.array(Word).default([]),
  federalized: z.boolean(),
  /** First two digits of the state's postal codes (SEPOMEX): "44-49" or "76". */
  postal_codes: z
    .string()
    .regex(/^\d\d(-\d\d)?$/, 'escriba los dos primeros dígitos de los códigos postales, como "44-49" o "76"')
    .optional(),
  coords: Coords,
  /** One more sentence for the coverage answer of this state (for instance, units of the older Programa IMSS-Bienestar). */
  coverage_note: Text.optional(),
  municipalities: z.array(z.strictObject({ name: Text, coords: Coords.optional() })).default([]),
});
export type State = z.infer<typeof State>;

export const StatesFile = z.strictObject({
  states: z.array(State).length(32, 'deben ser los 32 estados'),
});

export const Source = z.strictObject({
  id: Id,
  title: Text,
  short: Text,
  issuer: Text,
  date: IsoDate,
  file: Text.optional(),
  /** SHA-256 of the report's text file: the citation check refuses a changed file (its lines may have moved). */
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'la suma sha256 son 64 caracteres de 0-9 y a-f')
    .optional(),
});
export type Source = z.infer<typeof Source>;

export const SourcesFile = z.strictObject({
  sources: z.array(Source).min(1),
  /**
   * Facts many answers repeat (the institution's web page, the name of a service), cited here once:
   * an answer may then name them without a mark of its own.
   */
  common: z
    .array(
      z.strictObject({
        text: Text,
        lines: SourceRef.shape.lines.unwrap(),
      }),
    )
    .default([]),
});

/** A concept of the emergency rules: a word family in capitals, such as DOLOR or PECHO. */
const ConceptName = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'el nombre de un concepto va en MAYÚSCULAS, sin espacios ni acentos (por ejemplo DOLOR_PECHO)');

export const EmergencyRule = z
  .strictObject({
    id: Id,
    /** What the rule detects, in words for the clinical reviewers ("posible infarto"). */
    label: Text,
    crisis: z.boolean().default(false),
    /** Every item must occur (an item in brackets: any of its concepts). */
    all: z.array(z.union([ConceptName, z.array(ConceptName).min(1)])).optional(),
    /** At least one must occur. */
    any: z.array(ConceptName).min(1).optional(),
    /** At least `at_least` of these must occur. */
    of: z.array(ConceptName).min(2).optional(),
    at_least: z.number().int().min(1).optional(),
    /** The concepts must occur within this many words of each other (15 if not given). */
    near: z.number().int().min(1).max(400).optional(),
    unless: z.array(ConceptName).optional(),
    /**
     * The rule finds a condition by its name ("infarto", "embolia"), not by what is happening: with
     * no sign of now, a message that asks about paperwork or services is not an alarm.
     */
    named: z.boolean().default(false),
    /** It may be self-inflicted (a deep cut, pills): the 911 reply also gives Línea de la Vida. */
    offer_crisis_line: z.boolean().default(false),
  })
  .refine((r) => r.any?.length || r.all?.length || r.of?.length, 'la regla necesita "all", "any" u "of"')
  .refine((r) => r.at_least === undefined || (r.of && r.at_least <= r.of.length), '"at_least" necesita una lista "of" con al menos esa cantidad de conceptos');
export type EmergencyRule = z.infer<typeof EmergencyRule>;

const TermList = z.array(Text).min(1);

export const EmergencyFile = z
  .strictObject({
    message: Text,
    crisis_message: Text,
    /** Added to an answer that names a serious condition which is not happening now. */
    calm_line: Text,
    /** Added to an answer that mentions suicide in the past or as information. */
    support_line: Text,
    concepts: z.record(ConceptName, TermList),
    context: z.strictObject({
      neutral: TermList,
      now: TermList,
      now_weak: TermList.optional(),
      past: TermList,
      resolved: TermList,
      info: TermList,
      admin: TermList.optional(),
      hypothetical: TermList.optional(),
      pets: TermList.optional(),
      people: TermList.optional(),
    }),
    rules: z.array(EmergencyRule).min(1),
    /** Messages the rules must keep reading right; kb:check fails when one no longer does. */
    examples: z.strictObject({ alarm: z.array(Text).default([]), no_alarm: z.array(Text).default([]) }).optional(),
  })
  .superRefine((f, ctx) => {
    const used = new Set<string>();
    f.rules.forEach((r, i) => {
      const check = (name: string, field: string) => {
        used.add(name);
        if (!(name in f.concepts))
          ctx.addIssue({
            code: 'custom',
            path: ['rules', i, field],
            message: `el concepto «${name}» no está definido en «concepts» (¿está mal escrito?)`,
          });
      };
      for (const item of r.all ?? []) for (const n of Array.isArray(item) ? item : [item]) check(n, 'all');
      for (const n of r.any ?? []) check(n, 'any');
      for (const n of r.of ?? []) check(n, 'of');
      for (const n of r.unless ?? []) check(n, 'unless');
    });
    for (const name of Object.keys(f.concepts))
      if (!used.has(name))
        ctx.addIssue({ code: 'custom', path: ['concepts', name], message: `el concepto «${name}» no lo usa ninguna regla` });
  });
export type EmergencyFile = z.infer<typeof EmergencyFile>;

export const ConversationFile = z.strictObject({
  greeting: Text,
  thanks: Text,
  goodbye: Text,
  help: Text,
  menu_intro: Text,
  fallback: Text,
  not_understood: Text,
  no_details: Text,
  clarify_intro: Text,
  location_none: Text,
  /** Said when someone asks the phone, hours or address of a unit: the reports give none. */
  unit_contact: Text.default(
    'No tengo el teléfono, el horario, la dirección ni quién dirige cada unidad: los informes oficiales no los traen, y no quiero inventarlos. Para encontrar tu unidad y sus datos, usa «Busca tu unidad de salud» en imssbienestar.gob.mx con tu código postal, o pregunta directamente en la unidad.',
  ),
  /**
   * Said before an IMSS-BIENESTAR answer about a service when the person asked what it costs and
   * the answer does not say ("¿cuánto cobran la hemodiálisis?").
   */
  free_care: Text.default(
    'Sin seguridad social, en los 23 estados de IMSS-BIENESTAR la atención médica y de hospital es gratuita, con medicamentos (informe de enero a junio de 2024).',
  ),
  /**
   * Said before an answer when the person asked for a phone, WhatsApp or e-mail and the answer
   * gives none ("me pasan el WhatsApp de la credencial"): the reports contain no such numbers.
   */
  no_number: Text.default(
    'No tengo ese número ni ese correo: los informes oficiales no traen teléfonos, WhatsApp ni correos, y no quiero inventarlos. Esto es lo que sí dicen:',
  ),
  /**
   * Said before an answer when the person asked what a job pays and the answer does not say
   * ("¿cuánto gana un camillero?"): the reports give pay only for Médicas y Médicos del Bienestar.
   */
  no_salary: Text.default(
    'No tengo el sueldo de ese puesto: los informes oficiales no lo dan. Esto es lo que sí dicen:',
  ),
  /**
   * Said before an answer when the person asked at what age something is given and the answer
   * gives no age ("¿a qué edad ponen la vacuna del papiloma?"): the reports do not say.
   */
  no_age: Text.default('No tengo la edad para eso: los informes oficiales no dicen a qué edad se aplica. Esto es lo que sí dicen:'),
  /**
   * Said before an answer about another institution than the one the person named ("¿cuánto
   * gana un camillero en el IMSS?" answered from IMSS-BIENESTAR): `{asked}` and `{answered}` are
   * filled in.
   */
  other_institution: Text.default('Ojo: no tengo ese dato del {asked}; lo que tengo es de {answered}:'),
  /** Said after a list of units with no state named: the list by state is one message away. */
  ask_state: Text.default('Dime tu estado o tu municipio y te digo cuáles hay ahí.'),
  unit_finder: Text.default('Para encontrar la unidad más cercana a ti, usa «Busca tu unidad de salud» en imssbienestar.gob.mx con tu código postal.'),
  menu: z
    .array(z.strictObject({ label: Text, topic: Id }))
    .min(2)
    .max(9, 'el menú admite 9 opciones como máximo'),
  phrases: z.strictObject({
    greeting: z.array(Text).min(1),
    thanks: z.array(Text).min(1),
    goodbye: z.array(Text).min(1),
    help: z.array(Text).min(1),
    menu: z.array(Text).min(1),
    details: z.array(Text).min(1),
    filler: z.array(Text).default([]),
  }),
  synonyms: z
    .array(
      z.strictObject({
        means: Text,
        variants: z.array(Text).min(1),
        // words after which a one-word variant keeps its own meaning: "médica" after "unidad" is an adjective, not a doctor
        not_after: z.array(Text).optional(),
      }),
    )
    .default([]),
});
export type ConversationFile = z.infer<typeof ConversationFile>;
