/**
 * Removes personal data from text before it is stored: e-mail addresses, CURPs and phone
 * numbers (8 or more digits, with or without spaces, dashes, dots or a leading +).
 *
 * ```ts
 * redact('soy JUAP800101HDFRRN09, mi cel 55 1234 5678'); // 'soy [CURP], mi cel [teléfono]'
 * ```
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/giu;
const CURP = /\b[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{5}[A-Z0-9]\d\b/gi;
const PHONE = /\+?\d(?:[\s.()-]*\d){7,}/g;

export function redact(text: string): string {
  return text.replace(EMAIL, '[correo]').replace(CURP, '[CURP]').replace(PHONE, '[teléfono]');
}
