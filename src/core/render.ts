import type { Knowledge, KnowledgeEntry, KnowledgeUnit } from '../knowledge/load-knowledge.js';
import type { ReplySource } from './types.js';

const MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];

/** `2024-06-30` → `30 de junio de 2024`. */
export function spanishDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} de ${MONTHS[(m ?? 1) - 1]} de ${y}`;
}

/** Number as Mexico writes it: 7866426 → "7,866,426"; 89.45 → "89.45" (two decimals at most). */
export function formatNumber(n: number): string {
  const [int, dec] = String(Math.round(n * 100) / 100).split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return dec ? `${grouped}.${dec}` : grouped;
}

/** An entry or unit: its main source, every report it cites, and the date of its data. */
type Sourced = Pick<KnowledgeEntry, 'id' | 'source' | 'documents' | 'as_of'>;

/** The reports a record draws on, the main one first (the ones its citations name after it). */
function reportsOf(r: Sourced): string[] {
  return r.documents?.length ? r.documents : r.source.document;
}

export function sourceOf(kb: Knowledge, r: Sourced): ReplySource {
  return {
    id: r.id,
    document: reportsOf(r)
      .map((d) => kb.sources.get(d)?.title ?? d)
      .join('; '),
    section: r.source.section,
    as_of: r.as_of,
  };
}

/** The closing line of every answer: whose data (every report it draws on), and as of when. */
export function footerLine(kb: Knowledge, r: Sourced): string {
  const [main, ...others] = reportsOf(r).map((d) => kb.sources.get(d)?.short ?? d);
  const also = others.length > 0 ? `; ${others.join('; ')}` : '';
  return `Fuente: ${main}, «${r.source.section}»${also}. Datos al ${spanishDate(r.as_of)}.`;
}

export function entryFooter(kb: Knowledge, e: KnowledgeEntry): string {
  return footerLine(kb, e);
}

/** Where a unit is, with the reason in brackets when the place is general knowledge, not the report's. */
export function placeOf(u: KnowledgeUnit, withState = true): string {
  const note = (field: 'municipality' | 'state', value: string | undefined) =>
    value && u.general?.[field] ? `${value} (${u.general[field]})` : value;
  return [note('municipality', u.municipality), withState ? note('state', u.state) : undefined].filter(Boolean).join(', ');
}

/** One line about a unit for lists: name, place, beds and progress. */
export function unitLine(u: KnowledgeUnit): string {
  const facts: string[] = [];
  if (u.municipality && !u.name.includes(u.municipality)) facts.push(placeOf(u, false));
  if (u.beds) facts.push(`${formatNumber(u.beds)} camas`);
  if (u.progress !== undefined) facts.push(`${formatNumber(u.progress)} % de avance`);
  else if (u.status) facts.push(u.status);
  return facts.length > 0 ? `${u.name} (${facts.join(', ')})` : u.name;
}

/** A unit described in full, as one chat message. */
export function unitText(u: KnowledgeUnit, asOfText: string): string {
  const place = placeOf(u);
  const lines = [`${u.name} (${u.institution}), ${place}.`];
  const facts: string[] = [];
  facts.push(`Tipo: ${u.type}`);
  if (u.beds) facts.push(`${formatNumber(u.beds)} camas`);
  if (u.status) facts.push(`estado: ${u.status}`);
  lines.push(`${facts.join('; ')}.`);
  if (u.progress !== undefined)
    lines.push(`Al ${asOfText} llevaba ${formatNumber(u.progress)} % de avance físico.`);
  if (u.expected) lines.push(`Fecha prevista en el informe: ${u.expected}.`);
  if (u.summary) lines.push(u.summary.trim());
  if (u.progress !== undefined && u.progress < 100)
    lines.push('Es el último dato de los informes; el avance real hoy puede ser otro.');
  return lines.join(' ');
}

/** Text of a numbered list of options, one per line. */
export function numbered(options: readonly string[]): string {
  return options.map((o, i) => `${i + 1}. ${o}`).join('\n');
}
