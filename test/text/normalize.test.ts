import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/text/normalize.js';
import { soundKey, stemTerm, terms } from '../../src/text/terms.js';

describe('normalize', () => {
  it('folds accents, case, ñ and punctuation', () => {
    expect(normalize('¿Dónde está el Módulo? ¡NIÑO!')).toBe('donde esta el modulo nino');
  });

  it('squeezes letters repeated three or more times but keeps real doubles', () => {
    expect(normalize('holaaaa graciasss')).toBe('hola gracias');
    expect(normalize('llamar carro')).toBe('llamar carro');
  });

  it('expands WhatsApp abbreviations', () => {
    expect(normalize('q onda, xq no llega? dnd la saco pa mi mama, tmb x whats')).toBe(
      'que onda porque no llega donde la saco para mi mama tambien por whatsapp',
    );
  });

  it('reads a lone "i" as the conjunction it sounds like', () => {
    expect(normalize('i en tlaxcala si ai')).toBe('y en tlaxcala si ahi');
    expect(normalize('ola buenas noches')).toBe('hola buenas noches');
  });

  it('expands the short forms of places and facilities', () => {
    expect(normalize('el hosp gral de matamoros, edo de tamps, mpio de matamoros')).toBe('el hospital general de matamoros estado de tamps municipio de matamoros');
    expect(normalize('en cuantos edos esta? tngo issste')).toBe('en cuantos estados esta tengo issste');
  });

  it('drops thousands separators so figures match', () => {
    expect(normalize('7,866,426 personas y 1.167 modulos')).toBe('7866426 personas y 1167 modulos');
  });

  it('returns an empty string for text with no letters or digits', () => {
    expect(normalize('🙏🙏 ... ¿?')).toBe('');
  });
});

describe('terms', () => {
  it('gives misspellings that sound alike the same index term', () => {
    expect(soundKey('credensial')).toBe(soundKey('credencial'));
    expect(stemTerm('ospitales')).toBe(stemTerm('hospital'));
    expect(stemTerm('bacuna')).toBe(stemTerm('vacunas'));
    expect(stemTerm('influensa')).toBe(stemTerm('influenza'));
    expect(stemTerm('medisinas')).toBe(stemTerm('medicinas'));
  });

  it('keeps words with different meanings apart', () => {
    expect(stemTerm('credencial')).not.toBe(stemTerm('consulta'));
    expect(stemTerm('vacuna')).not.toBe(stemTerm('vaca'));
    // the stemmer alone merges a school, a cousin and the first level of care
    expect(stemTerm('primaria')).not.toBe(stemTerm('primer'));
    expect(stemTerm('prima')).not.toBe(stemTerm('primer'));
    expect(stemTerm('primarias')).toBe(stemTerm('primaria'));
    expect(stemTerm('maestra')).not.toBe(stemTerm('maestria'));
    // (the Bajío is no Baja California: "el HRAE del Bajío" names its hospital)
    expect(stemTerm('bajio')).not.toBe(stemTerm('baja'));
    // ("tres veces" is no scholarship, "beca")
    expect(stemTerm('veces')).not.toBe(stemTerm('becas'));
    // (nor is a web site an appointment, a street a fall, a zone "son", Saturday "saben")
    expect(stemTerm('sitio')).not.toBe(stemTerm('cita'));
    expect(stemTerm('calle')).not.toBe(stemTerm('cayo'));
    expect(stemTerm('zona')).not.toBe(stemTerm('son'));
    expect(stemTerm('sabado')).not.toBe(stemTerm('saben'));
    expect(stemTerm('sitios')).toBe(stemTerm('sitio'));
  });

  it('reads "ll" as "y" before stemming, so a gerund spelt as it sounds keeps its stem', () => {
    expect(stemTerm('construllendo')).toBe(stemTerm('construyendo'));
  });

  it('drops stopwords and question filler but keeps negations', () => {
    expect(terms('oiga como le hago para la credencial')).toEqual(terms('credencial'));
    expect(terms('no tengo seguro')).toContain(stemTerm('no'));
  });
});
