import { compileTerms } from '../core/triage/compile-terms.js';
import { createTriage } from '../core/triage/triage.js';
import { nearest } from '../text/edit-distance.js';
import { normalize } from '../text/normalize.js';
import { PHONE } from './explain-yaml.js';
import type { Knowledge, Problem } from './load-knowledge.js';

/** Limits the checks apply; the answer must fit one chat message comfortably. */
export const KNOWLEDGE_LIMITS = {
  answerChars: 700,
  detailsChars: 1500,
  summaryChars: 400,
} as const;

/** Phone numbers (`PHONE`) and e-mail addresses: the reports contain none, so none may appear in an answer. */
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/;

/**
 * Checks that need the whole knowledge base: references between files, duplicates, lengths,
 * and the safety rule that no answer contains a phone number or e-mail address.
 */
export function checkKnowledge(
  kb: Knowledge,
  files: {
    statesFile: string;
    conversationFile: string;
    emergencyFile?: string;
    /** The lines where a record with this `id` starts in `file`, in order (two for an id repeated in one file). */
    linesOf?: (file: string, id: string) => number[];
  },
): Problem[] {
  const problems: Problem[] = [];
  const seenIds = new Map<string, string>();
  const duplicated = new Set<string>();
  const occurrences = new Map<string, number>();
  const lineOf = (file: string, id: string, nth: number) => files.linesOf?.(file, id)[nth];
  const claim = (id: string, file: string) => {
    const key = `${file}\0${id}`;
    const nth = occurrences.get(key) ?? 0;
    occurrences.set(key, nth + 1);
    const other = seenIds.get(id);
    if (other !== undefined) {
      duplicated.add(id);
      const line = lineOf(file, id, nth);
      const otherLine = lineOf(other, id, 0);
      problems.push({
        severity: 'error',
        file,
        entry: id,
        field: 'id',
        line,
        message:
          `el id «${id}» está dos veces: en ${otherLine ? `${other}, línea ${otherLine}` : other} y en ` +
          `${line ? `${file}, línea ${line}` : file} (esta); cada id debe ser único: cambie uno de los dos`,
      });
    } else seenIds.set(id, file);
  };
  const noContacts = (file: string, entry: string, field: string, text: string | undefined) => {
    if (!text) return;
    if (PHONE.test(text))
      problems.push({
        severity: 'error',
        file,
        entry,
        field,
        message:
          'hay algo que parece un número de teléfono (en la línea mostrada lleva # en vez de cifras): bórrelo; los informes no traen teléfonos, no escriba ninguno (el 911 y la Línea de la Vida van en emergencias.yaml)',
      });
    if (EMAIL.test(text))
      problems.push({ severity: 'error', file, entry, field, message: 'parece un correo: los informes no traen ninguno' });
  };
  const tooLong = (file: string, entry: string, field: string, text: string | undefined, max: number) => {
    if (text && text.length > max)
      problems.push({
        severity: 'warning',
        file,
        entry,
        field,
        message: `tiene ${text.length} caracteres; procure no pasar de ${max} para que quepa en un mensaje (lo demás puede ir en «details»)`,
      });
  };
  const knownSource = (file: string, entry: string, documents: readonly string[]) => {
    for (const document of documents)
    if (!kb.sources.has(document))
      problems.push({
        severity: 'error',
        file,
        entry,
        field: 'source.document',
        message: `no existe el informe «${document}»; use uno de: ${[...kb.sources.keys()].join(', ')}`,
      });
  };

  const stateNames = new Set(kb.states.map((s) => s.name));
  const notAState = (name: string) => {
    const guess = nearest(name, stateNames);
    return guess
      ? `«${name}» no es un estado de states.yaml: ¿quiso decir «${guess}»?`
      : `«${name}» no es un estado de states.yaml; escriba el nombre tal como aparece ahí (por ejemplo «Estado de México»)`;
  };
  if (stateNames.size !== kb.states.length)
    problems.push({ severity: 'error', file: files.statesFile, message: 'hay un estado repetido' });

  const questionOwner = new Map<string, string>();
  for (const e of kb.entries) {
    claim(e.id, e.file);
    knownSource(e.file, e.id, e.source.document);
    noContacts(e.file, e.id, 'answer', e.answer);
    noContacts(e.file, e.id, 'details', e.details);
    tooLong(e.file, e.id, 'answer', e.answer, KNOWLEDGE_LIMITS.answerChars);
    tooLong(e.file, e.id, 'details', e.details, KNOWLEDGE_LIMITS.detailsChars);
    for (const q of e.questions) {
      const key = normalize(q);
      const owner = questionOwner.get(key);
      if (owner && owner !== e.id)
        problems.push({
          severity: 'warning',
          file: e.file,
          entry: e.id,
          field: 'questions',
          message: `la pregunta «${q}» también está en la entrada «${owner}»: el bot no sabrá cuál elegir`,
        });
      else questionOwner.set(key, e.id);
    }
    for (const name of Object.keys(e.by_state ?? {}))
      if (!stateNames.has(name))
        problems.push({
          severity: 'error',
          file: e.file,
          entry: e.id,
          field: `by_state.${name}`,
          message: notAState(name),
        });
    if (e.units && !kb.units.some((u) => e.units?.categories.includes(u.category)))
      problems.push({
        severity: 'warning',
        file: e.file,
        entry: e.id,
        field: 'units',
        message: 'ninguna unidad tiene esas categorías todavía',
      });
  }
  for (const u of kb.units) {
    claim(u.id, u.file);
    knownSource(u.file, u.id, u.source.document);
    noContacts(u.file, u.id, 'summary', u.summary);
    tooLong(u.file, u.id, 'summary', u.summary, KNOWLEDGE_LIMITS.summaryChars);
    if (!stateNames.has(u.state))
      problems.push({
        severity: 'error',
        file: u.file,
        entry: u.id,
        field: 'state',
        message: notAState(u.state),
      });
  }

  // A repeated id usually means an entry's id was changed into another's: the entries that named
  // the old id in `related` follow from that one mistake, so they wait until it is fixed.
  const brokenRelated: Problem[] = [];
  for (const e of kb.entries)
    for (const r of e.related ?? [])
      if (!kb.entriesById.has(r)) {
        const guess = nearest(r, kb.entriesById.keys());
        brokenRelated.push({
          severity: 'error',
          file: e.file,
          entry: e.id,
          field: 'related',
          message: `no existe una entrada con id «${r}»${guess ? `: ¿quiso decir «${guess}»?` : ''}`,
        });
      }
  if (duplicated.size === 0) problems.push(...brokenRelated);
  else if (brokenRelated.length > 0)
    for (const p of problems)
      if (p.field === 'id' && p.entry && duplicated.has(p.entry))
        p.message += `. Después vuelva a correr kb:check: ${brokenRelated.length === 1 ? 'un «related» apunta a un id que no existe' : `${brokenRelated.length} «related» apuntan a ids que no existen`} (quizá el id que se cambió)`;

  if (files.emergencyFile) problems.push(...checkEmergencyRules(kb, files.emergencyFile));

  const topicIds = new Set(kb.topics.map((t) => t.topic));
  for (const m of kb.conversation.menu)
    if (!topicIds.has(m.topic))
      problems.push({
        severity: 'error',
        file: files.conversationFile,
        field: 'menu',
        message: `el menú apunta al tema «${m.topic}», que no existe; temas: ${[...topicIds].join(', ')}`,
      });
  const topicFiles = new Map<string, string>();
  for (const t of kb.topics) {
    const other = topicFiles.get(t.topic);
    if (other)
      problems.push({
        severity: 'error',
        file: t.file,
        field: 'topic',
        message: `el tema «${t.topic}» ya existe en ${other}`,
      });
    else topicFiles.set(t.topic, t.file);
  }
  return problems;
}

/**
 * The emergency rules: every word pattern must compile, and every example message the clinical
 * staff wrote under `examples` must still be read as they said (an alarm, or not).
 */
function checkEmergencyRules(kb: Knowledge, file: string): Problem[] {
  const problems: Problem[] = [];
  const f = kb.emergency;
  const lists: [string, readonly string[]][] = [
    ...Object.entries(f.concepts).map(([name, terms]) => [`concepts.${name}`, terms] as [string, readonly string[]]),
    ...Object.entries(f.context).map(([name, terms]) => [`context.${name}`, terms ?? []] as [string, readonly string[]]),
  ];
  for (const p of compileTerms(lists).problems)
    problems.push({ severity: 'error', file, field: p.concept, message: `en «${p.term}»: ${p.message}` });
  if (problems.length > 0 || !f.examples) return problems;
  const triage = createTriage(f);
  for (const text of f.examples.alarm) {
    const level = triage(text).level;
    if (level !== 'emergency' && level !== 'crisis')
      problems.push({ severity: 'error', file, field: 'examples.alarm', message: `«${text}» ya no se lee como emergencia: revise las reglas que cambió` });
  }
  for (const text of f.examples.no_alarm) {
    const level = triage(text).level;
    if (level === 'emergency' || level === 'crisis')
      problems.push({ severity: 'error', file, field: 'examples.no_alarm', message: `«${text}» se lee como emergencia y no lo es: revise las reglas que cambió` });
  }
  return problems;
}
