import { describe, expect, it } from 'vitest';
import { parseCallbackData } from '../../../src/channels/telegram/callback-data.js';
import { parseHtml } from '../../../src/channels/telegram/fake-bot-api.js';
import { escapeHtml, formatTelegram, splitText } from '../../../src/channels/telegram/format-telegram.js';
import type { Reply } from '../../../src/core/types.js';

const FOOTER = 'Fuente: Informe semestral IMSS-BIENESTAR, «Credencialización». Datos al 30 de junio de 2024.';

function reply(fields: Partial<Reply> = {}): Reply {
  return {
    kind: 'answer',
    intent: 'tramites',
    text: `Te registras en un módulo <o en línea> & listo.\n\nTambién te puede servir:\n1. Para qué sirve el código QR\n\n${FOOTER}`,
    options: ['Para qué sirve el código QR'],
    sources: [{ id: 'credencial-registro', document: 'Informe', as_of: '2024-06-30' }],
    score: 12,
    footer: FOOTER,
    ...fields,
  };
}

describe('formatTelegram', () => {
  it('escapes the HTML Telegram would reject and sets the source line apart in italics at the end', () => {
    const [m, ...rest] = formatTelegram(reply());
    expect(rest).toHaveLength(0);
    expect(m?.text).toContain('&lt;o en línea&gt; &amp; listo');
    expect(m?.text.endsWith(`\n\n<i>${FOOTER}</i>`)).toBe(true);
    expect(m?.text.match(/Fuente:/g)).toHaveLength(1);
    expect(parseHtml(m?.text ?? '')).toBeTypeOf('string');
  });

  it('turns options into numbered buttons and adds 👍/👎 with the entry id under answers', () => {
    const rows = formatTelegram(reply())[0]?.keyboard?.inline_keyboard ?? [];
    expect(rows[0]).toEqual([{ text: '1. Para qué sirve el código QR', callback_data: 'o:1' }]);
    expect(rows[1]?.map((b) => ('callback_data' in b ? parseCallbackData(b.callback_data) : undefined))).toEqual([
      { type: 'feedback', useful: true, entryId: 'credencial-registro' },
      { type: 'feedback', useful: false, entryId: 'credencial-registro' },
    ]);
  });

  it('asks for feedback only under answers from an entry', () => {
    const clarify = formatTelegram(reply({ kind: 'clarify', options: ['Vacuna de COVID', 'Vacuna de influenza'], footer: undefined }));
    expect(clarify[0]?.keyboard?.inline_keyboard.map((r) => r.length)).toEqual([1, 1]);
    expect(formatTelegram(reply({ kind: 'emergency', options: [], sources: [] }))[0]?.keyboard).toBeUndefined();
    expect(formatTelegram(reply({ kind: 'fallback', options: [] }))[0]?.keyboard).toBeUndefined();
  });

  it('splits a long reply under 4,096 characters at paragraph breaks, keeping every word, buttons on the last', () => {
    const paragraph = `${'Requisitos & <datos> '.repeat(60).trim()}.`;
    const long = reply({ text: `${Array.from({ length: 12 }, () => paragraph).join('\n\n')}\n\n${FOOTER}` });
    const messages = formatTelegram(long);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(m.text.length).toBeLessThanOrEqual(4096);
      expect(parseHtml(m.text)).toBeTypeOf('string');
    }
    expect(messages.slice(0, -1).every((m) => !m.keyboard)).toBe(true);
    expect(messages.at(-1)?.keyboard).toBeDefined();
    const shown = messages.map((m) => parseHtml(m.text) as string).join(' ');
    expect(shown.match(/Requisitos/g)).toHaveLength(12 * 60);
    expect(shown.trimEnd().endsWith(FOOTER)).toBe(true);
  });

  it('cuts a word longer than a message without breaking an emoji in two', () => {
    const pieces = splitText('🙏'.repeat(30), 11);
    expect(pieces.join('')).toBe('🙏'.repeat(30));
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(11);
      expect(p).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });

  it('shortens very long button labels', () => {
    const name = 'Hospital General de Especialidades del Bienestar de San Juan Bautista Tuxtepec, Oaxaca';
    const label = formatTelegram(reply({ options: [name] }))[0]?.keyboard?.inline_keyboard[0]?.[0]?.text ?? '';
    expect([...label].length).toBeLessThanOrEqual(60);
    expect(label.endsWith('…')).toBe(true);
  });

  it('escapes only &, < and >', () => {
    expect(escapeHtml(`a<b>&"c'`)).toBe(`a&lt;b&gt;&amp;"c'`);
  });
});

describe('callback data', () => {
  it('ignores data Orienta did not put on a button', () => {
    for (const data of [undefined, '', 'o:', 'o:0', 'o:123', 'x:1', 'f:2:id', 'f:1:']) expect(parseCallbackData(data)).toBeUndefined();
  });
});
