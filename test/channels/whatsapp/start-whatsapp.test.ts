import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeEventBuffer } from '@whiskeysockets/baileys';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuthStore, createAuthStore } from '../../../src/channels/whatsapp/create-auth-store.js';
import { createSendPacer } from '../../../src/channels/whatsapp/create-send-pacer.js';
import { createWhatsAppHandler } from '../../../src/channels/whatsapp/create-whatsapp-handler.js';
import {
  type MakeSocket,
  type StartWhatsAppDeps,
  startWhatsApp,
  type WhatsAppLifecycleSocket,
} from '../../../src/channels/whatsapp/start-whatsapp.js';
import { createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../../src/core/session-store.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';
import { text } from './fake-socket.js';

const assistant = createAssistant(loadOrThrow(makeMiniKb()));
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'orienta-wa-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const closedWith = (statusCode: number | undefined) => ({
  connection: 'close' as const,
  lastDisconnect: { error: Object.assign(new Error('closed'), statusCode === undefined ? {} : { output: { statusCode } }), date: new Date() },
});
const ticks = async (n = 10) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

interface Rig {
  sockets: (WhatsAppLifecycleSocket & { ev: ReturnType<typeof makeEventBuffer>; sent: string[]; ended: boolean; pairingRequests: string[] })[];
  delays: number[];
  logs: Record<string, unknown>[];
  printed: string[];
  auth: AuthStore;
  dir: string;
  channel: ReturnType<typeof startWhatsApp>;
  last(): Rig['sockets'][number];
}

/** The lifecycle with fake sockets (one per connection) and a sleep that only records the delay. */
async function rig(extra: Partial<StartWhatsAppDeps> = {}): Promise<Rig> {
  const dir = tempDir();
  const auth = await createAuthStore(dir);
  const sockets: Rig['sockets'] = [];
  const logs: Record<string, unknown>[] = [];
  const printed: string[] = [];
  const delays: number[] = [];
  const makeSocket: MakeSocket = (opts) => {
    const ev = makeEventBuffer(pino({ level: 'silent' }));
    const s: Rig['sockets'][number] = {
      ev,
      sent: [],
      ended: false,
      pairingRequests: [],
      async sendMessage(_jid, content) {
        s.sent.push(content.text);
        return undefined;
      },
      async readMessages() {},
      async sendPresenceUpdate() {},
      end() {
        s.ended = true;
      },
      async requestPairingCode(phone) {
        s.pairingRequests.push(phone);
        // As Baileys does: `me` is set before the code is entered.
        opts.auth.creds.me = { id: `${phone}@s.whatsapp.net`, name: '~' };
        return 'ABCD1234';
      },
    };
    sockets.push(s);
    return s;
  };
  const log = pino({ level: 'trace' }, { write: (l: string) => void logs.push(JSON.parse(l)) });
  const handler = createWhatsAppHandler({ assistant, sessions: createMemorySessionStore({ ttlMs: 60_000 }), log, pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }) });
  const channel = startWhatsApp({
    handler,
    auth,
    log,
    makeSocket,
    terminal: { write: (t: string) => void printed.push(t) },
    backoff: { baseMs: 1000, maxMs: 8000, factor: 2, jitter: 0.5 },
    random: () => 0,
    sleep: async (ms) => void delays.push(ms),
    ...extra,
  });
  return { sockets, delays, logs, printed, auth, dir, channel, last: () => sockets.at(-1) as Rig['sockets'][number] };
}

describe('startWhatsApp lifecycle', () => {
  it('reconnects after ordinary closes with capped exponential backoff, and resets once connected', async () => {
    const r = await rig();
    for (let i = 0; i < 6; i++) {
      r.last().ev.emit('connection.update', closedWith(i % 2 ? 428 : 408));
      await ticks();
    }
    expect(r.delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(r.sockets).toHaveLength(7);
    r.last().ev.emit('connection.update', { connection: 'open' });
    r.last().ev.emit('connection.update', closedWith(undefined));
    await ticks();
    expect(r.delays.at(-1)).toBe(1000);
    expect(r.channel.status()).toMatchObject({ attempt: 1, reconnects: 7 });
    const retries = r.logs.filter((l) => l.msg === 'whatsapp connection closed: reconnecting after a pause');
    expect(retries.map((l) => l.attempt)).toEqual([1, 2, 3, 4, 5, 6, 1]);
    expect(retries.map((l) => l.level)).toEqual([40, 30, 30, 30, 40, 40, 40]);
    await r.channel.stop();
    expect(await r.channel.done).toBe('stopped');
  });

  it('uses the jitter: random delays stay within the step and never exceed the cap', async () => {
    let x = 0;
    const r = await rig({ random: () => ((x = (x * 7 + 3) % 10) / 10) });
    for (let i = 0; i < 8; i++) {
      r.last().ev.emit('connection.update', closedWith(503));
      await ticks();
    }
    const steps = [1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000];
    r.delays.forEach((d, i) => {
      expect(d).toBeLessThanOrEqual(steps[i] as number);
      expect(d).toBeGreaterThanOrEqual((steps[i] as number) * 0.5);
    });
    expect(new Set(r.delays.slice(3)).size).toBeGreaterThan(1);
    await r.channel.stop();
  });

  it('reconnects at once when WhatsApp asks for a restart (515), without counting a failure', async () => {
    const r = await rig();
    r.last().ev.emit('connection.update', closedWith(515));
    await ticks();
    expect(r.sockets).toHaveLength(2);
    expect(r.delays).toEqual([]);
    expect(r.channel.status().attempt).toBe(0);
    await r.channel.stop();
  });

  it('counts 515 restarts in a row and backs them off after two; an open connection resets them', async () => {
    const r = await rig();
    for (let i = 0; i < 5; i++) {
      r.last().ev.emit('connection.update', closedWith(515));
      await ticks();
    }
    expect(r.sockets).toHaveLength(6);
    expect(r.delays).toEqual([1000, 2000, 4000]);
    expect(r.channel.status()).toMatchObject({ restartsInRow: 5, reconnects: 5, attempt: 0 });
    r.last().ev.emit('connection.update', { connection: 'open' });
    r.last().ev.emit('connection.update', closedWith(515));
    await ticks();
    expect(r.delays).toHaveLength(3);
    expect(r.channel.status().restartsInRow).toBe(1);
    await r.channel.stop();
  });

  it('on logged out (401) deletes the credentials, logs one instruction and stops WhatsApp only', async () => {
    const r = await rig();
    r.auth.state.creds.me = { id: '5215512345678:3@s.whatsapp.net', name: 'Orienta' };
    r.auth.state.creds.account = { details: new Uint8Array([1]), accountSignature: new Uint8Array([2]) };
    await r.auth.saveCreds();
    await r.auth.state.keys.set({ session: { 'abc.0': new Uint8Array([1, 2, 3]) } });
    expect(readdirSync(r.dir).length).toBeGreaterThan(1);
    r.last().ev.emit('connection.update', closedWith(401));
    expect(await r.channel.done).toBe('logged-out');
    expect(readdirSync(r.dir)).toEqual([]);
    expect(r.auth.isPaired()).toBe(false);
    expect(await r.auth.state.keys.get('session', ['abc.0'])).toEqual({});
    const errors = r.logs.filter((l) => (l.level as number) >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/reinicie el bot para vincular/);
    await ticks();
    expect(r.sockets).toHaveLength(1);
    await r.channel.stop();
  });

  it('stops when another process takes the number (440)', async () => {
    const r = await rig();
    r.last().ev.emit('connection.update', closedWith(440));
    expect(await r.channel.done).toBe('replaced');
    await ticks();
    expect(r.sockets).toHaveLength(1);
    expect(r.logs.some((l) => String(l.msg).includes('Otra instancia'))).toBe(true);
  });

  it('prints the QR in the terminal and writes it as a PNG; removes the PNG once connected', async () => {
    const dir = tempDir();
    const png = join(dir, 'qr.png');
    const r = await rig({ qrPngPath: png });
    r.last().ev.emit('connection.update', { qr: '2@abcdefghijklmnop,QRSTUVWXYZ,0123456789' });
    await expect.poll(() => existsSync(png)).toBe(true);
    expect(r.printed.join('')).toContain('Vincular un dispositivo');
    r.last().ev.emit('connection.update', { connection: 'open' });
    await expect.poll(() => existsSync(png)).toBe(false);
    await r.channel.stop();
  });

  it('asks for a pairing code once when a phone is configured and the number is not paired', async () => {
    const r = await rig({ pairingPhone: '5215512345678' });
    r.last().ev.emit('connection.update', { qr: 'ref1' });
    r.last().ev.emit('connection.update', { qr: 'ref2' });
    await ticks();
    expect(r.last().pairingRequests).toEqual(['5215512345678']);
    expect(r.printed.join('')).toContain('ABCD1234');
    expect(JSON.stringify(r.logs)).not.toContain('5215512345678');
    await r.channel.stop();
  });

  it('asks for a new pairing code after a connection that closed before the code was entered', async () => {
    const r = await rig({ pairingPhone: '5215512345678' });
    r.last().ev.emit('connection.update', { qr: 'ref1' });
    await ticks();
    r.last().ev.emit('connection.update', closedWith(408));
    await ticks();
    expect(r.auth.state.creds.me).toBeUndefined();
    r.last().ev.emit('connection.update', { qr: 'ref1' });
    await ticks();
    expect(r.sockets.map((s) => s.pairingRequests.length)).toEqual([1, 1]);
    await r.channel.stop();
  });

  it('answers messages on the current socket, and stop() ends the socket and flushes credentials', async () => {
    const r = await rig();
    r.last().ev.emit('connection.update', closedWith(428));
    await ticks();
    const s = r.last();
    s.ev.emit('messages.upsert', { messages: [text('menu')], type: 'notify' });
    await expect.poll(() => s.sent.length).toBe(1);
    expect(r.sockets[0]?.sent).toEqual([]);
    r.auth.state.creds.me = { id: '5215512345678:3@s.whatsapp.net' };
    await r.channel.stop();
    expect(s.ended).toBe(true);
    const reopened = await createAuthStore(r.dir);
    expect(reopened.state.creds.me?.id).toBe('5215512345678:3@s.whatsapp.net');
  });
});

describe('startWhatsApp with the real Baileys socket', () => {
  let server: Server;
  let url: string;
  let upgrades = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(404).end());
    // Every WebSocket handshake is cut, as a network without WhatsApp would.
    server.on('upgrade', (_req, socket) => {
      upgrades++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/chat`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('stays alive when every connection is dropped, and reconnects with growing delays', async () => {
    const dir = tempDir();
    const auth = await createAuthStore(dir);
    const delays: number[] = [];
    const logs: Record<string, unknown>[] = [];
    const log = pino({ level: 'info' }, { write: (l: string) => void logs.push(JSON.parse(l)) });
    const handler = createWhatsAppHandler({ assistant, sessions: createMemorySessionStore({ ttlMs: 60_000 }), log });
    const channel = startWhatsApp({
      handler,
      auth,
      log,
      wsUrl: url,
      terminal: { write: () => {} },
      backoff: { baseMs: 20, maxMs: 1000, factor: 2, jitter: 0 },
      sleep: (ms, signal) => {
        delays.push(ms);
        return new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        });
      },
    });
    await expect.poll(() => upgrades, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(4);
    await channel.stop();
    expect(await channel.done).toBe('stopped');
    expect(delays.slice(0, 3)).toEqual([20, 40, 80]);
    const retries = logs.filter((l) => l.msg === 'whatsapp connection closed: reconnecting after a pause');
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries[0]?.attempt).toBe(1);
  });
});
