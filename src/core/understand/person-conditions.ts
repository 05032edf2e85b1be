/**
 * What a message says of the person besides age that the groups of a vaccine take in: pregnant
 * ("6 meses de embarazo"), a health worker ("soy enfermera"), a disease ("es hipertenso"). The
 * answer for an age outside the groups then says "no entras por edad, pero sí por estar
 * embarazada", or whether that disease is on the vaccine's list, never a bare "no te toca".
 */
export type Situation = 'pregnant' | 'healthWorker';
export type Condition = Situation | `disease:${string}`;

/** Diseases people name, with how a vaccine's list writes them. */
const DISEASES: { said: RegExp; inText: string; label: string }[] = [
  { said: /\b(?:hipertens[oa]s?|hipertension|presion alta)\b/, inText: 'hipertension', label: 'la presión alta' },
  { said: /\b(?:diabetes|diabetic[oa]s?|azucar alta)\b/, inText: 'diabetes', label: 'la diabetes' },
  { said: /\b(?:obesidad|obes[oa])\b/, inText: 'obesidad', label: 'la obesidad' },
  { said: /\b(?:asma|asmatic[oa]|epoc)\b/, inText: 'asma', label: 'el asma o la EPOC' },
  { said: /\b(?:cancer|quimio|quimioterapia)\b/, inText: 'cancer', label: 'el cáncer' },
  { said: /\b(?:vih|sida)\b/, inText: 'vih', label: 'el VIH' },
  { said: /\b(?:insuficiencia renal|rinones|dialisis|hemodialisis)\b/, inText: 'renal', label: 'la enfermedad de los riñones' },
];
export const diseaseSaid = (conditions: readonly Condition[]) => {
  const c = conditions.find((x) => x.startsWith('disease:'));
  return c ? DISEASES.find((d) => d.inText === c.slice('disease:'.length)) : undefined;
};

/** How each situation is written in a vaccine's groups, and how the reply says it. */
export const SITUATIONS: Record<Situation, { inText: string; reason: string }> = {
  pregnant: { inText: 'embarazada', reason: 'por estar embarazada' },
  healthWorker: { inText: 'personal de salud', reason: 'por ser personal de salud' },
};

const HEALTH_WORK = /\b(?:soy|es|somos|trabajo de|trabaja de) (?:un |una )?(?:enfermer[oa]s?|medic[oa]s?|doctor[a]?|doctores|personal de salud|camiller[oa]|paramedic[oa]|dentista|pasante de medicina)\b/;

/** The conditions a message (its normalised text) says: pregnant ("embarazada", "6 meses de embarazo"), a health worker ("soy enfermera"). */
export function conditionsSaid(canonical: readonly string[], text: string): Condition[] {
  const out: Condition[] = [];
  if (canonical.includes('embarazada')) out.push('pregnant');
  if (HEALTH_WORK.test(text)) out.push('healthWorker');
  const disease = DISEASES.find((d) => d.said.test(text));
  if (disease) out.push(`disease:${disease.inText}`);
  return out;
}

