import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Assistant, createAssistant } from '../../src/core/create-assistant.js';
import type { Reply, Session } from '../../src/core/types.js';
import { loadOrThrow, makeMiniKb, REAL_KB_DIR } from '../helpers/mini-kb.js';

let dir: string;
let assistant: Assistant;
beforeAll(() => {
  dir = makeMiniKb();
  assistant = createAssistant(loadOrThrow(dir));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Plays a conversation and returns every reply; time is fixed so sessions never expire. */
function chat(...texts: string[]): Reply[] {
  let session: Session | undefined;
  const replies: Reply[] = [];
  for (const text of texts) {
    const r = assistant.respond({ userId: 'test:1', text }, session, 1_000);
    session = r.session;
    replies.push(r.reply);
  }
  return replies;
}
const last = (...texts: string[]) => chat(...texts).at(-1) as Reply;

describe('answers', () => {
  it('answers from the matching entry, with source and date, despite typos and no accents', () => {
    const r = last('holaaa kiero sacar la credensial como le ago');
    expect(r.kind).toBe('answer');
    expect(r.intent).toBe('tramites');
    expect(r.sources[0]?.id).toBe('credencial-registro');
    expect(r.text).toContain('7,866,426');
    expect(r.text).toMatch(/Fuente: Informe semestral de IMSS-BIENESTAR .*Datos al 30 de junio de 2024\./);
  });

  it('offers related entries as numbered options that a number then picks', () => {
    const [first, second] = chat('como saco la credencial', '1');
    expect(first?.options).toEqual(['Para qué sirve el código QR']);
    expect(second?.sources[0]?.id).toBe('credencial-qr');
  });

  it('sends "más detalles" for the last answer, and says so when there are none', () => {
    expect(last('como saco la credencial', 'mas detalles').text).toContain('69,417');
    expect(last('para que sirve el qr de la credencial', 'más detalles').text).toContain('No hay más detalles');
  });
});

describe('emergencies come first', () => {
  it.each([
    'me duele el pecho y no puedo respirar',
    'mi abuelita se desmayo y no despierta',
    'mi niño se tomo cloro',
    'estoy embarazada y estoy sangrando mucho',
    'hola, donde saco la credencial? es que a mi papa le duele el pecho muy fuerte',
  ])('"%s" gets 911 before anything else', (text) => {
    const r = last(text);
    expect(r.kind).toBe('emergency');
    expect(r.text.indexOf('911')).toBeGreaterThanOrEqual(0);
    expect(r.text.indexOf('911')).toBeLessThan(60);
  });

  it('gives Línea de la Vida for suicidal thoughts', () => {
    const r = last('ya no quiero vivir');
    expect(r.kind).toBe('emergency');
    expect(r.intent).toBe('crisis');
    expect(r.text).toContain('800 911 2000');
  });

  it.each(['el hospital tiene urgencias?', 'que es el codigo infarto', 'vacuna para embarazada'])(
    '"%s" is not an emergency',
    (text) => {
      expect(last(text).kind).not.toBe('emergency');
    },
  );
});

describe('courtesy, help and menu', () => {
  it('greets, thanks and says goodbye without searching', () => {
    expect(last('hola buenas').kind).toBe('smalltalk');
    expect(last('gracias!! 🙏').intent).toBe('gracias');
    expect(last('adios').intent).toBe('despedida');
  });

  it('does not mistake a greeting followed by a question for smalltalk', () => {
    expect(last('hola, para que sirve el qr de la credencial').kind).toBe('answer');
  });

  it('shows the menu, and a menu number opens that topic', () => {
    const [menu, topic] = chat('menu', '2');
    expect(menu?.options).toEqual(['Trámites', 'Obras']);
    expect(topic?.kind).toBe('clarify');
    expect(topic?.options).toEqual(['Obras de IMSS-BIENESTAR']);
  });

  it('says when a number does not match an open option', () => {
    const r = last('7');
    expect(r.text).toContain('No tengo una opción 7');
  });
});

describe('follow-ups', () => {
  it('answers "¿y en Guerrero?" with the same question for another state', () => {
    const [oaxaca, guerrero] = chat('que hospitales esta construyendo el bienestar en oaxaca', 'y en guerrero?');
    expect(oaxaca?.text).toContain('Hospital General de Tuxtepec');
    expect(oaxaca?.text).not.toContain('Tlapa');
    expect(guerrero?.text).toContain('Hospital General de Tlapa de Comonfort');
    expect(guerrero?.text).toContain('72.5 % de avance');
  });

  it('says yes or no for a state after a coverage question', () => {
    const [, jalisco, oaxaca] = chat('el imss bienestar esta en todo el pais?', 'y jalisco?', 'y en oaxaca?');
    expect(jalisco?.text).toMatch(/^No: Jalisco no está entre los 23/);
    expect(oaxaca?.text).toMatch(/^Sí: Oaxaca es uno de los 23/);
  });

  it('keeps talking about the unit just described ("¿y de cuántas camas?")', () => {
    const [unit, beds] = chat('el hospital de tepic ya esta listo?', 'y de cuantas camas va a ser?');
    expect(unit?.sources[0]?.id).toBe('hg-tepic');
    expect(beds?.sources[0]?.id).toBe('hg-tepic');
    expect(beds?.text).toContain('120 camas');
  });

  it('resolves an elliptical follow-up against the previous question', () => {
    const r = last('quien se puede vacunar contra el covid', 'y la de influenza?');
    expect(r.sources[0]?.id).toBe('vacuna-influenza');
  });

  it('forgets the conversation after the session expires', () => {
    const first = assistant.respond({ userId: 'u', text: 'el imss bienestar esta en todo el pais?' }, undefined, 0);
    const later = assistant.respond({ userId: 'u', text: 'y jalisco?' }, first.session, assistant.options.sessionTtlMs + 1);
    expect(later.reply.text).not.toMatch(/^No: Jalisco/);
  });
});

describe('when it cannot answer', () => {
  it('falls back honestly for questions outside the knowledge', () => {
    for (const text of ['quien gano el partido de ayer', 'asdfg jkjk qwe', 'receta de pozole']) {
      const r = last(text);
      expect(r.kind).toBe('fallback');
      expect(r.text).toContain('imssbienestar.gob.mx');
    }
  });

  it('answers a referral entry as a fallback that says where to ask', () => {
    const r = last('que papeles piden para la guarderia del imss');
    expect(r.kind).toBe('fallback');
    expect(r.sources[0]?.id).toBe('guarderia-requisitos');
    expect(r.text).toContain('imss.gob.mx');
  });

  it('asks which topic when two candidates are too close, and the number picks one', () => {
    const [clarify, chosen] = chat('vacuna', '2');
    expect(clarify?.kind).toBe('clarify');
    expect(clarify?.options).toHaveLength(2);
    expect(chosen?.kind).toBe('answer');
    expect(chosen?.sources[0]?.id).toBe(
      clarify?.options[1] === 'Vacuna de COVID' ? 'vacuna-covid' : 'vacuna-influenza',
    );
  });

  it('never throws and always replies with a well-formed object', () => {
    for (const text of ['', '   ', '🙏🙏🙏', 'x'.repeat(100_000), '\u0000\u202e', '9'.repeat(50)]) {
      const r = last(text);
      expect(['answer', 'clarify', 'fallback', 'emergency', 'smalltalk']).toContain(r.kind);
      expect(typeof r.text).toBe('string');
      expect(r.text.length).toBeGreaterThan(0);
    }
  });
});

describe('locations', () => {
  it('lists the nearest known units to a shared location', () => {
    const r = assistant.respond({ userId: 'u', location: { latitude: 18.1, longitude: -96.1 } }, undefined, 0).reply;
    expect(r.text).toContain('Hospital General de Tuxtepec');
    expect(r.text).toMatch(/a unos \d+ km/);
  });

  it('says honestly when nothing is known nearby and points to the unit finder', () => {
    const r = assistant.respond({ userId: 'u', location: { latitude: 32.5, longitude: -117 } }, undefined, 0).reply;
    expect(r.kind).toBe('fallback');
    expect(r.text).toContain('Busca tu unidad');
  });
});

describe('first messages answered again', () => {
  it('gives the same reply and session to a repeat, as copies the caller may change', () => {
    const a = createAssistant(loadOrThrow(REAL_KB_DIR));
    const first = a.respond({ userId: 'u1', text: 'como saco la credencial del imss bienestar' }, undefined, 1_000);
    first.reply.text = 'changed by a channel';
    first.reply.options.push('x');
    first.session.options?.splice(0);
    const again = a.respond({ userId: 'u2', text: 'como saco la credencial del imss bienestar' }, undefined, 5_000);
    const fresh = createAssistant(loadOrThrow(REAL_KB_DIR)).respond({ userId: 'u3', text: 'como saco la credencial del imss bienestar' }, undefined, 5_000);
    expect(again.reply).toEqual(fresh.reply);
    expect(again.session).toEqual(fresh.session);
    expect(again.session.updatedAt).toBe(5_000);
  });
});
