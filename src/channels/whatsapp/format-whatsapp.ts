import type { Reply } from '../../core/types.js';

export interface FormatWhatsAppOptions {
  /** Longest message in characters (default 1,000: short enough to read on a phone at a glance). */
  maxLength?: number;
  /** Most messages one reply is split into; the rest is cut with "…" (default 4). */
  maxMessages?: number;
}

/**
 * Turns the core's reply into WhatsApp text messages: the heading line right before a
 * numbered list (the menu's, a clarify's, "También te puede servir:") in `*bold*`, options kept as the
 * numbered lines the core wrote (WhatsApp hides buttons from unofficial clients; the person
 * answers with the number), the text split at paragraph, line or word boundaries, and the
 * "Fuente: … Datos al …" line in `_italics_` at the very end. Pure: no Baileys calls.
 *
 * ```ts
 * for (const text of formatWhatsApp(reply)) await sock.sendMessage(jid, { text });
 * ```
 */
export function formatWhatsApp(reply: Reply, opts: FormatWhatsAppOptions = {}): string[] {
  const max = Math.max(opts.maxLength ?? 1000, 40);
  const maxMessages = Math.max(opts.maxMessages ?? 4, 1);
  const text = reply.text.trim();
  const footer = reply.footer && text.endsWith(reply.footer) ? reply.footer : undefined;
  const body = footer ? text.slice(0, -footer.length).trimEnd() : text;
  const chunks = body ? splitWhatsApp(boldHeadings(body), max) : [];
  if (footer) {
    const small = `_${footer}_`;
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 2 + small.length <= max) chunks[chunks.length - 1] = `${last}\n\n${small}`;
    else chunks.push(...splitWhatsApp(small, max));
  }
  if (chunks.length === 0) return ['…'];
  if (chunks.length <= maxMessages) return chunks;
  // Never drop the source line: cut the body instead.
  const kept = chunks.slice(0, maxMessages);
  const tail = footer ? `_${footer}_` : undefined;
  if (tail && !kept.at(-1)?.endsWith(tail)) {
    kept[maxMessages - 1] = tail.length <= max ? tail : (kept[maxMessages - 1] as string);
    if (maxMessages > 1) kept[maxMessages - 2] = `${(kept[maxMessages - 2] as string).slice(0, max - 2).trimEnd()} …`;
  } else kept[maxMessages - 1] = `${(kept[maxMessages - 1] as string).slice(0, max - 2).trimEnd()} …`;
  return kept;
}

/** The line right before a numbered list (`Temas:`, `¿Cuál de estos?`) becomes `*bold*`; other lines are left alone. */
function boldHeadings(text: string): string {
  const lines = text.split('\n');
  return lines
    .map((line, i) => {
      const next = lines[i + 1] ?? '';
      const t = line.trim();
      const heading = t !== '' && /^1\.\s/.test(next) && !/^\d+\.\s/.test(t) && !/[*_~]/.test(t) && t.length <= 160;
      return heading ? `*${t}*` : line;
    })
    .join('\n');
}

/**
 * Splits text into pieces of at most `max` characters at the last paragraph break, else line
 * break, else space (mid-word only for a word longer than a message); never splits a surrogate pair.
 */
export function splitWhatsApp(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    if (rest.length <= max) {
      pieces.push(rest);
      break;
    }
    let fit = max;
    const code = rest.charCodeAt(fit - 1);
    if (code >= 0xd800 && code <= 0xdbff) fit--;
    let cut = rest.lastIndexOf('\n\n', fit);
    if (cut < fit / 2) cut = rest.lastIndexOf('\n', fit);
    if (cut < fit / 2) cut = rest.lastIndexOf(' ', fit);
    if (cut <= 0) cut = fit;
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  return pieces;
}
