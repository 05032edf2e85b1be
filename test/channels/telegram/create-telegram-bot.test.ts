/**
 * End to end: the real grammY client, runner and auto-retry, over HTTP, against the fake Bot API
 * server on 127.0.0.1. Each test talks in its own chat, so they do not see each other's replies.
 */
import { rmSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot, type TelegramFeedback } from '../../../src/channels/telegram/create-telegram-bot.js';
import { startTelegram, type TelegramChannel } from '../../../src/channels/telegram/start-telegram.js';
import { createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore, type SessionStore } from '../../../src/core/session-store.js';
import {
  buttonsOf,
  callbackUpdate,
  createFakeBotApi,
  type FakeBotApi,
  type FakeCall,
  locationUpdate,
  message,
  photoUpdate,
  sentTo,
  shown,
  TEST_TOKEN,
  textUpdate,
} from '../../helpers/fake-bot-api.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';

/** Sessions in memory, with a one-off delay or a failure that a test can arrange per user. */
function arrangeableSessions() {
  const inner = createMemorySessionStore({ ttlMs: 60 * 60_000 });
  const delays = new Map<string, number>();
  const failures = new Map<string, Error>();
  const store: SessionStore = {
    async get(userId) {
      const ms = delays.get(userId);
      if (ms) {
        delays.delete(userId);
        await new Promise((r) => setTimeout(r, ms));
      }
      const failure = failures.get(userId);
      if (failure) throw failure;
      return inner.get(userId);
    },
    set: (userId, s) => inner.set(userId, s),
    delete: (userId) => inner.delete(userId),
    close: () => inner.close(),
  };
  return { store, delays, failures };
}

const dir = makeMiniKb();
const sessions = arrangeableSessions();
const logLines: string[] = [];
const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) });
const feedback: TelegramFeedback[] = [];
let fake: FakeBotApi;
let telegram: TelegramBot;
let channel: TelegramChannel;

beforeAll(async () => {
  fake = createFakeBotApi({ token: TEST_TOKEN });
  await fake.listen();
  telegram = createTelegramBot(TEST_TOKEN, {
    assistant: createAssistant(loadOrThrow(dir)),
    sessions: sessions.store,
    log,
    apiRoot: fake.apiRoot,
    typingDelayMs: 50,
    onFeedback: (f) => void feedback.push(f),
  });
  channel = await startTelegram(telegram, { log });
});

afterAll(async () => {
  await channel?.stop();
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for the n-th successful message to a chat (1-based). */
async function nthSent(chatId: number, n = 1, timeoutMs = 5_000): Promise<FakeCall> {
  let seen = 0;
  return fake.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId && c.status === 200 && ++seen === n, timeoutMs);
}

async function ask(chatId: number, text: string): Promise<FakeCall> {
  const before = sentTo(fake, chatId).length;
  fake.pushUpdate(textUpdate(chatId, text));
  return nthSent(chatId, before + 1);
}

const labels = (call: FakeCall) => buttonsOf(call).flat().map((b) => b.text);

describe('Telegram channel over the Bot API (long polling)', () => {
  it('checks the token with getMe, registers its commands and polls only for messages and button taps', async () => {
    const methods = fake.calls.map((c) => c.method);
    expect(methods.slice(0, 3)).toEqual(['getMe', 'setMyCommands', 'deleteWebhook']);
    const poll = await fake.waitFor((c) => c.method === 'getUpdates');
    expect(poll.payload.allowed_updates).toEqual(['message', 'callback_query']);
    expect(poll.payload.timeout).toBe(30);
  });

  it('answers a question with the core answer, its source in italics at the end, related topics and 👍/👎', async () => {
    const sent = await ask(101, 'como saco la credencial');
    expect(sent.payload.parse_mode).toBe('HTML');
    expect(shown(sent)).toContain('7,866,426');
    expect(String(sent.payload.text)).toMatch(/\n\n<i>Fuente: [^<]*Datos al 30 de junio de 2024\.<\/i>$/);
    expect(buttonsOf(sent)).toEqual([
      [{ text: '1. Para qué sirve el código QR', callback_data: 'o:1' }],
      [
        { text: '👍 Me sirvió', callback_data: 'f:1:credencial-registro' },
        { text: '👎 No me sirvió', callback_data: 'f:0:credencial-registro' },
      ],
    ]);
  });

  it('greets on /start with what it can answer and the main topics as buttons; /ayuda and /menu too', async () => {
    const start = await ask(102, '/start');
    expect(shown(start)).toContain('Hola, soy el bot de prueba.');
    expect(shown(start)).toContain('Temas:');
    expect(labels(start)).toEqual(['1. Trámites', '2. Obras']);
    const help = await ask(102, '/ayuda');
    expect(shown(help)).toContain('Te ayudo con trámites y obras.');
    expect(labels(help)).toEqual(['1. Trámites', '2. Obras']);
    const menu = await ask(102, '/menu');
    expect(labels(menu)).toEqual(['1. Trámites', '2. Obras']);
  });

  it('shows a clarify as buttons; a tap answers the callback, clears those buttons and continues', async () => {
    const clarify = await ask(103, 'vacuna');
    const options = labels(clarify);
    expect(options).toHaveLength(2);
    expect(buttonsOf(clarify).flat().every((b) => b.callback_data?.startsWith('o:'))).toBe(true);

    const tap = fake.pushUpdate(callbackUpdate(103, clarify, 'o:2'));
    const answer = await nthSent(103, 2);
    const expected = options[1]?.includes('COVID') ? 'vacuna-covid' : 'vacuna-influenza';
    expect(buttonsOf(answer).at(-1)?.[0]?.callback_data).toBe(`f:1:${expected}`);
    const answered = fake.calls.find((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === tap.callback_query?.id);
    expect(answered?.status).toBe(200);
    const edit = fake.calls.find((c) => c.method === 'editMessageReplyMarkup' && c.payload.chat_id === 103);
    expect(edit?.payload.reply_markup).toEqual({ inline_keyboard: [] });
  });

  it('still takes the number as text', async () => {
    const clarify = await ask(104, 'vacuna');
    const answer = await ask(104, '1');
    const expected = labels(clarify)[0]?.includes('COVID') ? 'vacuna-covid' : 'vacuna-influenza';
    expect(buttonsOf(answer).at(-1)?.[0]?.callback_data).toBe(`f:1:${expected}`);
  });

  it('answers a tap on an older message by what its button said, not by a number the session no longer means', async () => {
    const menu = await ask(105, '/menu');
    await ask(105, 'como saco la credencial'); // now "2" means nothing, "1" means the QR entry
    fake.pushUpdate(callbackUpdate(105, menu, 'o:2'));
    const topic = await nthSent(105, 3);
    expect(shown(topic)).toContain('Obras de IMSS-BIENESTAR');
    expect(shown(topic)).not.toContain('código QR');
  });

  it('records 👍/👎 with the entry id, thanks, and removes only the feedback row', async () => {
    const answer = await ask(106, 'como saco la credencial');
    const tap = fake.pushUpdate(callbackUpdate(106, answer, 'f:0:credencial-registro'));
    const thanks = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === tap.callback_query?.id);
    expect(thanks.payload.text).toContain('Gracias');
    const edit = await fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.payload.chat_id === 106);
    expect(edit.payload.reply_markup).toEqual({ inline_keyboard: [[{ text: '1. Para qué sirve el código QR', callback_data: 'o:1' }]] });
    expect(feedback).toContainEqual(expect.objectContaining({ userId: 'telegram:106', entryId: 'credencial-registro', useful: false }));
    expect(sentTo(fake, 106)).toHaveLength(1);
  });

  it('records nothing for forged button data: an unknown entry, a non-slug id, or more than 64 bytes', async () => {
    const answer = await ask(116, 'como saco la credencial');
    const before = feedback.length;
    for (const data of ['f:1:no-existe-esta-entrada', 'f:1:<script>', `f:1:${'a'.repeat(100)}`]) {
      const tap = fake.pushUpdate(callbackUpdate(116, answer, data));
      const said = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === tap.callback_query?.id);
      expect(said.payload.text).not.toContain('Gracias');
    }
    expect(feedback.length).toBe(before);
  });

  it('answers a shared location with the nearest known units, or says none are known and where to look', async () => {
    fake.pushUpdate(locationUpdate(107, 18.1, -96.1));
    const near = await nthSent(107, 1);
    expect(shown(near)).toContain('Hospital General de Tuxtepec');
    expect(shown(near)).toMatch(/a unos \d+ km/);
    expect(labels(near)[0]).toContain('Hospital General de Tuxtepec');
    fake.pushUpdate(locationUpdate(107, 32.5, -117));
    const far = await nthSent(107, 2);
    expect(shown(far)).toContain('Busca tu unidad');
  });

  it('says kindly that only text and locations are understood for a photo, and shows the menu', async () => {
    fake.pushUpdate(photoUpdate(108));
    const sent = await nthSent(108, 1);
    expect(shown(sent)).toContain('solo entiendo mensajes de texto y ubicaciones');
    expect(labels(sent)).toEqual(['1. Trámites', '2. Obras']);
  });

  it('ignores edited messages, channel posts, and group messages not addressed to it', async () => {
    const channelPost = fake.pushUpdate({ channel_post: { ...message(-1009, { text: 'menu' }), chat: { id: -1009, type: 'channel', title: 'Canal' } } } as never);
    fake.pushUpdate({ edited_message: message(109, { text: 'como saco la credencial', edit_date: 1 }) } as never);
    fake.pushUpdate(textUpdate(-100110, 'alguien sabe como saco la credencial?'));
    fake.pushUpdate(textUpdate(109, 'hola'));
    await nthSent(109, 1);
    fake.pushUpdate(textUpdate(-100110, '@OrientaPruebaBot como saco la credencial', { entities: [{ type: 'mention', offset: 0, length: 17 }] }));
    const inGroup = await nthSent(-100110, 1);
    await telegram.idle();
    expect(fake.deliveredAt.has(channelPost.update_id)).toBe(true);
    expect(sentTo(fake, 109)).toHaveLength(1);
    expect(sentTo(fake, -1009)).toHaveLength(0);
    expect(sentTo(fake, -100110)).toHaveLength(1);
    expect(shown(inGroup)).toContain('7,866,426');
    expect(inGroup.payload.reply_parameters).toMatchObject({ allow_sending_without_reply: true });
  });

  it('answers the same update only once when it is delivered twice', async () => {
    const update = textUpdate(111, 'como saco la credencial');
    const first = fake.pushUpdate(update);
    fake.pushUpdate({ ...update, update_id: first.update_id });
    await nthSent(111, 1);
    fake.pushUpdate({ ...update, update_id: first.update_id });
    await ask(111, 'hola');
    await telegram.idle();
    expect(sentTo(fake, 111).map((c) => shown(c).includes('7,866,426'))).toEqual([true, false]);
  });

  it('keeps each chat in order while serving other chats meanwhile, and shows "escribiendo…" when slow', async () => {
    sessions.delays.set('telegram:112', 400);
    fake.pushUpdate(textUpdate(112, 'como saco la credencial'));
    fake.pushUpdate(textUpdate(112, 'mas detalles'));
    fake.pushUpdate(textUpdate(113, 'hola'));
    const other = await nthSent(113, 1);
    const second = await nthSent(112, 2);
    const first = sentTo(fake, 112)[0] as FakeCall;
    expect(other.at).toBeLessThan(first.at);
    expect(shown(first)).toContain('7,866,426');
    expect(shown(second)).toContain('69,417');
    const typing = fake.calls.find((c) => c.method === 'sendChatAction' && c.payload.chat_id === 112);
    expect(typing?.payload.action).toBe('typing');
    expect(typing?.at).toBeLessThan(first.at);
    expect(fake.calls.some((c) => c.method === 'sendChatAction' && c.payload.chat_id === 113)).toBe(false);
  });

  it('retries a reply Telegram refused with 429 after retry_after', async () => {
    fake.fail('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }, {
      when: (p) => p.chat_id === 114,
    });
    const sent = await ask(114, 'hola');
    const attempts = fake.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === 114);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(sent.at - (attempts[0] as FakeCall).at).toBeGreaterThanOrEqual(950);
  });

  it('keeps serving other updates while one reply gets a 500, and delivers that one on retry', async () => {
    fake.fail('sendMessage', { error_code: 500, description: 'Internal Server Error' }, { when: (p) => p.chat_id === 115 });
    fake.pushUpdate(textUpdate(115, 'como saco la credencial'));
    await fake.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === 115 && c.status === 500);
    const next = await ask(116, 'hola');
    const retried = await nthSent(115, 1, 8_000);
    expect(next.at).toBeLessThan(retried.at);
    expect(shown(retried)).toContain('7,866,426');
  });

  it('contains a failing update: logs it without the token, apologises, and answers the next message', async () => {
    sessions.failures.set('telegram:117', new Error(`request to ${fake.apiRoot}/bot${TEST_TOKEN}/getSession failed`));
    fake.pushUpdate(textUpdate(117, 'como saco la credencial'));
    const apology = await nthSent(117, 1);
    expect(shown(apology)).toContain('Perdón, tuve un problema');
    sessions.failures.delete('telegram:117');
    const next = await ask(117, 'como saco la credencial');
    expect(shown(next)).toContain('7,866,426');
    const failure = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'telegram update failed');
    expect(failure?.err?.message).toContain('bot[token]/getSession');
  });

  it('never writes the token, nor what people wrote, to the log', () => {
    expect(logLines.length).toBeGreaterThan(0);
    const all = logLines.join('\n');
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain('TEST-token');
    expect(all).not.toContain('como saco la credencial');
  });
});
