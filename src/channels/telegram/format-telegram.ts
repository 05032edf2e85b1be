import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { Reply } from '../../core/types.js';
import { feedbackData, optionData } from './callback-data.js';
import { TELEGRAM_TEXTS } from './telegram-texts.js';

/** One `sendMessage` worth of a reply: HTML text and, on the last one, the inline keyboard. */
export interface TelegramMessage {
  /** Escaped HTML (`parse_mode: 'HTML'`). */
  text: string;
  keyboard?: InlineKeyboardMarkup;
}

export interface FormatTelegramOptions {
  /** Longest message, in characters of the HTML sent (Telegram's limit is 4,096). */
  maxLength?: number;
  /** Adds the 👍/👎 row under answers that come from a knowledge entry (default true). */
  feedback?: boolean;
  /** Longest button label before it is cut with "…" (default 60). */
  maxButtonLabel?: number;
}

export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

/**
 * Turns the core's reply into Telegram messages: the text escaped for HTML, split under the
 * length limit at paragraph, line or word boundaries, the "Fuente: … Datos al …" line set apart
 * in italics at the end, the numbered options as inline buttons (numbers still work as text) and
 * a feedback row under answers. Pure: no grammY calls.
 *
 * ```ts
 * for (const m of formatTelegram(reply)) await api.sendMessage(chatId, m.text, { parse_mode: 'HTML', reply_markup: m.keyboard });
 * ```
 */
export function formatTelegram(reply: Reply, opts: FormatTelegramOptions = {}): TelegramMessage[] {
  const max = opts.maxLength ?? TELEGRAM_MAX_MESSAGE_LENGTH;
  const footer = reply.footer && reply.text.trimEnd().endsWith(reply.footer) ? reply.footer : undefined;
  const body = footer ? reply.text.trimEnd().slice(0, -footer.length).trimEnd() : reply.text.trim();
  const chunks = body ? splitText(body, max).map(escapeHtml) : [];
  if (footer) {
    const small = `<i>${escapeHtml(footer)}</i>`;
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 2 + small.length <= max) chunks[chunks.length - 1] = `${last}\n\n${small}`;
    else chunks.push(...(small.length <= max ? [small] : splitText(footer, max).map(escapeHtml)));
  }
  if (chunks.length === 0) chunks.push(escapeHtml(reply.intent || '…'));

  const messages: TelegramMessage[] = chunks.map((text) => ({ text }));
  const keyboard = replyKeyboard(reply, opts);
  if (keyboard) (messages.at(-1) as TelegramMessage).keyboard = keyboard;
  return messages;
}

/** The inline keyboard of a reply: one option per row, then 👍/👎 under answers. */
export function replyKeyboard(reply: Reply, opts: FormatTelegramOptions = {}): InlineKeyboardMarkup | undefined {
  const maxLabel = opts.maxButtonLabel ?? 60;
  const rows: InlineKeyboardButton[][] = reply.options
    .slice(0, 99)
    .map((label, i) => [{ text: cut(`${i + 1}. ${label}`, maxLabel), callback_data: optionData(i + 1) }]);
  const entryId = reply.sources[0]?.id;
  if ((opts.feedback ?? true) && reply.kind === 'answer' && entryId)
    rows.push([
      { text: TELEGRAM_TEXTS.feedbackUseful, callback_data: feedbackData(true, entryId) },
      { text: TELEGRAM_TEXTS.feedbackNotUseful, callback_data: feedbackData(false, entryId) },
    ]);
  return rows.length > 0 ? { inline_keyboard: rows } : undefined;
}

/** Escapes the three characters Telegram's HTML parse mode reserves. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const escapedLength = (c: string) => (c === '&' ? 5 : c === '<' || c === '>' ? 4 : c.length);

/**
 * Splits plain text into pieces whose escaped HTML is at most `max` characters, cutting at the
 * last paragraph break, else line break, else space of each piece (and only mid-word for a
 * word longer than a message). Never splits a surrogate pair.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 8) throw new Error('splitText: max must be at least 8');
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const fit = fittingPrefix(rest, max);
    if (fit === rest.length) {
      pieces.push(rest);
      break;
    }
    let cut = rest.lastIndexOf('\n\n', fit);
    if (cut < fit / 2) cut = rest.lastIndexOf('\n', fit);
    if (cut < fit / 2) cut = rest.lastIndexOf(' ', fit);
    if (cut < fit / 2) cut = fit;
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  return pieces;
}

/** How many UTF-16 units of `text` fit in `max` escaped characters, without ending mid-pair. */
function fittingPrefix(text: string, max: number): number {
  let used = 0;
  let i = 0;
  for (const ch of text) {
    used += escapedLength(ch);
    if (used > max) return i;
    i += ch.length;
  }
  return i;
}

function cut(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}
