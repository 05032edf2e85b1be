import { rmSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot, type TelegramBot } from '../../../src/channels/telegram/create-telegram-bot.js';
import { TELEGRAM_TEXTS } from '../../../src/channels/telegram/telegram-texts.js';
import { createAssistant } from '../../../src/core/create-assistant.js';
import { createMemorySessionStore } from '../../../src/core/session-store.js';
import { createRateLimiter } from '../../../src/web/rate-limiter.js';
import { createFakeBotApi, type FakeBotApi, sentTo, TEST_TOKEN, textUpdate } from '../../helpers/fake-bot-api.js';
import { loadOrThrow, makeMiniKb } from '../../helpers/mini-kb.js';

const dir = makeMiniKb();
let fake: FakeBotApi;
let telegram: TelegramBot;
let now = 0;

beforeAll(async () => {
  fake = createFakeBotApi({ token: TEST_TOKEN });
  await fake.listen();
  const assistant = createAssistant(loadOrThrow(dir));
  telegram = createTelegramBot(TEST_TOKEN, {
    assistant,
    sessions: createMemorySessionStore({ ttlMs: 60_000 }),
    log: pino({ level: 'silent' }),
    apiRoot: fake.apiRoot,
    botInfo: fake.me,
    typingDelayMs: -1,
    now: () => now,
    rateLimit: createRateLimiter({ perSecond: 1, burst: 3, now: () => now }),
  });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (chat: number, text: string) => telegram.bot.handleUpdate(fake.pushUpdate(textUpdate(chat, text)));

describe('Telegram per-chat rate limit', () => {
  it('answers a burst up to the limit, then asks to slow down once, and leaves other chats alone', async () => {
    for (let i = 0; i < 8; i++) await send(501, 'menu');
    const texts = sentTo(fake, 501).map((c) => String(c.payload.text));
    expect(texts).toHaveLength(4);
    expect(texts.slice(0, 3).every((t) => t !== TELEGRAM_TEXTS.slowDown)).toBe(true);
    expect(texts[3]).toBe(TELEGRAM_TEXTS.slowDown);
    await send(502, 'menu');
    expect(sentTo(fake, 502)).toHaveLength(1);
    expect(String(sentTo(fake, 502)[0]?.payload.text)).not.toBe(TELEGRAM_TEXTS.slowDown);
  });

  it('answers again once the chat has waited', async () => {
    now += 2_000;
    await send(501, 'menu');
    const texts = sentTo(fake, 501).map((c) => String(c.payload.text));
    expect(texts).toHaveLength(5);
    expect(texts[4]).not.toBe(TELEGRAM_TEXTS.slowDown);
  });

  it('never holds back an emergency, even from a chat over its limit', async () => {
    for (let i = 0; i < 6; i++) await send(503, 'menu');
    const before = sentTo(fake, 503).length;
    await send(503, 'mi hijo no respira ayuda');
    const last = sentTo(fake, 503).slice(before).map((c) => String(c.payload.text));
    expect(last).toHaveLength(1);
    expect(last[0]).toContain('911');
  });
});
