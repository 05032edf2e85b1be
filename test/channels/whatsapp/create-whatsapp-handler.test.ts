import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSendPacer } from '../../../src/channels/whatsapp/create-send-pacer.js';
import { createWhatsAppHandler, type WhatsAppHandler } from '../../../src/channels/whatsapp/create-whatsapp-handler.js';
import { WHATSAPP_TEXTS } from '../../../src/channels/whatsapp/whatsapp-texts.js';
import { createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore, type SessionStore } from '../../../src/core/session-store.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';
import {
  createFakeSocket,
  extendedText,
  type FakeSocket,
  LID_JID,
  location,
  newId,
  PHONE_JID,
  text,
  voiceNote,
  waMessage,
} from './fake-socket.js';

const assistant = createAssistant(loadOrThrow(makeMiniKb()));

/** Sessions in memory; a test can make the next lookup for a user throw. */
function failingSessions() {
  const inner = createMemorySessionStore({ ttlMs: 60 * 60_000 });
  const failNext = new Set<string>();
  const store: SessionStore = {
    async get(userId) {
      if (failNext.delete(userId)) throw new Error(`session backend down for ${userId}`);
      return inner.get(userId);
    },
    set: (u, s) => inner.set(u, s),
    delete: (u) => inner.delete(u),
    close: () => inner.close(),
  };
  return { store, failNext, inner };
}

let sock: FakeSocket;
let handler: WhatsAppHandler;
let sessions: ReturnType<typeof failingSessions>;
let logLines: string[];

beforeEach(() => {
  logLines = [];
  sessions = failingSessions();
  sock = createFakeSocket();
  handler = createWhatsAppHandler({
    assistant,
    sessions: sessions.store,
    log: pino({ level: 'debug' }, { write: (l: string) => void logLines.push(l) }),
    pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }),
  });
  handler.attach(sock);
});

/** Delivers messages like the socket would and waits until they are answered. */
async function deliver(...messages: Parameters<FakeSocket['upsert']>[0]) {
  sock.upsert(messages);
  await handler.idle();
}
const textsTo = (jid: string) => sock.sent.filter((s) => s.jid === jid).map((s) => s.text);

describe('createWhatsAppHandler', () => {
  it('answers a question in the same chat it came from, with the source in italics at the end', async () => {
    await deliver(text('como me registro para la credencial'));
    const sent = textsTo(PHONE_JID);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('Te registras en un módulo');
    expect(sent[0]).toMatch(/\n_Fuente: .*Datos al 30 de junio de 2024\._$/);
    expect(sock.sent.every((s) => s.jid === PHONE_JID)).toBe(true);
  });

  it('reads text from extended, caption, list-reply and ephemeral/view-once wrapped messages', async () => {
    const jids = ['5215500000001@s.whatsapp.net', '5215500000002@s.whatsapp.net', '5215500000003@s.whatsapp.net', '5215500000004@s.whatsapp.net'];
    await deliver(
      extendedText('menu', { remoteJid: jids[0] }),
      waMessage({ imageMessage: { caption: 'menu', mimetype: 'image/jpeg' } }, { remoteJid: jids[1] }),
      waMessage({ ephemeralMessage: { message: { extendedTextMessage: { text: 'menu' } } } }, { remoteJid: jids[2] }),
      waMessage({ viewOnceMessageV2: { message: { listResponseMessage: { title: 'menu' } } } }, { remoteJid: jids[3] }),
    );
    for (const jid of jids) expect(textsTo(jid)).toEqual(['*Temas:*\n1. Trámites\n2. Obras']);
  });

  it('ignores groups, status broadcasts, newsletters, its own messages and history appends', async () => {
    await deliver(
      text('menu', { remoteJid: '120363025246125486@g.us', participant: PHONE_JID }),
      text('menu', { remoteJid: 'status@broadcast', participant: PHONE_JID }),
      text('menu', { remoteJid: '120363144038483540@newsletter' }),
      text('menu', { fromMe: true }),
    );
    sock.upsert([text('menu')], 'append');
    await handler.idle();
    expect(sock.sent).toEqual([]);
    expect(sock.reads).toEqual([]);
  });

  it('answers a message delivered twice only once', async () => {
    const m = text('menu');
    await deliver(m);
    await deliver(structuredClone(m));
    sock.upsert([m, m]);
    await handler.idle();
    expect(textsTo(PHONE_JID)).toHaveLength(1);
  });

  it('replies to the chat as received, but keys the person on one identity across LID and phone jids', async () => {
    await deliver(text('vacuna', { remoteJid: LID_JID, remoteJidAlt: PHONE_JID, addressingMode: 'lid' }));
    expect(textsTo(LID_JID)).toHaveLength(1);
    expect(textsTo(PHONE_JID)).toEqual([]);
    expect(await sessions.inner.get(`whatsapp:${PHONE_JID}`)).toBeDefined();
    expect(await sessions.inner.get(`whatsapp:${LID_JID}`)).toBeUndefined();
  });

  it('one person, one rate limit and one log pseudonym: by remoteJidAlt, by the LID mapping, with a device suffix', async () => {
    const taken: string[] = [];
    const lines: string[] = [];
    const s = Object.assign(createFakeSocket(), {
      signalRepository: { lidMapping: { getPNForLID: async (lid: string) => (lid === LID_JID ? '5215512345678:3@s.whatsapp.net' : null) } },
    });
    const h = createWhatsAppHandler({
      assistant,
      sessions: createMemorySessionStore({ ttlMs: 60_000 }),
      log: pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) }),
      pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }),
      rateLimit: { take: async (key: string) => (taken.push(key), true) } as never,
    });
    h.attach(s);
    s.upsert([text('menu')]);
    s.upsert([text('menu', { remoteJid: LID_JID, remoteJidAlt: PHONE_JID, addressingMode: 'lid' })]);
    s.upsert([text('menu', { remoteJid: LID_JID, addressingMode: 'lid' })]);
    s.upsert([text('menu', { remoteJid: '5215512345678:7@s.whatsapp.net' })]);
    await h.idle();
    expect(taken).toEqual(Array(4).fill(`whatsapp:${PHONE_JID}`));
    const chats = new Set(lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'whatsapp reply sent').map((l) => l.chat));
    expect(chats.size).toBe(1);
    expect(lines.join('')).not.toContain('5215512345678');
    expect(lines.join('')).not.toContain('123456789012345');
  });

  it('counts undecryptable messages, logs them without numbers, and answers the resent copy once', async () => {
    const failures: number[] = [];
    const lines: string[] = [];
    const s = createFakeSocket();
    const h = createWhatsAppHandler({
      assistant,
      sessions: createMemorySessionStore({ ttlMs: 60_000 }),
      log: pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) }),
      pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }),
      onDecryptFailure: () => failures.push(1),
    });
    h.attach(s);
    const id = newId();
    const stub = { key: { remoteJid: PHONE_JID, fromMe: false, id }, messageStubType: 2, messageStubParameters: ['No session record'] };
    s.upsert([stub as never]);
    s.upsert([{ key: { remoteJid: LID_JID, fromMe: false, id: newId() } }]);
    await h.idle();
    expect(h.decryptFailures()).toBe(2);
    expect(failures).toHaveLength(2);
    expect(s.sent).toEqual([]);
    // Baileys' retry receipt worked: the same id arrives with its content, and is answered.
    s.upsert([text('menu', { id })]);
    await h.idle();
    expect(s.sent).toHaveLength(1);
    // Bounded: after MAX_DECRYPT_RETRIES deliveries of one id it is logged as given up, once.
    const other = newId();
    for (let i = 0; i < 8; i++) s.upsert([{ ...stub, key: { ...stub.key, id: other } } as never]);
    const parsed = lines.map((l) => JSON.parse(l));
    expect(parsed.filter((l) => String(l.msg).includes('given up'))).toHaveLength(1);
    expect(parsed.filter((l) => String(l.msg).includes('could not be decrypted')).length).toBe(2 + 5);
    expect(lines.join('')).not.toContain('5215512345678');
    expect(lines.join('')).not.toContain('123456789012345');
  });

  it('sends the first reply of a new chat ahead of the later replies of busy chats', async () => {
    // A pacer whose waits are a tick long (a fake clock that moves 1 s per send).
    let t = 0;
    const pacer = createSendPacer({ minIntervalMs: 1000, jitterMs: 0, now: () => t, sleep: async (ms) => void (await new Promise((r) => setTimeout(r, 1)), (t += ms)) });
    const s = createFakeSocket();
    const h = createWhatsAppHandler({ assistant, sessions: createMemorySessionStore({ ttlMs: 60_000 }), log: pino({ level: 'silent' }), pacer, typing: false, readReceipts: false });
    h.attach(s);
    const busy = Array.from({ length: 20 }, (_, i) => `52155000000${String(i).padStart(2, '0')}@s.whatsapp.net`);
    // Each busy chat has been answered once already.
    s.upsert(busy.map((jid) => text('menu', { remoteJid: jid })));
    await h.idle();
    s.sent.length = 0;
    s.upsert(busy.map((jid) => text('menu', { remoteJid: jid })));
    s.upsert([text('menu', { remoteJid: '5215599999999@s.whatsapp.net' })]);
    await h.idle();
    const at = s.sent.findIndex((m) => m.jid === '5215599999999@s.whatsapp.net');
    expect(s.sent).toHaveLength(21);
    expect(at).toBeLessThanOrEqual(1);
  });

  it('resolves a number after a clarify through the session', async () => {
    await deliver(text('vacuna'));
    const [clarify] = textsTo(PHONE_JID);
    expect(clarify).toMatch(/^\*¿Cuál de estos\?\*\n1\. .+\n2\. .+/);
    const second = /\n2\. (.+)/.exec(clarify as string)?.[1] as string;
    await deliver(text('2'));
    const answer = textsTo(PHONE_JID)[1] as string;
    expect(answer).toContain(second.includes('COVID') ? 'COVID es para personas de 60 años' : 'influenza');
    expect(answer).toContain('_Fuente:');
  });

  it('answers a shared location with the nearest known units, or where to look', async () => {
    await deliver(location(18.1, -96.1));
    expect(textsTo(PHONE_JID)[0]).toContain('Hospital General de Tuxtepec');
    await deliver(location(32.5, -117));
    expect(textsTo(PHONE_JID)[1]).toContain('Busca tu unidad');
  });

  it('answers a voice note, a sticker or an image without caption with "solo puedo leer texto" and the menu', async () => {
    await deliver(voiceNote());
    await deliver(waMessage({ stickerMessage: { mimetype: 'image/webp' } }));
    const [voice, sticker] = textsTo(PHONE_JID);
    expect(voice).toBe(`${WHATSAPP_TEXTS.unsupported}\n\n*Temas:*\n1. Trámites\n2. Obras`);
    expect(sticker).toBe(voice);
    await deliver(text('1'));
    expect(textsTo(PHONE_JID)[2]).toContain('Cómo registrarte para la credencial');
  });

  it('apologises for a message that fails, logs it without the phone number or text, and answers the next one', async () => {
    sessions.failNext.add(`whatsapp:${PHONE_JID}`);
    await deliver(text('como me registro para la credencial'));
    await deliver(text('menu'));
    expect(textsTo(PHONE_JID)).toEqual([WHATSAPP_TEXTS.apology, '*Temas:*\n1. Trámites\n2. Obras']);
    const failure = logLines.find((l) => l.includes('whatsapp message failed')) as string;
    expect(failure).toBeDefined();
    expect(JSON.parse(failure).chat).toMatch(/^[0-9a-f]{12}$/);
    const all = logLines.join('\n');
    expect(all).not.toContain('5215512345678');
    expect(all).not.toContain('credencial');
  });

  it('keeps going when a send fails: the apology goes out and the next message is answered', async () => {
    sock.failNextSendTo.add(PHONE_JID);
    await deliver(text('menu'));
    await deliver(text('menu'));
    expect(textsTo(PHONE_JID)).toEqual([WHATSAPP_TEXTS.apology, '*Temas:*\n1. Trámites\n2. Obras']);
  });

  it('answers each chat in order while serving chats concurrently, and only chats that wrote', async () => {
    const a = '5215500000010@s.whatsapp.net';
    const b = '5215500000011@s.whatsapp.net';
    sock.upsert([text('menu', { remoteJid: a }), text('vacuna', { remoteJid: b }), text('1', { remoteJid: a })]);
    sock.upsert([text('2', { remoteJid: a })]);
    await handler.idle();
    const toA = textsTo(a);
    expect(toA[0]).toContain('*Temas:*');
    expect(toA[1]).toContain('Sobre «Trámites»');
    expect(toA[2]).toContain('código QR');
    expect(textsTo(b)[0]).toContain('¿Cuál de estos?');
    expect(new Set(sock.sent.map((s) => s.jid))).toEqual(new Set([a, b]));
  });

  it('marks messages read and shows typing, unless configured not to', async () => {
    await deliver(text('menu', { id: 'ABC123' }));
    expect(sock.reads).toEqual(['ABC123']);
    expect(sock.presence).toEqual([
      { type: 'composing', jid: PHONE_JID },
      { type: 'paused', jid: PHONE_JID },
    ]);
    const quiet = createWhatsAppHandler({ assistant, sessions: sessions.store, log: pino({ level: 'silent' }), typing: false, readReceipts: false, pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }) });
    const other = createFakeSocket();
    quiet.attach(other);
    other.upsert([text('menu', { id: newId() })]);
    await quiet.idle();
    expect(other.sent).toHaveLength(1);
    expect(other.reads).toEqual([]);
    expect(other.presence).toEqual([]);
  });

  it('stops listening once detached', async () => {
    const other = createFakeSocket();
    const detach = handler.attach(other);
    detach();
    other.upsert([text('menu')]);
    await handler.idle();
    expect(other.sent).toEqual([]);
  });
});
