import { describe, expect, it } from 'vitest';
import { createAssistant } from '../../../src/core/create-assistant.js';
import type { Reply, Session } from '../../../src/core/types.js';
import { loadOrThrow, REAL_KB_DIR } from '../../helpers/mini-kb.js';

// The real knowledge base: these behaviours depend on its tables by state, ages and units.
const assistant = createAssistant(loadOrThrow(REAL_KB_DIR));

function chat(...texts: string[]): Reply[] {
  let session: Session | undefined;
  return texts.map((text) => {
    const r = assistant.respond({ userId: 'test:u', text }, session, 1_000);
    session = r.session;
    return r.reply;
  });
}
const last = (...texts: string[]) => chat(...texts).at(-1) as Reply;

describe('figures by state', () => {
  it('opens with the state asked about, and follows up on another state', () => {
    const [first, second] = chat('cuantos modulos para la credencial hay en puebla', '¿y en guerrero?');
    expect(first?.text).toMatch(/^Puebla: 149 módulos/);
    expect(second?.text).toMatch(/^Guerrero: 50 módulos/);
  });

  it('says when the table has no figure for that state', () => {
    expect(last('cuantos medicos cubanos hay en jalisco').text).toContain('no trae este dato para Jalisco');
  });
});

describe('eligibility by age', () => {
  it('tells a person outside the age groups that it is not for them', () => {
    expect(last('tengo 35 años y estoy sano, me toca la vacuna de la influenza?').text).toMatch(/^Con 35 años, no te toca por edad/);
    expect(last('mi bebe tiene 4 meses, le ponen la vacuna de la influenza?').text).toMatch(/^Con 4 meses, no te toca/);
    expect(last('tengo 67 años, me toca la del covid?').text).toMatch(/^Con 67 años, sí entras/);
  });

  it('answers a follow-up that only gives another age', () => {
    expect(last('jovenes construyendo el futuro tiene imss?', 'y si tiene 31 años?').text).toMatch(/^Con 31 años, no te toca/);
  });
});

describe('coverage by state, postal code and town', () => {
  it('answers no for a state outside the 23, yes for one inside', () => {
    expect(last('queretaro entra?').text).toMatch(/^No: Querétaro no está/);
    expect(last('oaxaca esta en el imss bienestar?').text).toMatch(/^Sí: Oaxaca/);
    // a list of works with none there must not answer "no units" for a coverage question
    expect(last('el imss bienestar llega a durango?').text).toMatch(/^No: Durango/);
  });

  it('answers for the state one moves to, not the one one leaves or must travel to', () => {
    expect(last('vivo en queretaro pero me voy a cambiar a pachuca hidalgo x chamba, alla si hay imss bienestar?').text).toMatch(/^Sí: Hidalgo es uno de los 23/);
    expect(last('hay hospital de alta especialidad del bienestar en oaxaca? o a fuerza hay q ir a puebla').text).toContain('Oaxaca');
  });

  it('answers whose the unit just described is with the unit', () => {
    const [, r] = chat('oi q el seguro esta construyendo un hospital en ticul', 'y ese es del imss o del bienestar?');
    expect(r?.text).toMatch(/^Hospital prioritario del IMSS en Ticul \(IMSS\)/);
  });

  it('reads "el del seguro" as the IMSS, in a follow-up about another town’s unit too', () => {
    const [, r] = chat('como va el hospital general de actopan hidalgo', 'y el del seguro en tula?');
    expect(r?.text).toMatch(/^Hospital prioritario del IMSS en Tula/);
    const { understood } = assistant.explain({ userId: 'test:sv', text: 'el del seguro de vida de mi trabajo cubre esto?' });
    expect(understood.join('\n')).not.toMatch(/institución: .*IMSS/);
  });

  it('reads "bienestar" listed after the other institutions as IMSS-BIENESTAR', () => {
    const { understood } = assistant.explain({ userId: 'test:list', text: 'van a juntar los expedientes del imss, issste y bienestar?' });
    expect(understood.join('\n')).toMatch(/institución: .*IMSS-BIENESTAR/);
    // (not a programme of the Secretaría del Bienestar said after the IMSS)
    const { understood: other } = assistant.explain({ userId: 'test:list2', text: 'tengo imss y la pension del bienestar, me descuentan algo?' });
    expect(other.join('\n')).not.toMatch(/institución: .*IMSS-BIENESTAR/);
  });

  it('reads the state from a postal code', () => {
    expect(last('mi cp es 44100, me corresponde el imss bienestar?').text).toMatch(/^No: Jalisco/);
  });

  it('reads a town followed by its own state as the town, and a state outside the 23 first', () => {
    const r = last('somos de ometepec guerrero hay por aca del imss bienestar?');
    expect(r.text).toMatch(/^Sí: Guerrero/);
    expect(r.text).toContain('Hospital General de Ometepec');
    expect(last('vivo en leon guanajuato, hay clinicas del imss bienestar?').text).toMatch(/^No: Guanajuato/);
  });

  it('asks about the place one is at now when two are named ("allá en Puebla…, ¿y aquí en Guanajuato?")', () => {
    expect(last('alla en puebla tenia el imss bienestar, y aqui en guanajuato tmb hay?').text).toMatch(/^No: Guanajuato/);
  });

  it('gives a town’s own figure from its state’s line, and says when the town is not in it', () => {
    expect(last('unidades moviles del corredor interoceanico en palenque a cuantas localidades van', 'y en macuspana?').text).toContain('Macuspana 4,788 (24)');
    expect(last('hay unidades moviles del corredor interoceanico en coatzacoalcos?').text).toMatch(/^Coatzacoalcos no aparece en el informe\. Veracruz:/);
  });

  it('takes "por acá" in the question for the town of the story', () => {
    const r = last('buenas tardes, le escribo desde las choapas veracruz, aqui en las rancherias casi no hay doctor y uno tiene q ir hasta coatza. las unidades moviles del imss bienestar si pasan por aca? a cuanta gente atienden?');
    expect(r.text).toContain('Las Choapas 5,725 (50)');
  });

  it('says where a named state stands before the referral about the states outside', () => {
    const r = last('mi tio dice q oaxaca no se unio al imss bienestar y x eso en el centro de salud de su pueblo le quieren cobrar, eso es cierto?');
    expect(r.text).toMatch(/Sí: Oaxaca es uno de los 23/);
    expect(r.text).toMatch(/Fuente: /);
    expect(last('vivo en queretaro y me dijeron q aqui ya entro el imss bienestar igual q en cdmx, es cierto?').text).toMatch(/^No: Querétaro/);
  });

  it('reads "aquí en mi estado" as the state said before', () => {
    expect(last('soy de merida yucatan', 'aqui en mi estado ya entro el imss bienestar? es q no tengo seguro').text).toMatch(/^No: Yucatán/);
  });

  it('takes a lost job for no social security, so the state answers', () => {
    const r = last('me quede sin chamba y sin imss, vivo en guadalajara jalisco. aqui si hay imss bienestar o no?');
    expect(r.text).toContain('Jalisco');
    expect(r.intent).not.toBe('cobertura');
  });

  it('follows up on another institution with its entry on the same subject, not the agreement between them', () => {
    expect(last('en el imss bienestar si dan las medicinas?', 'y en el issste? mi esposo es maestro y dice q nunca hay').text).toMatch(/abasto de medicamentos era de 98 %/);
  });

  it('takes a pronoun for the same object, not the same entry: "¿y cuándo me la entregan?"', () => {
    const r = last('que es el padron de beneficiarios del imss bienestar', 'y cuando me la entregan?? ya van meses');
    expect(r.text).toMatch(/3\.34 %|262,650/);
  });

  it('does not let whose age it is outvote the subject ("mis niños de 3 y 8 años… ¿su propia credencial?")', () => {
    const r = last('mis niños de 3 y 8 años tambien tienen q tener su propia credencial?');
    expect(r.intent).toBe('credencial');
  });

  it('keeps the subject when a follow-up only says for whom ("¿y pa mi bebé de 2 meses?")', () => {
    const r = last('como saco la credencial del imss bienestar', 'y pa mi bebe de 2 meses?');
    expect(r.intent).toBe('credencial');
    expect(r.text).not.toMatch(/influenza/i);
  });

  it('reads "en otros estados sí" as elsewhere, not as someone from another state', () => {
    expect(last('soy de irapuato gto, x q aqui no llega lo de la clinica es nuestra?? en otros estados si').text).toContain('La Clínica es Nuestra no opera');
  });

  it('says so when the reports name nothing in a town', () => {
    const r = last('hay algo en tecate?');
    expect(r.kind).toBe('fallback');
    expect(r.text).toContain('no nombran ninguna unidad en Tecate');
    expect(r.text).toContain('Busca tu unidad');
  });
});

describe('units', () => {
  it('keeps talking about the unit just described', () => {
    const [, beds] = chat('estan construyendo un hospital del bienestar en tepic?', 'y cuantas camas tiene?');
    expect(beds?.text).toContain('120 camas');
  });

  it('answers a question about opening days from the entry about them, not as a unit’s hours', () => {
    const r = last('es cierto que los centros de salud de guerrero van a abrir sabado y domingo? aqui en chilapa cierran el fin');
    expect(r.intent).not.toBe('contacto');
    expect(r.text).toContain('935');
  });

  it('never invents a phone or opening hours for a unit', () => {
    const r = last('telefono del hospital general de tepic');
    expect(r.text).toMatch(/No tengo el teléfono, el horario, la dirección ni quién dirige cada unidad/);
    expect(r.text).not.toMatch(/\d{3}[\s-]?\d{3}[\s-]?\d{4}/);
    // nor the name of whoever runs it
    expect(last('quien es el director del hospital general de tepic').text).toMatch(/^No tengo el teléfono, el horario, la dirección ni quién dirige/);
    // nor takes another institution's entry about hours for the answer: an IMSS-BIENESTAR centre the reports do not list
    expect(last('donde queda el centro de rehabilitacion del imss bienestar en tlaxcala y q horario tiene?').text).toMatch(/^No tengo el teléfono, el horario/);
  });

  it('does not answer what IMSS or ISSSTE holders may do to someone who has neither', () => {
    const r = last(
      'buenos dias, vendo verdura en el tianguis aca en ecatepec, nunca e tenido seguro ni imss ni issste ni nada. mi pregunta es si yo puedo ir al centro de salud del imss bienestar aunque no este afiliada a nada o nomas atienden a los q tienen algun papel',
    );
    expect(r.kind).toBe('answer');
    expect(r.text).not.toMatch(/^Sí hay un acuerdo/);
    expect(r.text).toMatch(/sin seguridad social/);
  });

  it('reads what someone does for a living as who asks, not as the subject', () => {
    const r = last('soy de ticul yucatan y trabajo en una fabrica de zapatos, es cierto q el seguro esta haciendo un hospital aqui?');
    expect(r.text).toMatch(/^Hospital prioritario del IMSS en Ticul/);
    expect(last('trabajo en una fabrica de muebles y no se si mi patron si me esta pagando el seguro, hay forma de checar mis cotizaciones desde el cel?').text).toContain('RPCI');
    // (what the lexicon makes of one's own words may be the subject: "por mi cuenta" is an independent worker)
    expect(last('trabajo por mi cuenta, tengo un tallercito de bicis en puebla, me puedo inscribir yo solito al imss sin tener patron?').text).toMatch(/^Sí\. El IMSS tiene un esquema para que personas trabajadoras independientes/);
    // (nor what the lexicon makes of a single word of it: "médico" is the searched "doctor")
    expect(last('soy medico residente, me toca la de influenza?').sources[0]?.id).toBe('vacunas-influenza-grupos');
    // (one's health may be the subject: the medicine asked about stays the question)
    expect(last('HAY INSULINA EN LA CLINICA DE TUXTEPEC? mi papa es diabetico y ya casi se le acaba').kind).toBe('fallback');
  });

  it('takes the phone in one’s hand for a device, not a number asked for', () => {
    expect(last('hay forma de ver mis cotizaciones del imss en el cel sin ir a la subdelegacion?').text).not.toMatch(/^No tengo ese número/);
    expect(last('me pasan el telefono del imss bienestar').text).toMatch(/^No tengo ese (?:número|dato)/);
    expect(last('no se usar muy bien el celular, hay otra forma de apuntarse pa la credencial?').text).not.toMatch(/^No tengo ese número/);
  });

  it('does not pick a unit because of a person’s name or a bare number', () => {
    expect(last('me llamo Juana Ramirez, como saco la credencial').intent).not.toBe('unidades');
    expect(last('la clinica me queda a 5 min, me pueden atender sin seguro?').intent).not.toBe('unidades');
  });

  it('remembers the place said before for "aquí"', () => {
    expect(last('vivo en san salvador atenco', 'que paso con el hospital que iban a construir aqui?').text).toContain('Atenco');
  });
});

describe('everyday ways of asking', () => {
  it('reads "¿la pueden atender en la casa?" as home visits', () => {
    expect(last('vivimos lejos, nos pueden atender en casa?').text).toMatch(/5 km|5 kilómetros/);
    expect(last('y la pueden atender en la casa? no tengo carro').text).toMatch(/5 km|5 kilómetros/);
  });
  it('does not read a new graduate ("recién titulada") as the head of a unit', () => {
    expect(last('soy enfermera recien titulada de coahuila, el issste esta contratando? cuantas plazas hay pa los hospitales nuevos').kind).toBe('answer');
  });
  it('reads the IMSS written as it sounds after "del" ("el hospital es del y mas")', () => {
    const { understood } = assistant.explain({ userId: 'test:ym', text: 'el hospital mas cercano es del y mas pero yo soy del bienestar, me atienden ahi?' });
    expect(understood.join('\n')).toMatch(/institución: .*IMSS(?!-)/);
    expect(last('en ke estados esta el y mas bienestar ke dise la tele').text).toMatch(/23 estados/);
  });
  it('reads the ISSSTE written as it sounds, and a prescription for several months', () => {
    expect(last('soy jubilada del y sste, como esta el abasto de medicinas alla?').text).toContain('ISSSTE');
    expect(last('tengo imss, hay forma de no ir cada mes por la receta de la diabetes?').text).toContain('resurtibles');
  });
  it('reads paying the staff as their pay, not as a charge to a patient, and a teacher as no master’s degree', () => {
    const r = last('soy maestra y tengo issste, es cierto q les van a pagar a los doctores del issste igual q a los del imss?');
    expect(r.text).toContain('homologar');
    expect(r.text).not.toContain('Médicas y Médicos del Bienestar');
  });
  it('does not take the Seguro Popular for the IMSS, and keeps the IMSS of a paper proving one lacks it', () => {
    const { understood } = assistant.explain({ userId: 'test:sp', text: 'me dijeron q ya regreso el seguro popular, es cierto?' });
    expect(understood.join('\n')).not.toMatch(/institución: .*IMSS/);
    expect(last('el seguro popular ya no existe y a mi mama en el hospital le piden una constancia de que no tiene imss para atenderla eso donde se saca').text).toMatch(/derechohabiencia/);
  });
  it('does not let a story of everyday words and the institution’s name outvote the subject', () => {
    expect(last('buenas, soy abuelita de 74 años, nunca me e registrado en nada pero mi comadre dice q ya todos estamos en el padron del imss bienestar, es cierto eso?').text).toMatch(/padrón/);
  });
  it('takes a programme named by its name for the subject, over units whose names match other words', () => {
    expect(last('si la clinica tiene servicios ampliados cuanto le toca de la clinica es nuestra').text).toContain('1,200,000');
  });
  it('reads "el plan sexenal" as the sector plan of this term, not the IMSS 2012-2018 bulletin', () => {
    expect(last('q dice el plan sexenal de salud sobre las medicinas? pregunto xq soy encargada de farmacia en un centro de salud').text).not.toMatch(/2012-2018/);
  });
  it('reads "no se da abasto" as a crowded clinic, not a shortage of medicines', () => {
    expect(last('alguien sabe si es cierto q estan haciendo un hospital nuevo del imss en Navojoa? mi esposo es derechohabiente y aqui la clinica no se da abasto').text).toMatch(/^Hospital prioritario del IMSS en Navojoa/);
  });
  it('reads "se dializa" as hemodialysis', () => {
    expect(last('mi papa se dializa x el issste en una clinica particular y dicen q ya lo van a quitar de ahi, sabes algo de eso?').text).toMatch(/2025 en adelante hemodiálisis/);
  });
  it('answers the rumour that the IMSS runs out of money with its reserves, sourced', () => {
    const r = last('es cierto q el seguro social va a quebrar y ya no va a pagar?');
    expect(r.text).toContain('2037');
    expect(r.text).toContain('Memoria documental del IMSS');
  });
});

describe('cost questions', () => {
  it('says care is free first when someone without social security asks whether they can be treated', () => {
    expect(last('no tenemos seguro, a mi papa lo pueden tratar del cancer en el imss bienestar?').text).toMatch(/^Sin seguridad social/);
    // (one who has IMSS is asking something else)
    expect(last('tengo imss, me pueden tratar del cancer en el imss bienestar?').text).not.toMatch(/^Sin seguridad social/);
  });

  it('answers the cost of an operation or a birth with free care', () => {
    const r = last('cuanto cuesta la operacion de vesicula en el hospital general si no tengo seguro');
    expect(r.sources[0]?.id).toBe('cobertura-costo-servicios');
    expect(r.text).toContain('gratuita');
  });

  it('says care is free before a service entry that does not say it, and before a named unit', () => {
    const dialysis = last('mi esposo necesita hemodialisis, cuanto cobran en el imss bienestar? no tenemos seguro');
    expect(dialysis.text).toMatch(/^Sin seguridad social, en los 23 estados de IMSS-BIENESTAR la atención médica y de hospital es gratuita/);
    expect(dialysis.text).toContain('704 sillones');
    const birth = last('cuanto cobran por un parto en el hospital general de matamoros');
    expect(birth.text).toMatch(/^Sin seguridad social/);
    expect(birth.text).toContain('Hospital General de Matamoros');
  });

  it('does not read "la Costa Chica" as a cost', () => {
    const r = last('Hola. Mi tio tiene insuficiencia renal y vive en Ometepec Guerrero en la Costa Chica. Escuche que abrieron algo de hemodialisis en el hospital de alla, eso es cierto? desde cuando?');
    expect(r.sources[0]?.id).not.toBe('cobertura-costo-servicios');
    expect(r.text).toContain('23 de abril');
  });

  it('does not take a salary or a count for a cost', () => {
    expect(last('cuantos hospitales de segundo y tercer nivel tiene el bienestar').sources[0]?.id).not.toBe('cobertura-costo-servicios');
  });

  it('answers whether medicines are charged, not that it does not know the stock', () => {
    const r = last('disculpe, soy de tlaxcala y no tengo seguro. tomo metformina, en el centro de salud me cobran la medicina o es gratis?');
    expect(r.kind).toBe('answer');
    expect(r.sources[0]?.id).toBe('medicamentos-gratis-imssb');
    // (a question of stock still gets the referral, and so does a cost asked of a subject of its own)
    expect(last('hay metformina en el centro de salud de tlaxcala?').sources[0]?.id).toBe('medicamentos-referral');
    expect(last('cuanto cuesta el pasaporte').sources[0]?.id).toBe('fuera-pasaporte');
    expect(last('en las farmacias del bienestar dan la medicina gratis?').sources[0]?.id).toBe('programas-farmacias-bienestar');
  });
});

describe('the subject of the message', () => {
  it('lets a word few entries are about outweigh a pile of everyday words', () => {
    const r = last('Buenas, soy repartidor de didi y rappi en Puebla capital, trabajo en mi moto todo el dia y no tengo ningun seguro. Un compa me dijo que los repartidores ya se pueden registrar al imss bienestar. Es cierto? yo puedo?');
    expect(r.sources[0]?.id).toBe('credencial-repartidores');
  });

  it('answers the subject asked about a unit, not the unit', () => {
    const r = last('Mi papa tiene 50 años y vive en Merida. Escuche que en el hospital de alta especialidad hacen revision de prostata gratis. Es cierto? que le hacen?');
    expect(r.sources[0]?.id).toBe('especialidades-prostata');
  });

  it('gives the entry about the thing named when the leader matched only "dónde queda" words', () => {
    expect(last('hay farmacias del bienestar en toluca? donde queda la mas cercana').sources[0]?.id).toBe('programas-farmacias-bienestar');
  });

  it('keeps the entry that answers a cost question over one about a word of the story', () => {
    expect(last('cuanto cuesta la credencial? me dijeron q cobran 50 pesos en el modulo').sources[0]?.id).toBe('credencial-tramite-dudas');
  });

  it('finds the coverage question inside a story, past a job that has no IMSS yet', () => {
    const r = last('Buenas tardes. Me mudé a Monterrey por trabajo pero la empresa todavía no me da de alta en el IMSS, dicen que tardan como dos meses. Mi esposa está embarazada. Mientras tanto, ¿hay IMSS Bienestar aquí en Nuevo León para que la revisen? Gracias de antemano');
    expect(r.text).toMatch(/^No: Nuevo León no está entre los 23 estados/);
  });

  it('reads a misspelt state and "imss vienestar"', () => {
    expect(last('michuacan entra al imss vienestar?').text).toMatch(/^Sí: Michoacán es uno de los 23/);
    expect(last('en chiuahua hay imss bienestar?').text).toMatch(/^No: Chihuahua/);
  });

  it('answers the widest list of units of the state instead of asking which list', () => {
    const [list, unit] = chat('que hospitales estan construyendo en tamaulipas?', 'y el de matamoros cuanto lleva?');
    expect(list?.kind).toBe('answer');
    expect(list?.text).toContain('Hospital General de Matamoros');
    expect(unit?.text).toContain('92 %');
  });

  it('keeps the entry and the state of the conversation for a follow-up that asks nothing new', () => {
    const [, again] = chat('hay modulos de credencial en la cdmx?', 'cuantos?');
    expect(again?.text).toMatch(/^Ciudad de México: 16 módulos/);
    const [, yucatan] = chat('hay unidades moviles en los pueblos del tren maya?', 'y en yucatan cuantas?');
    expect(yucatan?.text).toContain('Yucatán: 12 unidades médicas móviles');
  });

  it('says the sentence of the details that answers a specific question', () => {
    const r = last('q dice el plan de salud del gobierno de los adultos mayores');
    expect(r.sources[0]?.id).toBe('programas-plan-2024-2030');
    expect(r.text).toContain('atención casa por casa a adultos mayores');
  });

  it('answers the IMSS-ISSSTE agreement only to someone who names IMSS or ISSSTE', () => {
    const none = last('Buenas tardes. Vivo en un ejido de Chiapas, vendo pan y mi esposo es jornalero, ninguno de los dos tenemos seguro de nada. El año pasado pagamos 1,800 pesos en un particular. A quien atiende el imss bienestar? nosotros si entramos?');
    expect(none.sources[0]?.id).not.toBe('cobertura-con-imss-issste');
    expect(last('tengo imss, puedo ir a consulta al centro de salud del bienestar?').sources[0]?.id).toBe('cobertura-con-imss-issste');
    expect(chat('mi mama trabaja en el gobierno de chiapas y tiene issste', 'y ella puede ir al centro de salud del imss bienestar de su colonia?').at(-1)?.sources[0]?.id).toBe('cobertura-con-imss-issste');
  });

  it('keeps to the unit just described for a follow-up on its beds or progress', () => {
    expect(chat('el hospital o horan de merida lo estan reconstruyendo?', 'y de cuantas camas va a ser?').at(-1)?.text).toMatch(/^Hospital General Dr\. Agustín O'Horán/);
    expect(chat('hospital nuevo de tlapa guerrero', 'cuanto lleva de avance?').at(-1)?.text).toMatch(/^Hospital General de Tlapa/);
  });

  it('keeps the subject of the conversation for "¿y cuándo abren?", "¿y qué requisitos piden?" and "¿y el ISSSTE?"', () => {
    expect(chat('hospitales nuevos en guerrero', 'y cuando abren?').at(-1)?.sources[0]?.id).toBe('unidades-hospitales-nuevos-todas');
    expect(chat('medicos del bienestar cuanto pagan', 'y que requisitos piden?').at(-1)?.sources[0]?.id).toBe('empleo-medicos-bienestar');
    expect(chat('como me registro para la credencial', 'y que papeles llevo?').at(-1)?.sources[0]?.id).toBe('credencial-tramite-dudas');
    expect(chat('cuantos derechohabientes tiene el imss', 'y el issste?').at(-1)?.sources[0]?.id).not.toBe('cobertura-con-imss-issste');
  });

  it('answers a follow-up that names another place or asks how many with the entry of the conversation', () => {
    expect(chat('hay campaña de prostata en merida', 'y en ciudad victoria?').at(-1)?.sources[0]?.id).toBe('especialidades-prostata');
    expect(chat('que es el saisme', 'y en cuantos estados esta?').at(-1)?.sources[0]?.id).toBe('prevencion-salud-mental');
    expect(chat('cuantos modulos de credencial hay en guerrero', 'y cuantas personas atienden ahi?').at(-1)?.text).toMatch(/^Guerrero: 50 módulos/);
    expect(chat('que es la clinica es nuestra', 'y en mi estado, oaxaca, cuantas clinicas entraron?').at(-1)?.sources[0]?.id).toBe('programas-lcen-por-estado');
  });

  it('opens an honest "not in the reports" reply plainly', () => {
    expect(last('q papeles ocupo pa sacar la credencial del imss bienestar?').text).toMatch(/^No tengo ese dato\./);
  });
});

describe('the triage inside the assistant', () => {
  it('answers a question about a past emergency, with one calm line about 911', () => {
    const r = last('mi papa tuvo un infarto en 2019 y ya se recupero, le toca la vacuna de la influenza?');
    expect(r.kind).toBe('answer');
    expect(r.text).toContain('Si en este momento alguien se siente muy mal o está en peligro, llama al 911.');
    expect(r.text.indexOf('911')).toBeLessThan(r.text.indexOf('Fuente:'));
  });

  it('opens an emergency reply with 911, and adds Línea de la Vida to a cut that may be self-inflicted', () => {
    const r = last('me corte el brazo muy hondo y no para de sangrar');
    expect(r.kind).toBe('emergency');
    expect(r.text).toMatch(/^⚠️ Llama ahora al 911/);
    expect(r.text).toContain('800 911 2000');
  });
});

describe('follow-ups nobody wrote down', () => {
  it('reads an interjection around a new state as the same question', () => {
    expect(chat('cuantos modulos de credencial hay en puebla', 'ah caray, y en oaxaca nomas?')[1]?.text).toMatch(/^Oaxaca: 2 módulos/);
  });

  it('answers the cost of a works asked right after it, and free care when the talk was about care', () => {
    expect(chat('que onda con el hospital ohoran de merida', 'y cuanto costo?')[1]?.text).toContain('3,271');
    expect(chat('me van a operar de la vesicula en el hospital general de acapulco', 'y eso cuesta?')[1]?.text).toMatch(/gratuit|no debería haber cobro/);
  });

  it('finds a unit of the kind just described by a word of its name', () => {
    const [, other] = chat('el hospital de alta especialidad de ixtapaluca cuantas camas tiene', 'y el del bajio?');
    expect(other?.sources[0]?.id).toBe('imssb-hrae-bajio');
  });

  it('finds another institution’s unit in the same town', () => {
    const [, issste] = chat('que se sabe del hospital nuevo de tepic', 'y el del issste ahi mismo?');
    expect(issste?.sources[0]?.id).toBe('issste-app-hg-aquiles-calles-ramirez');
  });

  it('reads a follow-up to a clarifying question together with the question', () => {
    const [first, second] = chat('soy del imss, puedo ir al imss bienestar?', 'y si fuera derechohabiente del issste?');
    expect(second?.kind).toBe('answer');
    expect(second?.text).toContain('convenio');
    // (whether the first was answered or asked back, the second needs it)
    expect(['answer', 'clarify']).toContain(first?.kind);
  });

  it('gives the details’ figures when a figure is asked again about the same entry', () => {
    const [first, second] = chat('que es el cosabi y quien maneja el dinero', 'ok pero cuantos cosabi hay?');
    expect(first?.text).not.toContain('11,808');
    expect(second?.text).toContain('11,808');
  });
});

describe('coverage asked the way people ask it', () => {
  it('answers a state’s coverage through family and living words', () => {
    expect(last('mi hermano vive en tlapa guerrero, ahi ya hay imss bienestar?').text).toMatch(/^Sí: Guerrero es uno de los 23/);
    expect(last('mi tia vive en saltillo, le toca el imss bienestar alla?').text).toMatch(/^No: Coahuila no está entre los 23/);
  });

  it('reads "el seguro del gobierno" as IMSS-BIENESTAR', () => {
    expect(last('en que estados esta el seguro del gobierno').sources[0]?.id).toBe('cobertura-estados');
  });

  it('answers from the state’s own line when asked whether a programme is there', () => {
    const r = last('en queretaro hay la clinica es nuestra?');
    expect(r.kind).toBe('answer');
    expect(r.text).toContain('no opera en este estado');
  });
});

describe('numbers the reports do not have', () => {
  it('says first that it has no WhatsApp or e-mail, then what the reports say', () => {
    const r = last('me pasas el whatsapp de medicos del bienestar?');
    expect(r.text).toMatch(/^No tengo ese número ni ese correo/);
    expect(r.text).not.toMatch(/\b\d{2,3}[ -]\d{3,4}[ -]\d{4}\b/);
    // a question with no such word gets no such opening
    expect(last('que es medicos del bienestar?').text).not.toMatch(/^No tengo ese número/);
  });

  it('says first that it has no pay for a job the answer gives none for, and not when it does', () => {
    expect(last('y a los doctores cubanos del bienestar cuanto les pagan al mes?').text).toMatch(/^No tengo el sueldo de ese puesto/);
    expect(last('cuanto gana un medico del bienestar?').text).not.toMatch(/^No tengo el sueldo/);
    // (a one-off payment of "30 días de sueldo" is no one's pay)
    expect(last('CUANTO GANA UN CAMILLERO EN EL IMSS? ME OFRECIERON PLAZA EN LA CLINICA 27').text).toMatch(/^No tengo el sueldo de ese puesto/);
  });
});

describe('an answer before a referral', () => {
  it('answers the question inside a story when an answer is as near as the referral', () => {
    const r = last('Hola, soy diabetico y a veces no hay metformina en mi centro de salud y la tengo que comprar. Cuantos medicamentos tiene el catalogo?');
    expect(r.kind).toBe('answer');
    expect(r.sources[0]?.id).toBe('medicamentos-catalogo');
  });
});

describe('who is covered, asked with a stopword', () => {
  it('answers who IMSS-BIENESTAR serves, never who runs it', () => {
    for (const q of ['oiga y a quienes atiende el imss bienestar?', 'para quien es el imss bienestar? mi familia ya entramos?']) {
      const r = last(q);
      expect(r.sources[0]?.id, q).toBe('cobertura-quien-puede-atenderse');
      expect(r.text).not.toContain('Director General');
    }
  });
});

describe('follow-ups that point back', () => {
  it('stays on the last answer when the follow-up points at it, and gives the figure asked', () => {
    const [, vaccines] = chat('de que se tratan las jornadas ven y cuidate', 'y cuantas vacunas aplicaron ahi?');
    expect(vaccines?.sources[0]?.id).toBe('prevencion-ven-y-cuidate');
  });

  it('reads an object pronoun as the last answer’s subject, whatever the verb matches', () => {
    const [, , where] = chat('quienes se pueden vacunar contra el covid', 'y si estoy embarazada?', 'y donde me la ponen?');
    expect(where?.intent).toBe('vacunas');
  });

  it('reads "¿y si es…?" as a case of the same question, not as a unit', () => {
    const [, cessa] = chat('cuanto le toca a un centro de salud de 4 consultorios en la clinica es nuestra', 'y si es un centro de salud con servicios ampliados?');
    expect(cessa?.sources[0]?.id).toBe('programas-lcen-montos');
  });
});

describe('more words people use', () => {
  it('reads "mi carnala" as a sister: the same question, for her state', () => {
    const [, r] = chat('ola buenas mi cuñado vive en apizaco tlaxcala alla ya agarra lo del imss bienestar??', 'ok y mi carnala q esta en monterrey nuevo leon tmb');
    expect(r?.text).toMatch(/No: Nuevo León no está entre los 23/);
  });

  it('reads "exactamente" as a manner of asking, not a subject', () => {
    expect(last('y la credencial esa del bienestar pa q sirve exactamente').sources[0]?.id).toBe('credencial-que-es');
  });

  it('reads "un solo expediente" as the single record of the sector plan, not the ISSSTE’s own system', () => {
    expect(last('vamos a tener un solo expediente en el imss, el issste y el bienestar?').sources[0]?.id).toBe('programas-expediente-electronico');
  });

  it('reads the programme Médicos del Bienestar written without "del"', () => {
    expect(last('la convocatoria de medicos bienestar es pa cuantos hospitales?').sources[0]?.id).toBe('empleo-medicos-bienestar');
  });

  it('reads where a rumour was heard as its source, not as the subject', () => {
    expect(last('oiga es cierto q muchos medicos del imss bienestar son cubanos? lo andan diciendo en el face').sources[0]?.id).toBe('empleo-medicos-cubanos');
    // (the channel asked about stays the subject)
    expect(last('el imss bienestar tiene face oficial? me dijeron q hay paginas falsas').sources[0]?.id).toBe('contacto-redes-sociales');
  });

  it('reads having no boss, in any person of the verb, as an independent worker', () => {
    expect(last('vendo elotes en la esquina, puedo meterme al seguro social aunque no tenga patron?').sources[0]?.id).toBe('imss-independientes');
  });

  it('tells midwives from births', () => {
    expect(last('cuantas parteras trabajan con el imss bienestar').sources[0]?.id).toBe('prevencion-parteras');
  });

  it('asks the age limit of what was just answered', () => {
    const [, limit] = chat('los aprendices de jovenes construyendo el futuro tienen seguro del imss?', 'y hasta que edad?');
    expect(limit?.sources[0]?.id).toBe('imss-jovenes-construyendo-futuro');
  });
});

describe('a unit named by shared words in one state', () => {
  it('finds the pediatric specialty hospital of Chiapas, not a table that names the state', () => {
    const r = last('oi que en chiapas hay un hospital de especialidades pediatricas del bienestar, es verdad?');
    expect(r.sources[0]?.id).toBe('imssb-hep-chiapas');
  });
});

describe('the institution asked about', () => {
  it('says so when the answer is another institution’s, and keeps the subject', () => {
    const r = last('en el issste hay atencion de salud mental?');
    expect(r.text).toMatch(/^Ojo: no tengo ese dato del ISSSTE; lo que tengo es de IMSS-BIENESTAR/);
    expect(r.sources[0]?.id).toBe('prevencion-salud-mental');
  });

  it('answers the IMSS-ISSSTE agreement to someone who has one of them, not to someone who asks about paying one', () => {
    expect(last('soy derechohabiente del issste, me atienden en el centro de salud del bienestar?').sources[0]?.id).toBe('cobertura-con-imss-issste');
    expect(last('tengo el imss, puedo ir a la clinica del bienestar?').sources[0]?.id).toBe('cobertura-con-imss-issste');
    expect(last('se puede pagar el imss desde el otro lado para que mi familia tenga doctor?').sources[0]?.id).not.toBe('cobertura-con-imss-issste');
    // (and tells them whom IMSS-BIENESTAR is for: "¿me puedo registrar aunque ya tenga IMSS?")
    const r = last('tengo imss por mi trabajo, me puedo registrar al imss bienestar aunque ya tenga imss?');
    expect(r.sources[0]?.id).toBe('cobertura-con-imss-issste');
    expect(r.text).toMatch(/gratis a la población sin seguridad social/);
  });

  it('reads an institution someone has as who asks, not as whose answer is wanted', () => {
    const [, r] = chat('hay visitas de doctores a la casa para enfermos en cama?', 'y para mi mama que tiene imss?');
    expect(r?.text).not.toMatch(/^Ojo: no tengo ese dato del IMSS/);
  });
});

describe('a long story full of names and things no entry knows', () => {
  it('is answered by the question inside it', () => {
    const r = last(
      'buenas tardes, soy Rigoberto Salas, herrero de 51 años de Zapopan, tengo mi changarrito con mi compadre Chuy y nunca he tenido seguro porque nadie me da nomina, siempre he jalado solo. a mi señora la atendieron de la presion en un particular y nos salio carisimo. me dijeron que el imss deja inscribirse a los que trabajan solos. como esta eso y desde cuando',
    );
    expect(r.sources[0]?.id).toBe('imss-independientes');
  });
});

describe('numbers that measure', () => {
  it('reads "3 veces por semana" as how often, naming nothing', () => {
    const [, r] = chat('el imss bienestar tiene hemodialisis?', 'y en ometepec? llevamos a mi papa hasta acapulco 3 veces por semana');
    expect(r?.text).toMatch(/^Clínica de hemodiálisis del Hospital General de Ometepec/);
  });

  it('never take a distance for a figure of the reports', () => {
    const [, r] = chat('hay doctores que visitan en su casa a los enfermos que no pueden salir?', 'y mi abuelo que vive a 8 km de la clinica, le toca?');
    expect(r?.sources[0]?.id).not.toBe('programas-lcen-montos');
    expect(r?.text).toContain('5 km');
  });
});

describe('what the question inside a message asks', () => {
  it('does not read a cost question out of the story ("un psicólogo cobra 700")', () => {
    const r = last(
      'hola, soy de Comalcalco Tabasco, tengo 42 años. mi hijo tiene 15 años y desde que fallecio su abuelo anda muy apagado. un psicologo particular cobra 700 la sesion y no me alcanza. quisiera saber si en el imss bienestar hay atencion de salud mental para chavos de su edad y como se llama ese servicio',
    );
    expect(r.sources[0]?.id).not.toBe('cobertura-costo-servicios');
    expect(r.text).toMatch(/salud mental/i);
  });

  it('reads a hospital where the person works as who asks, not as the unit asked about', () => {
    const r = last('soy enfermera en un hospital de tapachula, me toca la de influenza o nomas es pa niños y abuelitos?');
    expect(r.intent).toBe('vacunas');
    expect(r.text).toContain('personal de salud');
  });

  it('does not take "no tiene IMSS" for someone who has IMSS', () => {
    const r = last(
      'buenas tardes, me estan pidiendo en la escuela de mi hija una constancia de que no tiene imss. mi esposo ya no trabaja en la fabrica desde el año pasado. donde saco ese papel, hay q ir a la clinica del imss o se saca en internet?',
    );
    expect(r.sources[0]?.id).not.toBe('cobertura-con-imss-issste');
    expect(r.text).toMatch(/derechohabiencia/);
  });

  it('gives the hours an entry has instead of saying units have none', () => {
    expect(last('a que hora es la campaña de prostata del hospital de alta especialidad de la peninsula?').text).toContain('9:00 a 13:00');
  });

  it('falls back when the question inside a story is about things the knowledge base does not know', () => {
    const r = last(
      'Hola, tengo 28 años y despues de mis dos embarazos quede muy cambiada. Una amiga dice que en el hospital del bienestar te hacen todo gratis. El imss bienestar cubre cirugia estetica, como lipo o aumento de busto?',
    );
    expect(r.kind).toBe('fallback');
  });

  it('gives the figure the details hold for a subject the answer names without one', () => {
    expect(last('cuantas personas escribieron por whatsapp al imss bienestar en la primera mitad del año').text).toContain('15,808');
  });

  it('points to the unit finder when the reports name no unit of that kind in the state', () => {
    expect(last('veracruz puerto hay hospital nuevo del imss bienestar? o donde queda el mas cercano').text).toContain('Busca tu unidad de salud');
  });
});

describe('a town the lists do not name', () => {
  it('says the reports name none there before listing the state', () => {
    const r = last('estan construyendo hospital nuevo del imss bienestar en zitacuaro michoacan? cuanto lleva');
    expect(r.text).toMatch(/^En los informes no aparece ninguna en Zitácuaro\. .*Michoacán/);
    expect(r.text).toContain('Busca tu unidad de salud');
  });
});

describe('a follow-up with a story after it', () => {
  it('reads "¿y en Guerrero? mi mamá vive en Chilapa…" as the same question in another state', () => {
    const [, second] = chat('vivo en zapopan jalisco, no tengo seguro, aqui ya hay imss bienestar?', 'y en guerrero? mi mama vive en chilapa y no tiene seguro tampoco');
    expect(second?.kind).toBe('answer');
    expect(second?.text).toMatch(/^Sí: Guerrero es uno de los 23 estados/);
  });
});

describe('"¿hay IMSS Bienestar aquí?" in a town', () => {
  it('says first whether it operates in the state, and "¿y en…?" asks the same of another state', () => {
    const [first, second] = chat('vivo en monterrey hay imss bienestar aki', 'y en tamaulipas?');
    expect(first?.text).toMatch(/^No: Nuevo León no está entre los 23/);
    expect(second?.text).toMatch(/^Sí: Tamaulipas es uno de los 23/);
  });
});

describe('a unit named by a word the stemmer shared with another', () => {
  it('answers the HRAE del Bajío itself, not the list of transferred hospitals', () => {
    expect(last('el hospital regional de alta especialidad del bajio tmb paso al bienestar? cuantas camas tiene').text).toMatch(/^Hospital Regional de Alta Especialidad del Bajío.*184/s);
  });
});

describe('works on a unit asked in the person’s words', () => {
  it('answers "¿lo están arreglando? ¿cuánto le metieron?" with the unit named', () => {
    expect(last('el hospital general de culiacan lo estan arreglando? cuanto le metieron').text).toMatch(/^Hospital General de Culiacán/);
  });
});

describe('a request for a unit’s phone or hours', () => {
  it('is a fallback that says so, with what is known of the unit', () => {
    const r = last('me pasa el numero de telefono del hospital general de cancun porfa');
    expect(r.kind).toBe('fallback');
    expect(r.text).toMatch(/^No tengo el teléfono/);
    expect(r.text).toContain('Hospital General de Cancún');
  });

  it('is not read from the unit’s own name, nor made of hours the unit’s description gives', () => {
    const r = last('el hospital del issste de tepic el aquiles calles es de una empresa privada? lo van a recuperar o q');
    expect(r.kind).toBe('answer');
    expect(r.text).toMatch(/^Hospital General "Aquiles Calles Ramírez"/);
    const hours = last('en el hospital de alta especialidad de merida hay campaña de prostata? que horario tiene?');
    expect(hours.kind).toBe('answer');
    expect(hours.text).not.toMatch(/^No tengo el teléfono/);
    expect(hours.text).toContain('9:00 a 13:00');
  });

  it('is not read from a word the stemmer confuses with one ("el corte de caña" is no "correo")', () => {
    const r = last('me vine de guerrero a trabajar a morelos en el corte de caña, en mi pueblo me atendia en el centro de salud, aqui tambien me atienden o tengo q ser de aca?');
    expect(r.intent).not.toBe('contacto');
    expect(r.kind).toBe('answer');
  });
});

describe('groups by age and what else the person says', () => {
  it('never tells a pregnant woman outside the age groups that the vaccine is not for her', () => {
    const r = last('tengo 26 años y 6 meses de embarazo, a las embarazadas les toca la vacuna de la influenza?');
    expect(r.text).toMatch(/^Con 26 años, no entras por edad, pero sí por estar embarazada\./);
  });

  it('reads "soy enfermera" as health personnel', () => {
    expect(last('quien puede vacunarse contra la influenza', 'soy enfermera y tengo 35 años').text).toMatch(/^Con 35 años, no entras por edad, pero sí por ser personal de salud/);
  });

  it('says whether a disease the person names is one of those that count, and when it is left out', () => {
    expect(last('quien puede vacunarse contra covid', 'tengo 45 y soy hipertensa').text).toMatch(
      /^Con 45 años, no entras por edad, pero la presión alta está en la lista de enfermedades que cuentan/,
    );
    expect(last('quien puede vacunarse contra la influenza', 'tengo 45 y soy hipertensa').text).toMatch(
      /^Con 45 años, no entras por edad, y la presión alta por sí sola no es de las enfermedades que cuentan/,
    );
  });

  it('answers the other vaccine a follow-up names with a disease, not the last one', () => {
    const [, second] = chat('a quien le toca la vacuna de la influenza', 'y la del covid? mi papa tiene 50 y es hipertenso');
    expect(second?.sources[0]?.id).toBe('vacunas-covid-grupos');
    expect(second?.text).toMatch(/^Con 50 años, no entras por edad, pero la presión alta está en la lista/);
  });

  it('answers another age about the other vaccine the follow-up names', () => {
    const [, second] = chat('a quienes les toca la vacuna del covid este año?', 'y la de la influenza a mi bebe de 8 meses si le toca?');
    expect(second?.sources[0]?.id).toBe('vacunas-influenza-grupos');
    expect(second?.text).toMatch(/^Con 8 meses, sí entras por edad/);
  });
});

describe('the kind of unit asked', () => {
  it('does not answer "¿cuál centro de salud me toca?" with the only hospital the reports name in the town', () => {
    const r = last('me acabo de cambiar a Ecatepec y no se cual centro de salud me toca, hay alguna forma de buscarlo por internet?');
    expect(r.text).not.toMatch(/^Hospital Oncológico de Ecatepec/);
    expect(r.text).toContain('Busca tu unidad de salud');
  });
});

describe('a state named beside a programme', () => {
  it('answers "¿qué es el MAS Bienestar?" asked from a town, not the state’s coverage', () => {
    const r = last('q es eso del MAS bienestar? lo vi en un cartel en el centro de salud de Juchitán y nadie me supo explicar');
    expect(r.text).not.toMatch(/^Sí: Oaxaca es uno de los 23/);
    expect(r.text).toMatch(/MAS-Bienestar|MAS Bienestar/);
  });
});

describe('the IMSS’s collective contract', () => {
  it('answers the raise of the contract by its name, and a worker’s own contract is not it', () => {
    expect(last('de cuanto fue el aumento del contrato colectivo 2023-2025?').text).toMatch(/7\.80 % para 2023-2025/);
    expect(last('me dieron contrato eventual en el imss bienestar, cuando me dan base?').sources[0]?.id).not.toBe('empleo-imss-contrato-colectivo');
    // (the contract is one name: hiring, "contratar", shares its stem but is not it)
    expect(last('el imss esta contratando doctores?').sources[0]?.id).not.toBe('empleo-imss-contrato-colectivo');
  });
});

describe('two questions in one message', () => {
  it('answers each question the message numbers, in order, without the options of either', () => {
    const r = last('tengo dos dudas: 1) como saco la constancia de que no tengo imss y 2) como veo mis cotizaciones en el celular?');
    expect(r.kind).toBe('answer');
    expect(r.text).toMatch(/^1\) .*no derechohabiencia/s);
    expect(r.text).toMatch(/\n\n2\) .*RPCI/s);
    expect(r.text).not.toContain('También te puede servir');
    expect(r.options).toEqual([]);
    expect(r.sources.map((s) => s.id)).toEqual(['imss-no-derechohabiencia', 'imss-reporte-cotizacion-rpci']);
  });

  it('reads the second question after the first: "¿ya las entregan?" is about the credentials', () => {
    const r = last('dos preguntas porfa: 1) cuanta gente se ha registrado pa la credencial del imss bienestar y 2) ya las estan entregando o todavia no?');
    expect(r.text).toMatch(/^1\) .*7,866,426/s);
    expect(r.text).toMatch(/\n\n2\) .*credencial/s);
  });
});

describe('pay asked for a job the reports give no pay for', () => {
  it('says first that it has no pay for that job, even beside the doctors’ pay', () => {
    expect(last('me ofrecieron plaza de enfermera auxiliar en un hospital comunitario del imss bienestar en chiapas, cuanto gana una enfermera auxiliar ahi?').text).toMatch(
      /^No tengo el sueldo de ese puesto/,
    );
    // (the doctors' pay asked by a nurse is the doctors' pay)
    expect(last('soy enfermera pero mi hijo es medico, cuanto pagan en medicos del bienestar?').text).not.toMatch(/^No tengo el sueldo/);
  });
});

describe('the cost of what was just described', () => {
  it('answers with free care when the last entry says nothing of cost', () => {
    const [first, second] = chat(
      'mi tio no tiene seguro, siempre se atendio en el centro de salud. en el imss bienestar hay atencion de salud mental, como psicologo?',
      'y eso se paga o es gratis?',
    );
    expect(first?.sources[0]?.id).toBe('prevencion-salud-mental');
    expect(second?.kind).toBe('answer');
    expect(second?.text).toMatch(/gratuit/);
    expect(second?.sources[0]?.id).not.toBe('prevencion-salud-mental');
  });
});

describe('a state outside IMSS-BIENESTAR', () => {
  it('is told so before a referral that sends the person to IMSS-BIENESTAR', () => {
    const r = last('vivo en monterrey nuevo leon, donde saco la credencial del imss bienestar? que papeles piden?');
    expect(r.kind).toBe('fallback');
    expect(r.text).toMatch(/^Ojo: No: Nuevo León no está entre los 23 estados/);
  });

  it('but not in one of the 23', () => {
    expect(last('vivo en pachuca hidalgo, que papeles piden para la credencial del imss bienestar?').text).not.toMatch(/^Ojo/);
  });
});

describe('where the person saw it', () => {
  it('is not what they ask about: a poster is no subject', () => {
    expect(last('que significa eso del MAS bienestar? lo vi en un cartel de mi clinica y no le entendi').sources[0]?.id).toBe('programas-mas-bienestar');
  });

  it('nor is the place where people said it', () => {
    expect(last('tengo una hija de 11 y una mama en la escuela dijo que la vacuna del papiloma ya la quitaron, es verdad?').sources[0]?.id).toBe('vacunas-campanas-resultados');
  });
});

describe('the hours of a unit named', () => {
  it('are not those an entry of another institution talks about: the unit, and that the reports give none', () => {
    const r = last('horarios centro de salud de jerez zacatecas');
    expect(r.kind).toBe('fallback');
    expect(r.text).toMatch(/^No tengo el teléfono, el horario/);
    expect(r.sources.map((x) => x.id)).toContain('imssb-obra-cs-jerez');
  });
});

describe('a unit the story mentions', () => {
  it('is not the answer to a question about another town', () => {
    const r = last(
      'buenas tardes, disculpe la molestia. vivo en un pueblito de chiapas cerca de san cristobal de las casas. hay algun hospital nuevo del imss bienestar en san cristobal? mi papa ya no aguanta el camion hasta tuxtla',
    );
    expect(r.sources.map((x) => x.id)).not.toContain('imssb-hep-chiapas');
    expect(r.text).toMatch(/Chiapas/);
  });

  it('nor the answer to a question about something else that points at no unit', () => {
    const r = last('buenas, el lunes lleve a mi hijo al hospital general de tlapa y el doctor ni lo reviso, nomas nos regaño. no se vale. donde puedo poner una queja?');
    expect(r.sources.map((x) => x.id)).not.toContain('imssb-obra-hg-tlapa');
    expect(r.text).toMatch(/buz[oó]n|Aval Ciudadano|Atención Ciudadana/);
  });

  it('says the town asked has none before the state’s other units', () => {
    expect(last('van a poner sala de hemodialisis en comitan chiapas?').text).toMatch(/^En los informes no aparece ninguna en Comitán\. .*Chiapas, pero sí estas:/);
  });
});

describe('an age said before', () => {
  it('answers a later question about the same person', () => {
    const [, second] = chat('mi hija tiene 3 años y es bien enfermiza', 'le toca la vacuna de la influenza?');
    expect(second?.text).toMatch(/^Con 3 años, sí entras por edad/);
  });

  it('is not the age of the person asking for themselves', () => {
    const [, second] = chat('mi hija tiene 3 años y es bien enfermiza', 'y a mi me toca la de la influenza?');
    expect(second?.text).not.toMatch(/Con 3 años/);
  });
});

describe('whose one is, said the message before', () => {
  it('makes "¿puedo ir al centro de salud del Bienestar?" the question of the IMSS-ISSSTE agreement', () => {
    const [, second] = chat('soy enfermera del imss y mi umf esta lejos', 'puedo consultar en el centro de salud del imss bienestar de aqui? cobran?');
    expect(second?.sources[0]?.id).toBe('cobertura-con-imss-issste');
  });
});

describe('an age asked for', () => {
  it('is said to be missing when the answer gives none', () => {
    expect(last('de que edad le ponen a las niñas la vacuna contra el vph?').text).toMatch(/^No tengo la edad para eso/);
  });

  it('but not when the answer gives the ages', () => {
    expect(last('a que edad le toca la vacuna de la influenza?').text).not.toMatch(/^No tengo la edad/);
  });
});

describe('a phone one has not', () => {
  it('asks for no number: "si no tengo internet ni celular" is about registering without them', () => {
    const [, second] = chat('como saco la credencial del imss bienestar', 'y si no tengo internet ni celular?');
    expect(second?.text).not.toMatch(/^No tengo ese número/);
  });

  it('nor does what came through WhatsApp: a chain, a group, a video', () => {
    expect(last('me llego una cadena de whatsapp que dice que la vacuna del covid ya nomas es pa los de 60 pa arriba, es cierto?').text).not.toMatch(/^No tengo ese número/);
  });

  it('while a number asked is a fallback that says so, with what is known', () => {
    const r = last('me pasas el whatsapp de medicos del bienestar?');
    expect(r.kind).toBe('fallback');
    expect(r.text).toMatch(/^No tengo ese número/);
  });
});

describe('a programme named by its name', () => {
  it('leads over an entry that matched only the kind of question and everyday words', () => {
    expect(last('donde queda la farmacia del bienestar mas cercana a mi casa? vivo en chalco').sources[0]?.id).toBe('programas-farmacias-bienestar');
  });
});

describe('words the stemmer folds together', () => {
  it('keeps hearsay ("oí", "será") apart from the ear and from a subject', () => {
    expect(last('oi que los yaquis ya tienen sus clinicas del imss bienestar, sera verdad?').sources[0]?.id).toBe('programas-nacion-yaqui');
  });

  it('keeps "ya mero" (almost) apart from Mérida', () => {
    const [, second] = chat('como va la obra del hospital general de tepic? dicen q ya mero la acaban', 'y cuantas camas?');
    expect(second?.sources[0]?.id).toBe('imssb-obra-hg-tepic');
  });

  it('keeps running apart from e-mail: "los doctores corrían" asks no contact', () => {
    const r = last('a mi papa lo llevaron al hospital general de acapulco y los doctores corrian todos, que es eso del codigo infarto?');
    expect(r.kind).toBe('answer');
    expect(r.sources[0]?.id).toBe('especialidades-codigo-infarto');
  });
});
