import { describe, expect, it } from 'vitest';
import { compileTerms, oneTypo } from '../../../src/core/triage/compile-terms.js';
import { createTriage } from '../../../src/core/triage/triage.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';

// The real rules of knowledge/emergencias.yaml (the mini knowledge base copies them).
const triage = createTriage(loadOrThrow(makeMiniKb()).emergency);
const level = (text: string) => triage(text).level;
const alarm = (text: string) => ['emergency', 'crisis'].includes(level(text));

describe('the term language', () => {
  const m = compileTerms([
    ['DOLOR', ['dol*', 'duel*']],
    ['PICA', ['(alacran|escorpion*) pic*']],
    ['TIEMPO', ['hace # minutos', 'en ####']],
  ]);
  const concepts = (words: string) => m.find(words.split(' ')).map((h) => h.concept);

  it('matches a word family by its start, accents and sound-alike spellings folded', () => {
    expect(concepts('le duele')).toEqual(['DOLOR']);
    expect(concepts('mucho dolor')).toEqual(['DOLOR']);
    expect(concepts('pues nada')).toEqual([]);
  });

  it('takes alternatives in brackets, one extra word inside a phrase, numbers and years', () => {
    expect(concepts('escorpion le pico')).toEqual(['PICA']);
    expect(concepts('alacran pico')).toEqual(['PICA']);
    expect(concepts('hace 10 minutos')).toEqual(['TIEMPO']);
    expect(concepts('hace diez minutos')).toEqual(['TIEMPO']);
    expect(concepts('en 2019')).toEqual(['TIEMPO']);
    expect(concepts('en 40')).toEqual([]);
  });

  it('tolerates one typo in a long word, but not a different word that looks alike', () => {
    expect(oneTypo('konbulsiona', 'kombulsiona')).toBe(true);
    expect(oneTypo('konbulsiona', 'konsulsiona')).toBe(false); // s is nowhere near b
    expect(oneTypo('konbuls', 'konsult')).toBe(false);
    expect(oneTypo('desmay', 'desayu')).toBe(false);
    expect(oneTypo('inkonsiente', 'inkosiente')).toBe(true);
  });

  it('reports a pattern that cannot work', () => {
    const bad = compileTerms([['X', ['dolor.de cabeza', 'ab*']]]);
    expect(bad.problems.map((p) => p.term)).toEqual(['dolor.de cabeza', 'ab*']);
  });

  it('expands brackets of several words, or of nothing', () => {
    const m = compileTerms([['RATAS', ['(para|de) (las|) ratas'], ], ['TELE', ['salio en (la tele|el periodico)']]]);
    const concepts = (words: string) => m.find(words.split(' ')).map((h) => h.concept);
    expect(concepts('veneno para ratas')).toEqual(['RATAS']);
    expect(concepts('veneno de las ratas')).toEqual(['RATAS']);
    expect(concepts('salio en el periodico')).toEqual(['TELE']);
    expect(concepts('salio en la radio')).toEqual([]);
  });
});

describe('word families and misspellings', () => {
  it.each([
    'me esta doliendo mucho el pecho',
    'siento una opresion en el torax',
    'mi hijo se esta convulsionando',
    'MI HIJO ESTA COMBULSIONANDO',
    'mi abuela se desmallo y no responde',
    'le pico un alacran a mi niña',
    'a mi sobrino lo pico un escorpion',
    'se esta desangrando',
    'lo mordio una bibora',
  ])('"%s" is an emergency', (text) => expect(alarm(text)).toBe(true));
});

describe('concepts in any order, and combinations that are only serious together', () => {
  it('reads the concepts whatever their order', () => {
    expect(alarm('el pecho le duele horrible')).toBe(true);
    expect(alarm('alacran, le pico en la mano a mi hija')).toBe(true);
  });

  it('needs both halves of a combination', () => {
    expect(alarm('tengo 7 meses de embarazo')).toBe(false);
    expect(alarm('estoy sangrando de la encia un poquito')).toBe(false);
    expect(alarm('tengo 7 meses de embarazo y estoy sangrando')).toBe(true);
    expect(alarm('mi bebe de 9 dias')).toBe(false);
    expect(alarm('mi bebe de 9 dias tiene calentura')).toBe(true);
    expect(alarm('estoy embarazada y me duele la cabeza')).toBe(false);
    expect(alarm('estoy embarazada, me duele mucho la cabeza, tengo los pies hinchados y veo lucecitas')).toBe(true);
    expect(alarm('mi papa es diabetico')).toBe(false);
    expect(alarm('mi papa es diabetico y esta muy confundido, no me reconoce')).toBe(true);
    expect(alarm('a mi niño le pico una abeja')).toBe(false);
    expect(alarm('a mi niño le picaron un monton de abejas')).toBe(true);
  });

  it('counts one phrase as one sign, even when two concepts list it', () => {
    // "antes de irme" is both a farewell and a plan: alone it is one sign of the two needed
    expect(alarm('me interesa la plaza pero quiero saber bien antes de irme a una zona rural')).toBe(false);
    expect(alarm('ya lo decidi, me despido de todos antes de irme')).toBe(true);
  });

  it('reads "la última vez" as a time, not a farewell, unless it says goodbye', () => {
    expect(alarm('hay insulina en el centro de salud? es q la ultima vez no habia y no quiero ir de balde')).toBe(false);
    expect(alarm('les escribo por ultima vez, ya me tome todas las pastillas')).toBe(true);
  });

  it('reads "seguir" with a gerund as going on, not as being followed', () => {
    expect(alarm('cuantas semanas mas la siguen atendiendo en el imss despues de mi baja? me preocupa el parto')).toBe(false);
    expect(alarm('me siguen cobrando la consulta en el centro de salud')).toBe(false);
    expect(alarm('ayuda me siguen dos tipos en una camioneta')).toBe(true);
  });

  it('counts a negated symptom as absent', () => {
    expect(alarm('mi bebe de 9 dias no tiene fiebre, cuando le toca la vacuna')).toBe(false);
  });

  it('says which rule matched and on which words', () => {
    const r = triage('ayuda mi hijo se trago una pila de reloj');
    expect(r.level).toBe('emergency');
    expect(r.findings.map((f) => f.rule)).toContain('objeto-tragado');
    expect(r.findings[0]?.evidence.join(' ')).toMatch(/trago/);
  });
});

describe('now or not now', () => {
  it('treats a past or resolved event as no alarm, and adds the calm line instead', () => {
    expect(level('mi papa tuvo un infarto en 2019 y ya se recupero, le toca la vacuna?')).toBe('calm');
    expect(level('hace tres años le pico un alacran a mi hijo, ¿me dan constancia?')).toBe('calm');
    expect(level('mi tio fallecio de una embolia, donde tramito el acta')).toBe('calm');
  });

  it('treats an informational question as no alarm', () => {
    expect(level('que es un derrame cerebral?')).toBe('calm');
    expect(level('cuales son los sintomas del infarto')).toBe('calm');
    expect(level('como se previene la picadura de alacran')).toBe('calm');
  });

  it('lets the present win when the past and the present are both told', () => {
    expect(level('mi papa tuvo un infarto hace 3 años y ahorita le duele el pecho')).toBe('emergency');
    expect(level('se desmayo hace 5 minutos y no despierta')).toBe('emergency');
  });

  it('takes "ya está bien" as resolved, but not "está bien mal" or "bien dormida"', () => {
    expect(level('se desmayo en la fiesta pero ya esta bien, le dan incapacidad?')).toBe('calm');
    expect(level('se tomo toda la caja de pastillas y esta bien dormida no despierta')).toBe('emergency');
  });

  it('takes "gracias a Dios salió bien" as resolved, but not "le salió bien harta sangre"', () => {
    expect(level('a mi suegro le dio un infarto el sabado y gracias a dios salio bien, que es el codigo infarto?')).not.toBe('emergency');
    expect(level('a mi hermano le salio bien harta sangre de la cabeza y no para')).toBe('emergency');
  });
});

describe('idioms and names are not emergencies', () => {
  it.each([
    'me muero de hambre, a que hora abre el comedor',
    'me muero de risa con tus respuestas',
    'casi me infarto con el recibo de la luz',
    'estoy ahogada en papeles con lo del tramite',
    'el programa codigo infarto es del imss?',
    'llevo a mi mama a donar sangre, que requisitos piden',
    'el hospital tiene unidad de quemados?',
  ])('"%s"', (text) => expect(alarm(text)).toBe(false));
});

describe('suicidal crisis', () => {
  it('gets the crisis reply for direct and indirect signs', () => {
    expect(level('ya no quiero vivir')).toBe('crisis');
    expect(level('todos estarian mejor sin mi')).toBe('crisis');
    expect(level('ya les escribi una carta a mis hijos, ya no aguanto mas')).toBe('crisis');
    expect(level('mi hermana dice que se quiere morir')).toBe('crisis');
  });

  it('a past attempt with a question about therapy gets Línea de la Vida without the alarm', () => {
    expect(level('hace dos años intente suicidarme, ahora quiero terapia, el imss da psicologo?')).toBe('support');
    expect(level('cual es la tasa de suicidio en mexico, es para una tarea')).toBe('support');
  });

  it('is not told off by "tuvo" or "ya está bien" the way other rules are', () => {
    expect(level('ya esta bien de todo, ya no quiero vivir')).toBe('crisis');
  });

  it('leaves idioms about dying alone', () => {
    expect(level('me quiero morir de la verguenza jaja')).toBe('none');
  });
});

describe('robustness', () => {
  it('never throws, and stays quiet on noise', () => {
    for (const text of ['', '   ', '🙂🙂', 'a'.repeat(5000), '¿¿¿', '# # #', '(', '*'])
      expect(() => triage(text)).not.toThrow();
    expect(level('hola buenas tardes')).toBe('none');
  });
});
