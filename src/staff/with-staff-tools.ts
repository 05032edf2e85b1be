import type { Assistant } from '../core/create-assistant.js';
import type { IncomingMessage, Reply, Session } from '../core/types.js';
import { normalize } from '../text/normalize.js';
import type { Metrics } from './metrics.js';
import type { StaffStore } from './create-staff-store.js';

/** What Orienta says about privacy (short on purpose: it goes on top of the first answer). */
export const PRIVACY_TEXTS = {
  notice:
    'Aviso de privacidad: para mejorar, Orienta guarda sin tu nombre ni tu número las preguntas que no supo responder y tus 👍/👎. No escribas datos personales. Escribe «borrar mis datos» para borrarlos o «baja» para que no guardemos nada tuyo.',
  forgotten: 'Listo: borramos lo que teníamos guardado de tus mensajes. Puedes seguir preguntando cuando quieras.',
  optedOut:
    'Listo: te diste de baja. Borramos lo que teníamos guardado de ti y no guardaremos nada más. Orienta nunca te escribe por su cuenta: solo responde cuando tú preguntas. Si quieres volver, escribe «alta».',
  optedIn: 'Listo: te diste de alta otra vez. ¿En qué te ayudo?',
} as const;

const FORGET = new Set(['borrar mis datos', 'borra mis datos', 'borrar datos', 'borren mis datos', 'eliminar mis datos']);
const OPT_OUT = new Set(['baja', 'darme de baja', 'ya no me escriban', 'ya no me escribas', 'no me escriban', 'stop']);
const OPT_IN = new Set(['alta', 'darme de alta']);

export interface StaffToolsDeps {
  store?: StaffStore;
  metrics?: Metrics;
  /** High-resolution clock in milliseconds, for the latency histogram. */
  clock?: () => number;
}

/**
 * Wraps the current assistant (read through `current()` on every message, so a hot reload takes
 * effect at once) with what staff and privacy need, for every channel at the same seam:
 * "borrar mis datos", "baja"/"ya no me escriban" and "alta"; the privacy notice on first contact;
 * fallbacks (`unanswered`) and clarifications (`low-confidence`) recorded in the staff store;
 * replies counted and timed in the metrics.
 *
 * ```ts
 * const assistant = withStaffTools(() => live, { store, metrics });
 * await handleMessage({ assistant, sessions }, { userId: 'web:ana', text: 'baja' });
 * ```
 */
export function withStaffTools(current: () => Assistant, deps: StaffToolsDeps): Assistant {
  const clock = deps.clock ?? (() => performance.now());
  const { store, metrics } = deps;

  const said = (intent: string, text: string, session: Session | undefined, now: number) => ({
    reply: { kind: 'smalltalk', intent, text, options: [], sources: [], score: 0 } satisfies Reply as Reply,
    session: { ...session, options: undefined, updatedAt: now },
  });

  /** The privacy commands, answered here; undefined for anything else. */
  const own = (message: IncomingMessage, session: Session | undefined, now: number) => {
    const heard = message.text ? normalize(message.text).replace(/[^\p{L}\p{N} ]/gu, '').trim() : '';
    if (store && FORGET.has(heard)) {
      store.forget(message.userId);
      return said('privacidad-borrar', PRIVACY_TEXTS.forgotten, session, now);
    }
    if (store && OPT_OUT.has(heard)) {
      store.optOut(message.userId);
      return said('privacidad-baja', PRIVACY_TEXTS.optedOut, session, now);
    }
    if (store && OPT_IN.has(heard) && store.isOptedOut(message.userId)) {
      store.optIn(message.userId);
      return said('privacidad-alta', PRIVACY_TEXTS.optedIn, session, now);
    }
    return undefined;
  };

  /** Counts and times the engine's reply, records what it could not answer, adds the privacy notice. */
  const after = (message: IncomingMessage, t0: number, result: { reply: Reply; session: Session }) => {
    const channel = message.userId.split(':')[0] || 'desconocido';
    const { reply } = result;
    metrics?.latency.observe((clock() - t0) / 1000);
    metrics?.messages.inc({ channel, kind: reply.kind });
    if (reply.kind === 'fallback') metrics?.fallbacks.inc({ channel });
    if (reply.kind === 'emergency') metrics?.emergencies.inc({ channel });

    if (store && message.text) {
      if (reply.kind === 'fallback')
        store.recordQuestion({ userId: message.userId, outcome: 'unanswered', intent: reply.intent, text: message.text, score: reply.score });
      else if (reply.kind === 'clarify' && reply.score > 0)
        store.recordQuestion({ userId: message.userId, outcome: 'low-confidence', intent: reply.intent, text: message.text, score: reply.score });
    }
    // The notice never delays an emergency reply.
    if (store && reply.kind !== 'emergency' && store.firstContact(message.userId))
      return { ...result, reply: { ...reply, text: `${PRIVACY_TEXTS.notice}\n\n${reply.text}` } };
    return result;
  };

  return {
    get knowledge() {
      return current().knowledge;
    },
    get index() {
      return current().index;
    },
    get options() {
      return current().options;
    },
    triage: (text) => current().triage(text),
    explain: (message, session, now) => current().explain(message, session, now),
    respond(message, session, now = Date.now()) {
      return own(message, session, now) ?? after(message, clock(), current().respond(message, session, now));
    },
    async respondAsync(message, session, now = Date.now()) {
      const mine = own(message, session, now);
      if (mine) return mine;
      const t0 = clock();
      const engine = current();
      return after(message, t0, await (engine.respondAsync ?? engine.respond)(message, session, now));
    },
  };
}
