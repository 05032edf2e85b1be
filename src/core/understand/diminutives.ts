import { processTerm } from '../../text/terms.js';

/**
 * The plain word behind a diminutive, when the knowledge base knows it and not the diminutive:
 * "hospitalito" → "hospital", "modulitos" → "modulos", "cliniquita" → "clinica", "papelitos" →
 * "papeles". A word the knowledge base knows as it is stays ("mosquito", "cita", "Benito").
 *
 * ```ts
 * plainForm('hospitalito', (t) => t === 'ospital') // 'hospital'
 * ```
 */
export function plainForm(word: string, known: (term: string) => boolean): string {
  const m = /^(.{3,}?)(c|ec)?it(o|a|os|as)$/.exec(word);
  if (!m) return word;
  const own = processTerm(word);
  if (own && known(own)) return word;
  const stem = (m[1] as string).replace(/qu$/, 'c').replace(/gu$/, 'g');
  const plural = (m[3] as string).endsWith('s');
  // ("hospital-ito", "papel-itos" end in a consonant; "modul-ito", "cas-ita" take a vowel back)
  const consonant = /[lnrdsz]$/.test(stem);
  const endings = plural ? (consonant ? ['es', 'os', 'as'] : ['os', 'as', 'es']) : consonant ? ['', 'o', 'a', 'e'] : ['o', 'a', 'e'];
  for (const end of endings) {
    const candidate = stem + end;
    const t = processTerm(candidate);
    if (t && known(t)) return candidate;
  }
  return word;
}
