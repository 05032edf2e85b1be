import type { EmergencyFile } from '../knowledge/schema.js';
import { compilePhrases, hasAnyPhrase, type Phrase } from '../text/phrases.js';

export interface EmergencyMatch {
  rule: string;
  crisis: boolean;
}

export type EmergencyDetector = (words: readonly string[]) => EmergencyMatch | undefined;

/**
 * Compiles the rules of `emergencias.yaml`. A rule fires when one of its `any` phrases occurs,
 * or when every `all` group has a phrase that occurs, and none of its `unless` phrases does.
 * Words match by their start ("sangr" finds "sangrando"), accents folded. Crisis rules win, so
 * the reply names Línea de la Vida.
 *
 * ```ts
 * detect(words('me duele mucho el pecho')) // { rule: 'dolor-pecho', crisis: false }
 * detect(words('¿el hospital tiene urgencias?')) // undefined
 * ```
 */
export function createEmergencyDetector(file: EmergencyFile): EmergencyDetector {
  const rules = file.rules.map((r) => ({
    id: r.id,
    crisis: r.crisis,
    any: compilePhrases(r.any ?? []),
    all: (r.all ?? []).map((g) => compilePhrases(g)),
    unless: compilePhrases(r.unless ?? []),
  }));
  const fires = (words: readonly string[], r: (typeof rules)[number]): boolean => {
    const hit =
      (r.any.length > 0 && hasAnyPhrase(words, r.any, true)) ||
      (r.all.length > 0 && r.all.every((g: Phrase[]) => hasAnyPhrase(words, g, true)));
    return hit && !hasAnyPhrase(words, r.unless, true);
  };
  return (words) => {
    let found: EmergencyMatch | undefined;
    for (const r of rules) {
      if (!fires(words, r)) continue;
      if (r.crisis) return { rule: r.id, crisis: true };
      found ??= { rule: r.id, crisis: false };
    }
    return found;
  };
}
