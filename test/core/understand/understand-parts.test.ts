import { describe, expect, it } from 'vitest';
import { dropPersonalNames, namesInText } from '../../../src/core/understand/drop-personal-names.js';
import { createLexicon } from '../../../src/core/understand/lexicon.js';
import { createGazetteer } from '../../../src/core/understand/gazetteer.js';
import { questionFocus } from '../../../src/core/understand/question-focus.js';
import { questionParts } from '../../../src/core/understand/question-parts.js';
import { questionTypes } from '../../../src/core/understand/question-type.js';
import { facilitiesOnlyDescribeSelf } from '../../../src/core/understand/self-description.js';
import { plainForm } from '../../../src/core/understand/diminutives.js';
import { joinSplitWords } from '../../../src/core/understand/split-words.js';
import { isTimeSpan, readAge } from '../../../src/core/understand/read-age.js';
import { words } from '../../../src/text/normalize.js';
import { oneEditApart } from '../../../src/text/one-edit.js';
import { terms } from '../../../src/text/terms.js';
import { loadOrThrow, REAL_KB_DIR } from '../../helpers/mini-kb.js';

describe('readAge', () => {
  it('reads years and months, in digits or words', () => {
    expect(readAge(words('tengo 35 años y estoy sano'))).toMatchObject({ value: 35, unit: 'anos', months: 420 });
    expect(readAge(words('mi bebe tiene 4 meses'))).toMatchObject({ value: 4, unit: 'meses', months: 4 });
    expect(readAge(words('y su hermanito de siete'))).toMatchObject({ value: 7, unit: 'anos' });
    expect(readAge(words('y si tengo 45?'))).toMatchObject({ value: 45 });
  });

  it('does not take a time ago, a pregnancy, a postal code or a count for an age', () => {
    expect(readAge(words('hace 3 años me operaron'))).toBeUndefined();
    expect(readAge(words('tengo 7 meses de embarazo'))).toBeUndefined();
    expect(readAge(words('mi cp es 68000'))).toBeUndefined();
    expect(readAge(words('tiene 120 camas'))).toBeUndefined();
  });

  it('does not take a length of time for an age', () => {
    expect(readAge(words('dicen que tardan como dos meses en darme de alta'))).toBeUndefined();
    expect(readAge(words('llevo 3 años cotizando'))).toBeUndefined();
    expect(readAge(words('tengo 20 años de servicio'))).toBeUndefined();
    expect(readAge(words('mi papa tiene como 70 años'))).toMatchObject({ value: 70 });
    expect(readAge(words('mi bebe de 2 meses'))).toMatchObject({ value: 2, unit: 'meses' });
    // (a time ahead, or a range: "en 2 o 3 años", "tardan de 2 a 3 meses"; a range of ages stays an age)
    expect(readAge(words('dicen que el imss se queda sin dinero en 2 o 3 años'))).toBeUndefined();
    expect(readAge(words('tardan de 2 a 3 meses en entregarla'))).toBeUndefined();
    expect(readAge(words('mis niños de 2 o 3 años'))).toMatchObject({ value: 3 });
  });

  it('does not take a count for an age', () => {
    expect(readAge(words('tengo 3 dudas sobre la credencial'))).toBeUndefined();
    expect(readAge(words('mi vecina tiene 2 hijos'))).toBeUndefined();
    expect(readAge(words('tengo 45 y me dijeron que no'))).toMatchObject({ value: 45 });
    expect(readAge(words('tengo 45'))).toMatchObject({ value: 45 });
  });

  it('marks the numbers that count time, which name no subject', () => {
    const w = words('regrese hace 2 meses despues de 15 anos de trabajar y tengo 40 anos');
    expect(w.map((_, i) => isTimeSpan(w, i)).flatMap((yes, i) => (yes ? [w[i]] : []))).toEqual(['2', '15']);
    expect(isTimeSpan(words('enfermera con 5 anos de antiguedad'), 2)).toBe(true);
    expect(isTimeSpan(words('tiene 120 camas'), 1)).toBe(false);
  });
});

describe('questionFocus', () => {
  it('takes in the sentence before a question that names its object by a pronoun', () => {
    const text =
      'Hola, soy de Tehuacán y tengo dos niñas chiquitas, mi marido no tiene seguro. Me hablaron de la credencial del IMSS Bienestar. ¿Cómo le hago para sacarla, es en la clínica o en línea?';
    expect(questionFocus(text)).toContain('credencial');
  });

  it('leaves out the story before a long question that says itself what its pronoun means', () => {
    const text =
      'hola, les escribe Yesenia, vivo en Tehuacan con mis dos niñas. el año pasado lleve a la chiquita al hospital por una diarrea y me hicieron comprar todo afuera, fue horrible. ahora una señora del kinder me platico de la credencial del imss bienestar y pues no se ni por donde empezar, como le hago para tramitarla, es en la clinica o se puede en linea';
    expect(questionFocus(text)).toBe(
      'ahora una señora del kinder me platico de la credencial del imss bienestar y pues no se ni por donde empezar, como le hago para tramitarla, es en la clinica o se puede en linea',
    );
  });

  it('reads "ese servicio" as a pronoun: the question takes in the sentence that says which', () => {
    const text =
      'hola, soy don Rafael, pensionado de 72 años, y cada mes espero de pie toda la mañana por mi receta. mi nieta me dijo que ya se puede tener consulta con el medico familiar por el celular. como se llama ese servicio y como funciona';
    expect(questionFocus(text)).toBe('mi nieta me dijo que ya se puede tener consulta con el medico familiar por el celular. como se llama ese servicio y como funciona');
  });

  it('keeps the part a comma split off a question when it asks too', () => {
    const text =
      'buenas tardes, me piden en la escuela de mi hija una constancia. mi esposo ya no trabaja en la fabrica desde el año pasado. donde saco ese papel, hay q ir a la clinica del imss o se saca en internet?';
    expect(questionFocus(text)).toBe('donde saco ese papel, hay q ir a la clinica del imss o se saca en internet?');
  });

  it('does not take a greeting ("qué tal, soy…") for a question', () => {
    const text =
      'que tal, soy Elvira de Tlalnepantla, ama de casa, con diabetes y presion alta desde hace años. oi en la radio que hay un plan de salud nuevo para el sexenio. cuales son las metas de ese plan';
    expect(questionFocus(text)).toBe('cuales son las metas de ese plan');
  });

  it('finds the question inside a long message with a greeting and a story', () => {
    const text =
      'Buenas tardes, disculpe la molestia. Mi mamá tiene 70 años y vive sola en el rancho, ya fuimos al centro de salud dos veces. ¿Le toca la vacuna de la influenza?';
    expect(questionFocus(text)).toBe('¿Le toca la vacuna de la influenza?');
  });

  it('prefers the sentences with a question mark to a story that opens like a question', () => {
    const text =
      'Hola buenas tardes, soy Benito Juárez (sí, como el presidente jaja), vivo en Ciudad Juárez, Chihuahua y no tengo seguro. ¿Hay IMSS Bienestar aquí?';
    expect(questionFocus(text)).toBe('¿Hay IMSS Bienestar aquí?');
  });

  it('adds the sentence before a question that says nothing of its own', () => {
    const text =
      'Buen dia. Mi papa tiene 50 años y vive en Merida, nunca se ha revisado. Escuche que en el hospital hacen revision de prostata gratis. Es cierto? que le hacen?';
    expect(questionFocus(text)).toBe('Escuche que en el hospital hacen revision de prostata gratis. Es cierto? que le hacen?');
  });

  it('leaves short messages whole', () => {
    expect(questionFocus('¿dónde saco la credencial?')).toBeUndefined();
  });
});

describe('places with a slip', () => {
  const gazetteer = createGazetteer(loadOrThrow(REAL_KB_DIR).states, [], new Set(['pueblo']));
  it('reads a long state name with one letter wrong, missing or extra', () => {
    expect(gazetteer.find(words('michuacan entra'))[0]?.state.name).toBe('Michoacán');
    expect(gazetteer.find(words('en chiuahua hay'))[0]?.state.name).toBe('Chihuahua');
  });
  it('never a short name or a word the knowledge uses', () => {
    expect(gazetteer.find(words('en mi pueblo'))).toEqual([]);
    expect(gazetteer.find(words('en oaxca'))).toEqual([]);
  });
  it('measures one edit', () => {
    expect(oneEditApart('bienestar', 'bienstar')).toBe(true);
    expect(oneEditApart('bienestar', 'bienetsar')).toBe(true);
    expect(oneEditApart('bienestar', 'bienestar')).toBe(false);
    expect(oneEditApart('bienestar', 'binestra')).toBe(false);
  });
});

describe('personal names', () => {
  it('drops the name a person gives, never the place that follows', () => {
    expect(dropPersonalNames(words('me llamo juana ramirez y vivo en tepic'))).toEqual(words('y vivo en tepic'));
    expect(namesInText('Hola soy Emiliano Zapata Ruiz, vivo en Cuernavaca')).toEqual(['emiliano', 'zapata', 'ruiz']);
    expect(namesInText('soy de Oaxaca')).toEqual([]);
    // a title may stand between: "la maestra Rosario" is a person, not Rosario in Sinaloa
    expect(namesInText('buenas, soy la maestra Rosario Gomez de una escuelita en Ocosingo')).toEqual(['rosario', 'gomez']);
    // a title takes the first name after it, and only that
    expect(dropPersonalNames(words('soy dona chayo de tehuacan puebla'))).toEqual(words('soy de tehuacan puebla'));
    expect(dropPersonalNames(words('mi suegro don arnulfo vive en caborca'))).toEqual(words('mi suegro vive en caborca'));
  });
});

describe('questionTypes', () => {
  it('tells a cost from a count and from a salary', () => {
    expect(questionTypes(terms('cuanto cuesta la operacion'), words('cuanto cuesta la operacion')).has('cost')).toBe(true);
    expect(questionTypes(terms('cuantos hospitales hay'), words('cuantos hospitales hay')).has('cost')).toBe(false);
    expect(questionTypes(terms('cuanto pagan a los medicos'), words('cuanto pagan a los medicos')).has('cost')).toBe(false);
  });

  const typesOf = (text: string) => [...questionTypes(terms(text), words(text))].sort();
  it('counts the words the stemmer drops as stopwords', () => {
    expect(typesOf('a donde me puedo quejar')).toEqual(['eligibility', 'where']);
    expect(typesOf('hay hospital en cancun')).toEqual([]);
  });

  it('reads no cost in paying the bus fare or a private doctor', () => {
    expect(typesOf('antes de volver a pagar el camion quiero saber si hay medicinas')).toEqual([]);
    expect(typesOf('me cobraron la consulta en el centro de salud')).toEqual(['cost']);
  });

  it('reads "how" from "cómo" with a procedure verb, and "what" from "qué es"', () => {
    expect(typesOf('como la registro pa q le den su credencial')).toEqual(['how']);
    expect(typesOf('vivo como a 10 cuadras de la clinica')).toEqual([]);
    expect(typesOf('que es la clinica es nuestra')).toEqual(['what']);
    expect(typesOf('para que sirve la credencial')).toEqual(['what']);
  });

  it('reads "¿no que era gratis?" as a cost, but not when the sentence counts something', () => {
    expect(typesOf('que no era gratis el imss bienestar')).toEqual(['cost']);
    expect(typesOf('no que el medicamento es gratuito cuantos medicamentos tiene el catalogo')).toEqual([]);
    // (and "la Costa Chica" is still no cost, nor does its absence make one)
    expect(typesOf('hay hospital en la costa chica')).toEqual([]);
  });
});

describe('facilitiesOnlyDescribeSelf', () => {
  const isFacility = (t: string) => terms('hospital clinica centro').includes(t);
  it('reads "soy enfermera en un hospital de…" as who asks, not as a unit asked about', () => {
    expect(facilitiesOnlyDescribeSelf('soy enfermera en un hospital de tapachula, me toca la de influenza?', isFacility)).toBe(true);
    expect(facilitiesOnlyDescribeSelf('Trabajo en una clinica de Leon. ¿Me toca la vacuna?', isFacility)).toBe(true);
  });

  it('keeps a unit asked about, or named with "el", as a unit', () => {
    expect(facilitiesOnlyDescribeSelf('hay un hospital en tapachula?', isFacility)).toBe(false);
    expect(facilitiesOnlyDescribeSelf('trabajo en el hospital general de acapulco, cuando abren la sala?', isFacility)).toBe(false);
    expect(facilitiesOnlyDescribeSelf('soy enfermera en un hospital de tapachula, que hospital nuevo hay?', isFacility)).toBe(false);
    expect(facilitiesOnlyDescribeSelf('me toca la vacuna?', isFacility)).toBe(false);
  });
});

describe('gazetteer', () => {
  const states = loadOrThrow(REAL_KB_DIR).states;
  const g = createGazetteer(states, [{ name: 'Pueblo Inventado', state: 'Oaxaca' }]);
  const find = (text: string) => g.find(words(text)).map((p) => [p.municipality, p.state.name].filter(Boolean).join(', '));

  it('reads the state from a postal code only when it is said to be one', () => {
    expect(find('vivo en el cp 44100')).toEqual(['Jalisco']);
    expect(find('mi codigo postal es 68000')).toEqual(['Oaxaca']);
    expect(find('tengo 44100 pesos')).toEqual([]);
  });

  it('knows the towns the units stand in, besides those of states.yaml', () => {
    expect(find('vivo en pueblo inventado')).toEqual(['Pueblo Inventado, Oaxaca']);
  });
});

describe('plainForm', () => {
  const vocabulary = new Set(['hospital', 'modulos', 'clinica', 'papeles', 'cita', 'mosquito'].map((w) => terms(w)[0] as string));
  const known = (t: string) => vocabulary.has(t);
  it('finds the plain word behind a diminutive the knowledge base does not know', () => {
    // (what counts is the index term it gives)
    for (const [small, plain] of [['hospitalito', 'hospital'], ['modulitos', 'modulos'], ['cliniquita', 'clinica'], ['papelitos', 'papeles']])
      expect(terms(plainForm(small as string, known))).toEqual(terms(plain as string));
  });
  it('keeps a word known as it is, and one with no plain form known', () => {
    expect(plainForm('cita', known)).toBe('cita');
    expect(plainForm('mosquito', known)).toBe('mosquito');
    expect(plainForm('chiquito', known)).toBe('chiquito');
  });
});

describe('joinSplitWords', () => {
  const joined = new Set(['paliativos', 'ometepec', 'bienestar']);
  const parts = new Set(['cuidados', 'bien', 'estar', 'de', 'guerrero']);
  const join = (text: string) => joinSplitWords(words(text), (w) => joined.has(w), (w) => parts.has(w)).join(' ');
  it('puts back a word split in two when a half is unknown and the whole is known', () => {
    expect(join('cuidados palia tivos')).toBe('cuidados paliativos');
    expect(join('de ome tepec guerrero')).toBe('de ometepec guerrero');
  });
  it('leaves two known words apart, and halves whose join is unknown', () => {
    expect(join('bien estar')).toBe('bien estar');
    expect(join('palia otra')).toBe('palia otra');
  });
});

describe('the lexicon', () => {
  const kb = loadOrThrow(REAL_KB_DIR);
  const lexicon = createLexicon(kb.conversation.synonyms);
  it('rewrites the forms of a one-word synonym, never a word the stemmer merely confuses with it', () => {
    // "puesto" (a stall) is a business; "pongo" shares its stem and is not
    expect(lexicon.canonical(words('tengo un puesto de tacos'))).toContain('negocio');
    expect(lexicon.canonical(words('donde me la pongo'))).not.toContain('negocio');
    expect(lexicon.canonical(words('me cobraron la consulta'))).toContain('gratis');
  });
  it('keeps a one-word synonym off the words of its not_after list ("unidad médica" is no doctor)', () => {
    expect(lexicon.canonical(words('cuantos medicos tiene'))).toContain('doctor');
    expect(lexicon.canonical(words('las unidades medicas moviles'))).not.toContain('doctor');
    expect(lexicon.canonical(words('la atencion medica es gratis'))).not.toContain('doctor');
  });
  it('reads "del Bienestar" as IMSS-BIENESTAR, but not the social programmes of that name', () => {
    expect(lexicon.canonical(words('hay hospital del bienestar en tepic')).join(' ')).toContain('imss bienestar');
    expect(lexicon.canonical(words('cuando pagan la pension del bienestar')).join(' ')).not.toContain('imss');
    expect(lexicon.canonical(words('los medicos del bienestar')).join(' ')).not.toContain('imss');
  });
  it('keeps the coast apart from the cost', () => {
    expect(terms('costera')).not.toEqual(terms('costo'));
  });
});

describe('questionParts', () => {
  it('splits two numbered questions, or a second one after "de paso"', () => {
    expect(questionParts('dos preguntas: 1) cuanta gente se ha registrado y 2) ya las estan entregando?')).toEqual([
      'cuanta gente se ha registrado',
      'ya las estan entregando?',
    ]);
    expect(questionParts('como saco la constancia de no derechohabiencia? y de paso, como veo mis semanas cotizadas?')).toEqual([
      'como saco la constancia de no derechohabiencia',
      'como veo mis semanas cotizadas?',
    ]);
  });

  it('leaves one question alone, however it is said, and three numbered ones to the usual reading', () => {
    expect(questionParts('estoy de paso en tapachula, me atienden gratis en el centro de salud?')).toBeUndefined();
    expect(questionParts('tengo 50 años y no tengo otra cosa, me toca la vacuna?')).toBeUndefined();
    expect(questionParts('como saco la credencial? la perdi en el mercado')).toBeUndefined();
    expect(questionParts('tengo 3 dudas: 1) si sonora entra 2) cuantos modulos hay 3) si es obligatoria')).toBeUndefined();
    // (each part must say something of its own)
    expect(questionParts('1) si y 2) no')).toBeUndefined();
  });

  it('splits a question followed by another joined with "y", each keeping its signs', () => {
    expect(questionParts('hay dentista en el centro de salud? y cuanto cobran la limpieza?')).toEqual([
      'hay dentista en el centro de salud?',
      'y cuanto cobran la limpieza?',
    ]);
    expect(questionParts('queria saber si hay dentista en mi clinica y tambien si dan lentes a los niños')).toEqual([
      'queria saber si hay dentista en mi clinica',
      'si dan lentes a los niños',
    ]);
    // (a question and a remark, or a "y" inside one question, are one question)
    expect(questionParts('me toca la vacuna? y eso')).toBeUndefined();
    expect(questionParts('mi mama y mi papa tienen 70, les toca la vacuna?')).toBeUndefined();
    expect(questionParts('queria saber si hay dentista y tambien lentes')).toBeUndefined();
  });

  it('reads the signs whatever their case, and "otra cosa" opening a sentence as another question', () => {
    expect(questionParts('Aqui en Jalisco hay IMSS Bienestar? Y de paso, cuantas camas tiene el hospital de Tlajomulco?')).toEqual([
      'Aqui en Jalisco hay IMSS Bienestar',
      'cuantas camas tiene el hospital de Tlajomulco?',
    ]);
    expect(questionParts('oaxaca ya esta con el imss bienestar? otra cosa, como va el hospital de tuxtepec')).toEqual([
      'oaxaca ya esta con el imss bienestar?',
      'como va el hospital de tuxtepec',
    ]);
  });
});
