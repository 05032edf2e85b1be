import { describe, expect, it } from 'vitest';
import { redact } from '../../src/staff/redact.js';

describe('redact', () => {
  it.each([
    ['soy GOPA800101HDFRRN09', 'soy [CURP]'],
    ['curp GOPA 800101 HDFRRN09', 'curp [CURP]'],
    ['curp gopa-800101-hdfrrn09', 'curp [CURP]'],
    ['rfc GOPA800101AB1', 'rfc [RFC]'],
    ['rfc GOPA-800101-AB1', 'rfc [RFC]'],
    ['mi cel 55 1234 5678', 'mi cel [teléfono]'],
    ['llámame al +52 (55) 1234-5678', 'llámame al [teléfono]'],
    ['escríbeme a ana.lopez@gmail.com', 'escríbeme a [correo]'],
  ])('removes personal data: %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('leaves ages, years and everyday words alone', () => {
    const text = 'tengo 52 años, ¿la vacuna de 2024 es gratis en el centro de salud?';
    expect(redact(text)).toBe(text);
  });
});
