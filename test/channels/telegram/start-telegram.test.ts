/**
 * Starting and stopping the Telegram channel: the token check, webhook mode on the shared HTTP
 * server, a 409 while polling, a shutdown that finishes running updates, and the real process
 * (`src/main.ts`) against the fake Bot API server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/channels/telegram/create-telegram-bot.js';
import { deriveWebhookSecret, startTelegram, TelegramError } from '../../../src/channels/telegram/start-telegram.js';
import { type Assistant, createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore, type SessionStore } from '../../../src/core/session-store.js';
import { createHttpServer, type HttpServer } from '../../../src/http/create-http-server.js';
import { createPseudonym } from '../../../src/pseudonym.js';
import { createFakeBotApi, type FakeBotApi, sentTo, shown, TEST_TOKEN, textUpdate } from '../../helpers/fake-bot-api.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = makeMiniKb();
const log = pino({ level: 'silent' });
let assistant: Assistant;
let fake: FakeBotApi;
const servers: HttpServer[] = [];

beforeAll(async () => {
  assistant = createAssistant(loadOrThrow(dir));
  fake = createFakeBotApi({ token: TEST_TOKEN });
  await fake.listen();
});

afterAll(async () => {
  for (const s of servers) await s.close(100);
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const memory = () => createMemorySessionStore({ ttlMs: 60_000 });
const bot = (deps: { sessions?: SessionStore; token?: string; apiRoot?: string; withBotInfo?: boolean } = {}) =>
  createTelegramBot(deps.token ?? TEST_TOKEN, {
    assistant,
    sessions: deps.sessions ?? memory(),
    log,
    apiRoot: deps.apiRoot ?? fake.apiRoot,
    ...(deps.withBotInfo ? { botInfo: fake.me } : {}),
  });

describe('start-up', () => {
  it('fails at once with what to fix when Telegram answers 401 to the token', async () => {
    const start = startTelegram(bot({ token: '999:WRONG-token-of-twenty-chars-or-more' }), { log });
    await expect(start).rejects.toBeInstanceOf(TelegramError);
    await expect(start).rejects.toThrow(/401.*BotFather/);
  });

  it('fails at once when the Bot API server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await expect(startTelegram(bot({ apiRoot: `http://127.0.0.1:${port}` }), { log })).rejects.toThrow(/cannot reach the Bot API.*TELEGRAM_API_ROOT/);
  });

  it('ends with what to do when another process polls with the same token (409)', async () => {
    fake.fail('getUpdates', { error_code: 409, description: 'Conflict: terminated by other getUpdates request' });
    const channel = await startTelegram(bot({ withBotInfo: true }), { log });
    await expect(channel.done).rejects.toThrow(/409.*TELEGRAM_WEBHOOK_URL/);
    await channel.stop();
  });
});

describe('shutdown', () => {
  it('finishes the updates already running before it resolves', async () => {
    const inner = memory();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    const slow: SessionStore = { ...inner, get: async (id) => (await held, inner.get(id)) };
    const telegram = bot({ sessions: slow, withBotInfo: true });
    const channel = await startTelegram(telegram, { log });
    const update = fake.pushUpdate(textUpdate(301, 'como saco la credencial'));
    await fake.waitFor((c) => c.method === 'getUpdates' && fake.deliveredAt.has(update.update_id));
    await expect.poll(() => telegram.inFlight()).toBe(1);

    const stopped = channel.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    expect(sentTo(fake, 301)).toHaveLength(0);
    release();
    await stopped;
    expect(sentTo(fake, 301)).toHaveLength(1);
    expect(shown(sentTo(fake, 301)[0] as never)).toContain('7,866,426');
    await expect(channel.done).resolves.toBeUndefined();
  });
});

describe('webhook mode', () => {
  let http: HttpServer;
  let url: string;
  const post = (body: unknown, headers: Record<string, string> = {}, path = '/telegram/hook') =>
    fetch(new URL(path, url), { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  const secret = { 'X-Telegram-Bot-Api-Secret-Token': deriveWebhookSecret(TEST_TOKEN) };
  let channel: Awaited<ReturnType<typeof startTelegram>>;

  beforeAll(async () => {
    http = createHttpServer({ log });
    servers.push(http);
    const port = await http.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${port}/telegram/hook`;
    channel = await startTelegram(bot({ withBotInfo: true }), { log, webhook: { url, http } });
  });

  it('registers the webhook with a secret token and only the updates it handles', () => {
    expect(channel.mode).toBe('webhook');
    expect(fake.webhook).toMatchObject({ url, secret_token: deriveWebhookSecret(TEST_TOKEN), allowed_updates: ['message', 'callback_query'] });
    expect(deriveWebhookSecret(TEST_TOKEN)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses updates without the secret token, or with a wrong one', async () => {
    const missing = await post({ update_id: 9001, ...textUpdate(401, 'como saco la credencial') });
    const wrong = await post({ update_id: 9002, ...textUpdate(401, 'como saco la credencial') }, { 'X-Telegram-Bot-Api-Secret-Token': 'nope' });
    expect([missing.status, wrong.status]).toEqual([401, 401]);
    expect(sentTo(fake, 401)).toHaveLength(0);
  });

  it('answers an update posted with the secret token, once even if posted twice', async () => {
    const update = { update_id: 9003, ...textUpdate(402, 'como saco la credencial') };
    const res = await post(update, secret);
    expect(res.status).toBe(200);
    expect(shown(sentTo(fake, 402)[0] as never)).toContain('7,866,426');
    expect((await post(update, secret)).status).toBe(200);
    expect(sentTo(fake, 402)).toHaveLength(1);
  });

  it('leaves other paths and methods alone (404, 405)', async () => {
    expect((await post({}, secret, '/otra')).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
  });

  it('answers 503 once stopping, so Telegram retries on another instance', async () => {
    await channel.stop();
    expect((await post({ update_id: 9004, ...textUpdate(403, 'hola') }, secret)).status).toBe(503);
    expect(sentTo(fake, 403)).toHaveLength(0);
  });
});

describe('the service (src/main.ts)', () => {
  const runMain = (env: Record<string, string>) => {
    const data = mkdtempSync(join(tmpdir(), 'orienta-data-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', KNOWLEDGE_DIR: dir, DATA_DIR: data, LOG_LEVEL: 'info', TELEGRAM_API_ROOT: fake.apiRoot, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    return { child, data, exited, stderr: () => stderr };
  };
  const killLater: ChildProcess[] = [];
  afterAll(() => {
    for (const c of killLater) if (c.exitCode === null) c.kill('SIGKILL');
  });

  it('exits with code 1 and one log line saying what to fix when the token is refused', async () => {
    const token = '999:WRONG-token-of-twenty-chars-or-more';
    const run = runMain({ TELEGRAM_BOT_TOKEN: token });
    killLater.push(run.child);
    expect(await run.exited).toBe(1);
    const fatal = run.stderr().split('\n').filter((l) => l.includes('"level":60'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(/401.*BotFather/);
    expect(run.stderr()).not.toContain('WRONG-token');
    rmSync(run.data, { recursive: true, force: true });
  });

  it('serves Telegram by long polling and stops cleanly on SIGTERM, saving the conversations', async () => {
    const run = runMain({ TELEGRAM_BOT_TOKEN: TEST_TOKEN });
    killLater.push(run.child);
    await expect.poll(run.stderr, { timeout: 10_000 }).toContain('telegram channel started');
    fake.pushUpdate(textUpdate(501, 'como saco la credencial'));
    const sent = await fake.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === 501 && c.status === 200);
    expect(shown(sent)).toContain('7,866,426');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('telegram channel stopped');
    // (filed under the chat's keyed pseudonym, never the chat id itself)
    const key = Buffer.from(readFileSync(join(run.data, 'staff.key'), 'utf8').trim(), 'hex');
    const saved = readFileSync(join(run.data, 'sessions.json'), 'utf8');
    expect(Object.keys(JSON.parse(saved))).toContain(createPseudonym(key)('telegram:501', 32));
    expect(saved).not.toContain('telegram:501');
    rmSync(run.data, { recursive: true, force: true });
  });
});
