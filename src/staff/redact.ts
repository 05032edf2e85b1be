/**
 * Removes personal data from text before it is stored: e-mail addresses, CURPs and RFCs (also
 * written with spaces or dashes: "GOPA 800101 HDFRRN09", "GOPA-800101-AB1") and phone numbers
 * (8 or more digits, with or without spaces, dashes, dots or a leading +).
 *
 * ```ts
 * redact('soy JUAP800101HDFRRN09, mi cel 55 1234 5678'); // 'soy [CURP], mi cel [teléfono]'
 * ```
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/giu;
const SEP = '[\\s.-]?';
// CURP: 4 letters, birth date, sex, state (2 letters), 3 consonants, a check character and digit.
const CURP = new RegExp(`\\b[A-Z][AEIOUX][A-Z]{2}${SEP}\\d{6}${SEP}[HMX]${SEP}[A-Z]{2}${SEP}[A-Z]{3}${SEP}[A-Z0-9]${SEP}\\d\\b`, 'gi');
// RFC: 3 (company) or 4 (person) letters, the date, and a 3-character homoclave.
const RFC = new RegExp(`\\b[A-ZÑ&]{3,4}${SEP}\\d{6}${SEP}[A-Z0-9]{2}[A-Z0-9]\\b`, 'gi');
const PHONE = /\+?\d(?:[\s.()-]*\d){7,}/g;

export function redact(text: string): string {
  return text.replace(EMAIL, '[correo]').replace(CURP, '[CURP]').replace(RFC, '[RFC]').replace(PHONE, '[teléfono]');
}
