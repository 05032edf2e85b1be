import { describe, expect, it } from 'vitest';
import { formatWhatsApp, splitWhatsApp } from '../../../src/channels/whatsapp/format-whatsapp.js';
import type { Reply } from '../../../src/core/types.js';

const footer = 'Fuente: Informe semestral de IMSS-BIENESTAR (enero-junio 2024), «Credencialización». Datos al 30 de junio de 2024.';
const reply = (over: Partial<Reply>): Reply => ({ kind: 'answer', intent: 'tramites', text: '', options: [], sources: [], score: 1, ...over });

describe('formatWhatsApp', () => {
  it('bolds the heading of a numbered menu and keeps the numbers to answer with', () => {
    const menu = reply({ kind: 'smalltalk', text: 'Temas:\n1. Trámites\n2. Obras', options: ['Trámites', 'Obras'] });
    expect(formatWhatsApp(menu)).toEqual(['*Temas:*\n1. Trámites\n2. Obras']);
  });

  it('puts the source and date last, in italics, and bolds the related-topics heading', () => {
    const answer = reply({
      text: `Te registras en un módulo.\n\nTambién te puede servir:\n1. Para qué sirve el código QR\n\n${footer}`,
      options: ['Para qué sirve el código QR'],
      footer,
    });
    expect(formatWhatsApp(answer)).toEqual([
      `Te registras en un módulo.\n\n*También te puede servir:*\n1. Para qué sirve el código QR\n\n_${footer}_`,
    ]);
  });

  it('splits a long reply at paragraph breaks, each message under the limit, the source on the last', () => {
    const para = 'Palabra '.repeat(40).trim();
    const long = reply({ text: `${para}.\n\n${para}.\n\n${para}.\n\n${footer}`, footer });
    const out = formatWhatsApp(long, { maxLength: 400 });
    expect(out.length).toBeGreaterThan(1);
    for (const m of out) expect(m.length).toBeLessThanOrEqual(400);
    expect(out.at(-1)?.endsWith(`_${footer}_`)).toBe(true);
    expect(out.join(' ').replace(/_/g, '')).toContain(para);
  });

  it('caps the number of messages but keeps the source line', () => {
    const para = 'Texto '.repeat(60).trim();
    const long = reply({ text: `${Array(10).fill(para).join('\n\n')}\n\n${footer}`, footer });
    const out = formatWhatsApp(long, { maxLength: 400, maxMessages: 3 });
    expect(out).toHaveLength(3);
    expect(out[1]?.endsWith('…')).toBe(true);
    expect(out[2]).toBe(`_${footer}_`);
  });

  it('never sends an empty message', () => {
    expect(formatWhatsApp(reply({ text: '  ' }))).toEqual(['…']);
  });
});

describe('splitWhatsApp', () => {
  it('cuts at a space rather than mid-word, and never inside an emoji', () => {
    expect(splitWhatsApp('uno dos tres cuatro', 10)).toEqual(['uno dos', 'tres', 'cuatro']);
    const emoji = `${'a'.repeat(49)}😀b`;
    const parts = splitWhatsApp(emoji, 50);
    expect(parts.join('')).toBe(emoji);
    expect(parts[0]).toBe('a'.repeat(49));
  });
});
