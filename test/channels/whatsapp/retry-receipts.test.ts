import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEventBuffer, type WAMessage } from '@whiskeysockets/baileys';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createAuthStore } from '../../../src/channels/whatsapp/create-auth-store.js';
import { createMemoryCache } from '../../../src/channels/whatsapp/create-memory-cache.js';
import { createSendPacer } from '../../../src/channels/whatsapp/create-send-pacer.js';
import { createSentMessageStore } from '../../../src/channels/whatsapp/create-sent-message-store.js';
import { createWhatsAppHandler } from '../../../src/channels/whatsapp/create-whatsapp-handler.js';
import { type MakeSocket, type MakeSocketOptions, startWhatsApp, type WhatsAppLifecycleSocket } from '../../../src/channels/whatsapp/start-whatsapp.js';
import { createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../../src/core/session-store.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';
import { newId, text } from './fake-socket.js';

const assistant = createAssistant(loadOrThrow(makeMiniKb()));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'orienta-wa-retry-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const closedWith = (statusCode: number) => ({
  connection: 'close' as const,
  lastDisconnect: { error: Object.assign(new Error('closed'), { output: { statusCode } }), date: new Date() },
});
const ticks = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('createMemoryCache', () => {
  it('implements get/set/del/flushAll with a TTL and a size bound', () => {
    let t = 0;
    const c = createMemoryCache({ ttlMs: 100, max: 2, now: () => t });
    c.set('a', 1);
    expect(c.get('a')).toBe(1);
    t = 100;
    expect(c.get('a')).toBeUndefined();
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c')]).toEqual([undefined, 2, 3]);
    c.del('b');
    expect(c.get('b')).toBeUndefined();
    c.flushAll();
    expect(c.size()).toBe(0);
  });
});

describe('createSentMessageStore', () => {
  it('keeps the content by key id across a restart, bounded by count and age, written atomically', async () => {
    const file = join(tempDir(), 'auth', 'sent-messages.json');
    let t = 1_000_000;
    const a = await createSentMessageStore(file, { max: 3, maxAgeMs: 10_000, now: () => t });
    for (const n of [1, 2, 3, 4]) a.remember({ key: { id: `ID${n}`, remoteJid: '5215512345678@s.whatsapp.net', fromMe: true }, message: { conversation: `respuesta ${n}` } });
    a.remember(undefined);
    a.remember({ key: { id: 'NOCONTENT' } });
    await a.flush();
    expect(a.size()).toBe(3);
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('5215512345678');
    expect(readdirSync(join(file, '..')).some((f) => f.endsWith('.tmp'))).toBe(false);

    const b = await createSentMessageStore(file, { max: 3, maxAgeMs: 10_000, now: () => t });
    expect(await b.getMessage({ id: 'ID1' })).toBeUndefined();
    expect((await b.getMessage({ id: 'ID4' }))?.conversation).toBe('respuesta 4');
    t += 10_001;
    expect(await b.getMessage({ id: 'ID4' })).toBeUndefined();
  });

  it('starts empty from a damaged file instead of failing', async () => {
    const file = join(tempDir(), 'sent-messages.json');
    writeFileSync(file, '{"ID1": {"at": 1, "m": ');
    const s = await createSentMessageStore(file);
    expect(s.damaged).toBe(true);
    expect(s.size()).toBe(0);
  });
});

describe('retry receipts through startWhatsApp', () => {
  it('answers getMessage with what the bot sent, and keeps one retry counter cache across reconnects', async () => {
    const dir = tempDir();
    const auth = await createAuthStore(join(dir, 'auth'));
    const sentMessages = await createSentMessageStore(join(dir, 'auth', 'sent-messages.json'));
    const opts: MakeSocketOptions[] = [];
    const sockets: (WhatsAppLifecycleSocket & { ev: ReturnType<typeof makeEventBuffer> })[] = [];
    const makeSocket: MakeSocket = (o) => {
      opts.push(o);
      const s = {
        ev: makeEventBuffer(pino({ level: 'silent' })),
        // As Baileys does: the sent WAMessage, with its key id and content.
        async sendMessage(jid: string, content: { text: string }) {
          return { key: { remoteJid: jid, fromMe: true, id: newId() }, message: { extendedTextMessage: { text: content.text } } } as WAMessage;
        },
        async readMessages() {},
        async sendPresenceUpdate() {},
        end() {},
        async requestPairingCode() {
          return 'X';
        },
      };
      sockets.push(s);
      return s;
    };
    const log = pino({ level: 'silent' });
    const handler = createWhatsAppHandler({ assistant, sessions: createMemorySessionStore({ ttlMs: 60_000 }), log, pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }) });
    const channel = startWhatsApp({ handler, auth, log, makeSocket, sentMessages, terminal: { write() {} }, sleep: async () => {} });
    sockets[0]?.ev.emit('connection.update', closedWith(515));
    await ticks();
    sockets[1]?.ev.emit('messages.upsert', { messages: [text('menu')], type: 'notify' });
    await expect.poll(() => sentMessages.size()).toBeGreaterThan(0);
    expect(opts).toHaveLength(2);
    expect(opts[1]?.msgRetryCounterCache).toBe(opts[0]?.msgRetryCounterCache);
    // A retry receipt on the first socket's successor, and after a restart of the process.
    await sentMessages.flush();
    const ids = JSON.parse(readFileSync(join(dir, 'auth', 'sent-messages.json'), 'utf8'));
    const id = Object.keys(ids)[0] as string;
    expect((await opts[1]?.getMessage({ id }))?.extendedTextMessage?.text).toBeTruthy();
    await channel.stop();
    const reopened = await createSentMessageStore(join(dir, 'auth', 'sent-messages.json'));
    expect((await reopened.getMessage({ id }))?.extendedTextMessage?.text).toBeTruthy();
    // The keys go through Baileys' cache over the auth store: a set is written through.
    await opts[1]?.auth.keys.set({ session: { 'x.0': new Uint8Array([1]) } });
    expect(Object.keys(await auth.state.keys.get('session', ['x.0']))).toEqual(['x.0']);
    expect(opts[1]?.auth.keys).not.toBe(auth.state.keys);
  });
});
