/**
 * One DATA_DIR behind every channel available in tests (web over HTTP, Telegram over the fake Bot
 * API, WhatsApp over the fake Baileys socket), as main.ts wires them: sessions saved to a file,
 * the staff store, the logger writing its file. People send their phone number, CURP (also with
 * spaces and dashes), e-mail and RFC; afterwards no file there holds any of them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSendPacer } from '../../src/channels/whatsapp/create-send-pacer.js';
import { createWhatsAppHandler } from '../../src/channels/whatsapp/create-whatsapp-handler.js';
import { createTelegramBot } from '../../src/channels/telegram/create-telegram-bot.js';
import { startTelegram } from '../../src/channels/telegram/start-telegram.js';
import { createAssistant } from '../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../src/core/session-store.js';
import { createHttpServer } from '../../src/http/create-http-server.js';
import { createLogger } from '../../src/logger.js';
import { usePseudonymKey } from '../../src/pseudonym.js';
import { createStaffStore } from '../../src/staff/create-staff-store.js';
import { createMetrics } from '../../src/staff/metrics.js';
import { staffKey } from '../../src/staff/staff-key.js';
import { withStaffTools } from '../../src/staff/with-staff-tools.js';
import { mountWeb } from '../../src/web/mount-web.js';
import { createFakeBotApi, TEST_TOKEN, textUpdate } from '../helpers/fake-bot-api.js';
import { loadOrThrow, REAL_KB_DIR } from '../helpers/mini-kb.js';
import { createFakeSocket, PHONE_JID, text } from './whatsapp/fake-socket.js';

const PERSONAL = {
  curp: 'OIPG800101MDFRCD09',
  curpSpaced: 'OIPG 800101 MDFRCD09',
  curpDashed: 'OIPG-800101-MDFRCD09',
  phone: '55 8765 4321',
  email: 'lupita.ortiz@example.com',
  rfc: 'OIPG800101AB1',
  // (the WhatsApp chat id is a phone number too)
  whatsapp: PHONE_JID.split('@')[0] as string,
};
const squash = (s: string) => s.toLowerCase().replace(/[\s.()-]/g, '');
const MESSAGES = [
  `mi CURP es ${PERSONAL.curpDashed}, RFC ${PERSONAL.rfc}, cel ${PERSONAL.phone}, correo ${PERSONAL.email}. ¿Cuántas clínicas de La Clínica es Nuestra hay?`,
  `curp ${PERSONAL.curpSpaced} y ${PERSONAL.curp}, tel ${PERSONAL.phone}, ${PERSONAL.email}, ${PERSONAL.rfc}: ¿qué pasó con mi trámite del folio de la zorrilla?`,
  '¿y en Guerrero?',
];

describe('no channel leaves personal data in DATA_DIR or the logs', () => {
  const data = mkdtempSync(join(tmpdir(), 'orienta-private-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));

  it('web, Telegram and WhatsApp: sessions, staff records and log lines hold none of it', async () => {
    const key = staffKey({ dataDir: data });
    usePseudonymKey(key);
    const log = createLogger('debug', { file: join(data, 'orienta.log'), terminal: { write: () => true } as unknown as NodeJS.WritableStream });
    const sessions = createMemorySessionStore({ ttlMs: 60 * 60_000, snapshotPath: join(data, 'sessions.json') });
    const store = createStaffStore({ path: join(data, 'staff-events.jsonl'), key });
    const metrics = createMetrics();
    const engine = createAssistant(loadOrThrow(REAL_KB_DIR));
    const assistant = withStaffTools(() => engine, { store, metrics });

    // Web, over HTTP.
    const http = createHttpServer({ log, metrics });
    mountWeb(http, { assistant, sessions, log: log.child({ channel: 'web' }), metrics, store, channels: () => ({ telegram: 'off' }) });
    const port = await http.listen(0, '127.0.0.1');
    const webReplies: string[] = [];
    for (const t of MESSAGES) {
      const res = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ana', text: t }) });
      webReplies.push(((await res.json()) as { text: string }).text);
    }
    await http.close();

    // Telegram, over the fake Bot API.
    const fake = createFakeBotApi({ token: TEST_TOKEN });
    await fake.listen();
    const bot = createTelegramBot(TEST_TOKEN, { assistant, sessions, log: log.child({ channel: 'telegram' }), apiRoot: fake.apiRoot, typingDelayMs: -1 });
    const channel = await startTelegram(bot, { log });
    let sent = 0;
    for (const t of MESSAGES) {
      fake.pushUpdate(textUpdate(4242, t));
      const n = ++sent;
      let seen = 0;
      await fake.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === 4242 && c.status === 200 && ++seen === n, 5000);
    }
    await channel.stop();
    await fake.close();

    // WhatsApp, over the fake socket.
    const sock = createFakeSocket();
    const wa = createWhatsAppHandler({ assistant, sessions, log: log.child({ channel: 'whatsapp' }), pacer: createSendPacer({ minIntervalMs: 0, jitterMs: 0 }) });
    wa.attach(sock);
    for (const t of MESSAGES) {
      sock.upsert([text(t)]);
      await wa.idle();
    }
    // (a long reply may go out in two messages)
    expect(sock.sent.length).toBeGreaterThanOrEqual(3);

    await sessions.close();
    // (the follow-up still works from what the session keeps)
    expect(webReplies[2]).toContain('Guerrero');
    expect(sock.sent.at(-1)?.text).toContain('Guerrero');

    const files = readdirSync(data, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => join(d.parentPath, d.name));
    expect(files.map((f) => f.slice(data.length + 1)).sort()).toEqual(['orienta.log', 'sessions.json', 'staff-events.jsonl', 'staff.key']);
    const logText = readFileSync(join(data, 'orienta.log'), 'utf8');
    expect(logText).toContain('whatsapp reply sent');
    expect(readFileSync(join(data, 'staff-events.jsonl'), 'utf8')).toContain('[CURP]');
    for (const f of files) {
      const content = squash(readFileSync(f, 'latin1'));
      for (const [what, value] of Object.entries(PERSONAL)) expect(content.includes(squash(value)), `${what} found in ${f}`).toBe(false);
      for (const piece of ['mdfrcd09', '800101', 'lupita', '87654321']) expect(content.includes(piece), `${piece} found in ${f}`).toBe(false);
    }
  }, 60_000);
});
