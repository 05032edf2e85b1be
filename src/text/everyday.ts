import { processTerm } from './terms.js';

/**
 * Everyday words of a citizen's message: the story around a question ("trabajo de mesero", "me
 * enfermo", "vivo en la capital", "todo el día"). The knowledge base may use one of them in a
 * single entry by chance, which makes it look telling; it never names a subject on its own.
 * Index terms, so every form of a word is covered ("enfermo", "enfermos", "enfermé").
 */
const WORDS = `trabajo trabajar trabaja trabajos enfermo enferma enfermar enfermedad casa casas dia dias todo toda todos todas
capital ciudad gente persona personas familia familiar hijo hija hijos mama papa esposo esposa senora senor
dinero tiempo ano anos mes meses semana semanas hora horas vez veces cosa cosas lugar lugares parte forma
manera nombre bien mal mejor nuevo nueva grande chico cerca lejos rapido pronto siempre nunca mucho poco
ayuda ayudar saber sabe pregunta preguntar decir dijo dicen dijeron escuche oi cierto verdad favor gracias
salir sale entrar llegar llega ir voy vamos venir viene pasar paso pasa quiero quiere necesito necesita
ver veo mirar hablar hablo llamar contar cuenta buscar busco encontrar dar doy dan tener tengo tiene
hacer hago hace hacen poder puedo puede ocupo moto carro camion calle campo rancho pueblo
cuarto cama comida comer dormir noche manana tarde hoy ayer falta faltan faltar compadre comadre vecino vecina
primo prima tio tia cunado cunada suegro suegra nieto nieta curiosidad dato datos blanco blanca negro negra rojo roja
verde azul amarillo camioneta ningun ninguno ninguna nada algo alguien propio propia propios propias mismo misma mismos mismas onda
viejo vieja viejos viejas antiguo antigua reemplazar reemplazo reemplazan aumento aumentar aumentaron aumenta subir subio
exactamente exacto realmente neta ser sera seran`;

export const EVERYDAY_TERMS: ReadonlySet<string> = new Set(
  WORDS.split(/\s+/)
    .filter(Boolean)
    .map((w) => processTerm(w) as string)
    .filter(Boolean),
);
