import type { Assistant } from '../core/create-assistant.js';
import type { IncomingMessage, OptionAction, Reply, Session } from '../core/types.js';
import type { Knowledge } from '../knowledge/load-knowledge.js';
import { normalize } from '../text/normalize.js';
import { chosenText, optionLabel } from './build-report.js';
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
// The words the engine lets around an option's number ("la 3", "opción 3", "quiero el 3"):
// the same list as its `parseChoice`.
const CHOICE_FILLER = new Set(['opcion', 'la', 'el', 'numero', 'num', 'quiero', 'de', 'del', 'es']);

/** A knowledge id (as the schema's `Id`): a tap's action comes from the browser and is checked. */
const KNOWLEDGE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * What a question is stored as: the text, or for an option chosen — tapped (the message's own
 * `action`) or typed by number ("3", "la 3", from the options the session held) — the option's
 * label and the entry, unit or topic it chose.
 */
function questionText(message: IncomingMessage & { text: string }, session: Session | undefined, knowledge: Knowledge | undefined): string {
  const { text } = message;
  let action: OptionAction | undefined = message.action;
  let shown = text;
  if (!action) {
    const rest = normalize(text)
      .split(' ')
      .filter((w) => w && !CHOICE_FILLER.has(w));
    if (rest.length !== 1 || !/^\d{1,2}$/.test(rest[0] as string)) return text;
    action = session?.options?.[Number(rest[0]) - 1];
    shown = `opción ${rest[0]}`;
  }
  if (!action) return text;
  const id = action.type === 'topic' ? action.topic : action.id;
  if (!KNOWLEDGE_ID.test(id)) return text;
  return chosenText({ type: action.type, id, label: (knowledge && optionLabel(action, knowledge)) ?? shown });
}

export interface StaffToolsDeps {
  store?: StaffStore;
  metrics?: Metrics;
  /** High-resolution clock in milliseconds, for the latency histogram. */
  clock?: () => number;
}

/** The store with every call contained: a throw becomes "not recorded" (false, 0). */
function guarded(store: StaffStore): StaffStore {
  const safe =
    <A extends unknown[], R>(f: (...a: A) => R, fallback: R) =>
    (...a: A): R => {
      try {
        return f.apply(store, a);
      } catch {
        return fallback;
      }
    };
  return {
    ...store,
    pseudonym: (id) => store.pseudonym(id),
    recordQuestion: safe(store.recordQuestion, undefined),
    recordFeedback: safe(store.recordFeedback, undefined),
    firstContact: safe(store.firstContact, false),
    forget: safe(store.forget, 0),
    optOut: safe(store.optOut, undefined),
    optIn: safe(store.optIn, undefined),
    isOptedOut: safe(store.isOptedOut, false),
    events: () => store.events(),
    compact: safe(store.compact, undefined),
  };
}

/**
 * Wraps the current assistant (read through `current()` on every message, so a hot reload takes
 * effect at once) with what staff and privacy need, for every channel at the same seam:
 * "borrar mis datos", "baja"/"ya no me escriban" and "alta"; the privacy notice on first contact;
 * fallbacks (`unanswered`) and clarifications (`low-confidence`) recorded in the staff store (an
 * option chosen by number as its label and entry, see `chosenText`);
 * replies counted and timed in the metrics.
 *
 * ```ts
 * const assistant = withStaffTools(() => live, { store, metrics });
 * await handleMessage({ assistant, sessions }, { userId: 'web:ana', text: 'baja' });
 * ```
 */
export function withStaffTools(current: () => Assistant, deps: StaffToolsDeps): Assistant {
  const clock = deps.clock ?? (() => performance.now());
  const { metrics } = deps;
  // Recording never costs the citizen the reply: a store that throws (a full disk, a custom
  // store) is treated as one that did not record.
  const store = deps.store && guarded(deps.store);

  const said = (intent: string, text: string, session: Session | undefined, now: number) => ({
    reply: { kind: 'smalltalk', intent, text, options: [], sources: [], score: 0 } satisfies Reply as Reply,
    session: { ...session, options: undefined, updatedAt: now },
  });

  /** The privacy commands, answered here; undefined for anything else. */
  const own = (message: IncomingMessage, session: Session | undefined, now: number) => {
    const heard = message.text ? normalize(message.text).replace(/[^\p{L}\p{N} ]/gu, '').trim() : '';
    if (FORGET.has(heard)) {
      store?.forget(message.userId);
      // (and the conversation itself: the store saving this empty session overwrites it in memory, file or Redis)
      return said('privacidad-borrar', PRIVACY_TEXTS.forgotten, undefined, now);
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
  const after = (message: IncomingMessage, t0: number, result: { reply: Reply; session: Session }, engine: Assistant, before: Session | undefined, now: number) => {
    const channel = message.userId.split(':')[0] || 'desconocido';
    const { reply } = result;
    metrics?.latency.observe((clock() - t0) / 1000);
    metrics?.messages.inc({ channel, kind: reply.kind });
    if (reply.kind === 'fallback') metrics?.fallbacks.inc({ channel });
    if (reply.kind === 'emergency') metrics?.emergencies.inc({ channel });

    if (store && message.text) {
      const outcome = reply.kind === 'fallback' ? 'unanswered' : reply.kind === 'clarify' && reply.score > 0 ? 'low-confidence' : undefined;
      if (outcome) {
        // (an expired session holds no open options for the engine either; a stand-in engine may have no options)
        const ttl = (engine.options as Partial<Assistant['options']> | undefined)?.sessionTtlMs ?? Infinity;
        const live = before && now - before.updatedAt < ttl ? before : undefined;
        const text = questionText({ ...message, text: message.text }, live, engine.knowledge);
        store.recordQuestion({ userId: message.userId, outcome, intent: reply.intent, text, score: reply.score });
      }
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
      const mine = own(message, session, now);
      if (mine) return mine;
      const t0 = clock();
      const engine = current();
      return after(message, t0, engine.respond(message, session, now), engine, session, now);
    },
    async respondAsync(message, session, now = Date.now()) {
      const mine = own(message, session, now);
      if (mine) return mine;
      const t0 = clock();
      const engine = current();
      return after(message, t0, await (engine.respondAsync ?? engine.respond)(message, session, now), engine, session, now);
    },
  };
}
