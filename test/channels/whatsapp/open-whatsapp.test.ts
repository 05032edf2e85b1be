import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferJSON, initAuthCreds, makeEventBuffer } from '@whiskeysockets/baileys';
import pino from 'pino';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSendPacer } from '../../../src/channels/whatsapp/create-send-pacer.js';
import { createWhatsAppHandler } from '../../../src/channels/whatsapp/create-whatsapp-handler.js';
import { DAMAGED_SESSION_MESSAGE, openWhatsApp } from '../../../src/channels/whatsapp/open-whatsapp.js';
import type { MakeSocket } from '../../../src/channels/whatsapp/start-whatsapp.js';
import { createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../../src/core/session-store.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';

const assistant = createAssistant(loadOrThrow(makeMiniKb()));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function authDirWith(creds: string | undefined) {
  const d = mkdtempSync(join(tmpdir(), 'orienta-wa-open-'));
  dirs.push(d);
  const authDir = join(d, 'whatsapp', 'auth');
  mkdirSync(authDir, { recursive: true });
  if (creds !== undefined) writeFileSync(join(authDir, 'creds.json'), creds);
  return authDir;
}

const sockets: number[] = [];
const makeSocket: MakeSocket = () => {
  sockets.push(1);
  return {
    ev: makeEventBuffer(pino({ level: 'silent' })),
    async sendMessage() {
      return undefined;
    },
    async readMessages() {},
    async sendPresenceUpdate() {},
    end() {},
    async requestPairingCode() {
      return 'X';
    },
  };
};

async function open(authDir: string) {
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: 'trace' }, { write: (l: string) => void logs.push(JSON.parse(l)) });
  const handler = createWhatsAppHandler({ assistant, sessions: createMemorySessionStore({ ttlMs: 60_000 }), log, pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }) });
  const channel = await openWhatsApp({ authDir, handler, log, makeSocket, terminal: { write() {} } });
  return { channel, logs };
}

describe('openWhatsApp with a damaged session', () => {
  const missingFields = JSON.stringify({ ...initAuthCreds(), noiseKey: undefined, signedPreKey: undefined }, BufferJSON.replacer);
  const cases: [string, string][] = [
    ['invalid JSON', '{"noiseKey": {"private": '],
    ['missing fields', missingFields],
    ['not an object', 'null'],
    ['keys that are not bytes', JSON.stringify({ ...JSON.parse(JSON.stringify(initAuthCreds(), BufferJSON.replacer)), noiseKey: { private: 'x', public: 'y' } })],
  ];
  for (const [what, creds] of cases) {
    it(`${what}: disables WhatsApp with one clear line; no exit, no unhandled rejection, HTTP keeps serving`, async () => {
      const server = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const exit = vi.spyOn(process, 'exit').mockImplementation((() => {
        throw new Error('process.exit called');
      }) as never);
      const rejections: unknown[] = [];
      const onRejection = (e: unknown) => rejections.push(e);
      process.on('unhandledRejection', onRejection);
      try {
        const before = sockets.length;
        const { channel, logs } = await open(authDirWith(creds));
        await new Promise((r) => setTimeout(r, 20));
        expect(channel).toBeUndefined();
        expect(sockets.length).toBe(before);
        const errors = logs.filter((l) => (l.level as number) >= 50);
        expect(errors).toHaveLength(1);
        expect(errors[0]?.msg).toBe(DAMAGED_SESSION_MESSAGE);
        expect(exit).not.toHaveBeenCalled();
        expect(rejections).toEqual([]);
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        expect(await res.text()).toBe('ok');
      } finally {
        process.off('unhandledRejection', onRejection);
        exit.mockRestore();
        await new Promise<void>((r) => server.close(() => r()));
      }
    });
  }

  it('a sound session (or none) starts the channel', async () => {
    const none = await open(authDirWith(undefined));
    expect(none.channel).toBeDefined();
    await none.channel?.stop();
    const sound = await open(authDirWith(JSON.stringify(initAuthCreds(), BufferJSON.replacer)));
    expect(sound.channel).toBeDefined();
    expect(sound.logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
    await sound.channel?.stop();
  });
});
