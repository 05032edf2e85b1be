import { type AutoRetryOptions, autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type Context, GrammyError, HttpError, type Middleware, type Transformer } from 'grammy';
import type { InlineKeyboardButton, MaybeInaccessibleMessage, Message, UserFromGetMe } from 'grammy/types';
import type { Assistant } from '../../core/create-assistant.js';
import { handleMessage } from '../../core/handle-message.js';
import { isUrgent } from '../../core/is-urgent.js';
import type { SessionStore } from '../../core/session-store.js';
import type { IncomingMessage, Reply } from '../../core/types.js';
import type { Logger } from '../../logger.js';
import type { AsyncRateLimiter } from '../../store/create-redis-rate-limiter.js';
import { createMemoryDeduper, type Deduper } from '../../store/deduper.js';
import { addressedText } from './addressed-text.js';
import { feedbackData, MAX_CALLBACK_DATA_BYTES, parseCallbackData } from './callback-data.js';
import { type FormatTelegramOptions, formatTelegram } from './format-telegram.js';
import { safeError } from './safe-error.js';
import { TELEGRAM_TEXTS } from './telegram-texts.js';

/** A 👍 or 👎 under an answer, with the knowledge entry it was about. */
export interface TelegramFeedback {
  channel: 'telegram';
  /** `telegram:<chat id>`. */
  userId: string;
  entryId: string;
  useful: boolean;
  /** Epoch milliseconds. */
  at: number;
}

export interface TelegramBotDeps {
  assistant: Assistant;
  sessions: SessionStore;
  log: Logger;
  /** A self-hosted or fake Bot API server, without a trailing slash (default the public Bot API). */
  apiRoot?: string;
  /** The bot's own user, to skip `getMe` (tests); otherwise `startTelegram` fetches it. */
  botInfo?: UserFromGetMe;
  /** `@grammyjs/auto-retry` options (defaults: 5 attempts, retry_after up to 60 s). */
  retry?: Partial<AutoRetryOptions>;
  /** Where 👍/👎 go (the ops issue brings a store); by default a logged `answer feedback` event. */
  onFeedback?: (feedback: TelegramFeedback) => void | Promise<void>;
  /** Shows "escribiendo…" when the core takes longer than this (default 400 ms; negative: never). */
  typingDelayMs?: number;
  /** How many recent update ids are remembered to drop duplicate deliveries (default 10,000). */
  dedupeWindow?: number;
  /** Where seen update ids are kept; shared (Redis) when several webhook instances run (default in memory). */
  dedupe?: Deduper;
  /**
   * A per-chat limit (keyed `telegram:<chat id>`): updates over it are dropped, and the chat is
   * told to slow down at most once a minute (default none).
   */
  rateLimit?: AsyncRateLimiter;
  /** Chats whose last buttons are remembered, to tell current buttons from old ones (default 100,000). */
  maxTrackedChats?: number;
  format?: FormatTelegramOptions;
  now?: () => number;
}

/** The bot plus what the runner needs to stop it cleanly. */
export interface TelegramBot {
  bot: Bot;
  /** The Bot API server it talks to. */
  apiRoot: string;
  /** Updates being handled right now (waiting for their chat's turn included). */
  inFlight(): number;
  /** Resolves when no update is being handled. */
  idle(): Promise<void>;
}

/** Message kinds answered with "only text and locations", plus the menu. */
const UNSUPPORTED = [
  'message:photo',
  'message:voice',
  'message:audio',
  'message:video',
  'message:video_note',
  'message:sticker',
  'message:document',
  'message:animation',
  'message:contact',
  'message:poll',
  'message:dice',
] as const;

/**
 * Creates the Telegram bot: every citizen message goes through `handleMessage`, and the core's
 * reply is sent the Telegram way (escaped HTML, split under 4,096 characters, options as inline
 * buttons, 👍/👎 under answers). Middleware order: count in-flight updates → drop duplicate update
 * ids → one update at a time per chat → contain errors (log without the token, apologise) →
 * handlers. Does no I/O until started (`startTelegram`) or fed an update (`bot.handleUpdate`).
 *
 * ```ts
 * const telegram = createTelegramBot(token, { assistant, sessions, log });
 * const channel = await startTelegram(telegram, { log });
 * ```
 */
export function createTelegramBot(token: string, deps: TelegramBotDeps): TelegramBot {
  const log = deps.log;
  const now = deps.now ?? Date.now;
  const typingDelayMs = deps.typingDelayMs ?? 400;
  const bot = new Bot(token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}) },
  });
  bot.api.config.use(logFailedCalls(log));
  // getMe is left out so a wrong token or an unreachable server fails the start-up at once.
  const retry = autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, ...deps.retry });
  bot.api.config.use((prev, method, payload, signal) =>
    method === 'getMe' ? prev(method, payload, signal) : retry(prev, method, payload, signal),
  );

  // Read at call time: a knowledge reload may change the phrases and the menu.
  const conv = () => deps.assistant.knowledge.conversation;
  const ask = (userId: string, message: Omit<IncomingMessage, 'userId'>) =>
    handleMessage({ assistant: deps.assistant, sessions: deps.sessions, now: deps.now }, { userId, ...message });
  /** The core's menu (or help, or greeting), asked with the knowledge base's own first phrase for it. */
  const courtesy = (userId: string, kind: 'greeting' | 'help' | 'menu') => ask(userId, { text: conv().phrases[kind][0] });
  const userIdOf = (chatId: number) => `telegram:${chatId}`;
  const recordFeedback =
    deps.onFeedback ??
    ((f: TelegramFeedback) => log.info({ feedback: { entry: f.entryId, useful: f.useful } }, 'answer feedback'));

  // ---------- in-flight updates, for a shutdown that finishes them ----------
  let active = 0;
  let waiters: (() => void)[] = [];
  const idle = () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));

  // ---------- the message each chat's current buttons are on ----------
  const maxChats = deps.maxTrackedChats ?? 100_000;
  const buttonsMessage = new Map<number, number>();
  const rememberButtons = (chatId: number, messageId: number | undefined) => {
    buttonsMessage.delete(chatId);
    if (messageId === undefined) return;
    buttonsMessage.set(chatId, messageId);
    if (buttonsMessage.size > maxChats) buttonsMessage.delete(buttonsMessage.keys().next().value as number);
  };

  /** Sends a reply; in groups the first message quotes the one it answers. */
  async function send(ctx: Context, reply: Reply, replyTo?: number): Promise<void> {
    const chatId = (ctx.chat as { id: number }).id;
    const messages = formatTelegram(reply, deps.format);
    let last: Message.TextMessage | undefined;
    for (const [i, m] of messages.entries())
      last = await ctx.api.sendMessage(chatId, m.text, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        ...(m.keyboard ? { reply_markup: m.keyboard } : {}),
        ...(i === 0 && replyTo !== undefined
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {}),
      });
    rememberButtons(chatId, reply.options.length > 0 ? last?.message_id : undefined);
  }

  /** Asks the core (showing "escribiendo…" if that is slow), then sends the reply. */
  async function answer(ctx: Context, get: (userId: string) => Promise<Reply>, replyTo?: number): Promise<void> {
    const chatId = (ctx.chat as { id: number }).id;
    const typing =
      typingDelayMs >= 0
        ? setTimeout(() => void ctx.api.sendChatAction(chatId, 'typing').catch(() => {}), typingDelayMs)
        : undefined;
    let reply: Reply;
    try {
      reply = await get(userIdOf(chatId));
    } finally {
      clearTimeout(typing);
    }
    await send(ctx, reply, replyTo);
    log.debug({ update: ctx.update.update_id, kind: reply.kind, intent: reply.intent }, 'telegram reply sent');
  }

  const quietly = async (what: string, task: Promise<unknown>) => {
    try {
      await task;
    } catch (err) {
      log.debug({ err: safeError(err, token) }, `${what} failed`);
    }
  };

  /** Drops the rows of a message's keyboard that `drop` picks (the tapped options, the feedback row). */
  async function dropRows(ctx: Context, message: MaybeInaccessibleMessage | undefined, drop: (b: InlineKeyboardButton) => boolean) {
    const rows = message && 'reply_markup' in message ? message.reply_markup?.inline_keyboard : undefined;
    if (!message || !rows) return;
    const keep = rows.filter((row) => !row.some(drop));
    if (keep.length === rows.length) return;
    await ctx.api.editMessageReplyMarkup(message.chat.id, message.message_id, { reply_markup: { inline_keyboard: keep } });
  }

  const dataOf = (b: InlineKeyboardButton) => ('callback_data' in b ? b.callback_data : undefined);

  // ---------- middleware ----------

  // Counted before the (possibly remote) duplicate check, so a shutdown waits for that too.
  bot.use(async (_ctx, next) => {
    active++;
    try {
      await next();
    } finally {
      if (--active === 0) {
        const ws = waiters;
        waiters = [];
        for (const w of ws) w();
      }
    }
  });
  // An emergency skips what could make it wait: the shared duplicate store, the rate limit and
  // the queue of its chat (a second delivery answered twice is the lesser harm).
  const urgent = (ctx: Context) => isUrgent(deps.assistant, ctx.msg?.text ?? ctx.msg?.caption);
  bot.use(dropDuplicates(deps.dedupe ?? createMemoryDeduper({ window: deps.dedupeWindow }), log, urgent));
  if (deps.rateLimit) bot.use(limitPerChat(deps.rateLimit, log, now, urgent));
  bot.use(sequentialize((ctx: Context) => (ctx.chat && !urgent(ctx) ? String(ctx.chat.id) : undefined)));
  bot.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      await apologise(ctx, err);
    }
  });

  async function apologise(ctx: Context, err: unknown): Promise<void> {
    log.error({ err: safeError(err, token), update: ctx.update.update_id }, 'telegram update failed');
    // A blocked bot (403) cannot apologise; anything else gets a plain-text apology.
    if (!ctx.chat || (err instanceof GrammyError && err.error_code === 403)) return;
    if (ctx.callbackQuery) await quietly('answerCallbackQuery', ctx.answerCallbackQuery());
    await quietly('apology', ctx.api.sendMessage(ctx.chat.id, TELEGRAM_TEXTS.apology));
  }

  // Button taps: an option continues the conversation, 👍/👎 is recorded.
  bot.on('callback_query:data', async (ctx) => {
    const query = ctx.callbackQuery;
    const data = parseCallbackData(query.data);
    const message = query.message;
    if (!data || !ctx.chat || (data.type === 'feedback' && !isKnownEntry(deps.assistant.knowledge.entries, data.entryId))) {
      await quietly('answerCallbackQuery', ctx.answerCallbackQuery({ text: TELEGRAM_TEXTS.staleButton }));
      return;
    }
    const chatId = ctx.chat.id;
    if (data.type === 'feedback') {
      await Promise.all([
        quietly('answerCallbackQuery', ctx.answerCallbackQuery({ text: TELEGRAM_TEXTS.feedbackThanks })),
        quietly('removing the feedback row', dropRows(ctx, message, (b) => dataOf(b)?.startsWith('f:') ?? false)),
        quietly(
          'recording feedback',
          Promise.resolve().then(() =>
            recordFeedback({ channel: 'telegram', userId: userIdOf(chatId), entryId: data.entryId, useful: data.useful, at: now() }),
          ),
        ),
      ]);
      return;
    }
    // The number is only safe on the chat's latest buttons; an older message's button is asked
    // by its label instead ("Vacuna de COVID"), since the session's options have moved on.
    const current = message !== undefined && buttonsMessage.get(chatId) === message.message_id;
    const rows = message && 'reply_markup' in message ? message.reply_markup?.inline_keyboard : undefined;
    const tapped = rows?.flat().find((b) => dataOf(b) === query.data);
    const label = tapped?.text.replace(/^\d+\.\s*/, '').replace(/…$/, '');
    if (!current && !label) {
      await quietly('answerCallbackQuery', ctx.answerCallbackQuery({ text: TELEGRAM_TEXTS.staleButton }));
      return;
    }
    await Promise.all([
      quietly('answerCallbackQuery', ctx.answerCallbackQuery()),
      quietly('removing the tapped options', dropRows(ctx, message, (b) => dataOf(b)?.startsWith('o:') ?? false)),
    ]);
    if (current) buttonsMessage.delete(chatId);
    const menuIndex = current ? -1 : conv().menu.findIndex((m) => m.label === label);
    await answer(
      ctx,
      async (userId) => {
        if (current) return ask(userId, { text: String(data.choice) });
        // An old menu: open the menu again, then pick the topic by its number.
        if (menuIndex >= 0) {
          await courtesy(userId, 'menu');
          return ask(userId, { text: String(menuIndex + 1) });
        }
        return ask(userId, { text: label as string });
      },
      ctx.chat.type === 'private' ? undefined : message?.message_id,
    );
  });

  // Messages: in groups only those addressed to the bot.
  const inbox = bot.on('message').filter((ctx) => addressedText(ctx.message, ctx.me).addressed);
  const quote = (ctx: Context & { message: Message }) => (ctx.message.chat.type === 'private' ? undefined : ctx.message.message_id);

  inbox.command('start', (ctx) =>
    answer(
      ctx,
      async (userId) => {
        const greeting = await courtesy(userId, 'greeting');
        const menu = await courtesy(userId, 'menu');
        return { ...menu, intent: 'start', text: `${greeting.text}\n\n${menu.text}` };
      },
      quote(ctx),
    ),
  );
  inbox.command(['ayuda', 'help'], (ctx) => answer(ctx, (userId) => courtesy(userId, 'help'), quote(ctx)));
  inbox.command(['menu', 'temas'], (ctx) => answer(ctx, (userId) => courtesy(userId, 'menu'), quote(ctx)));
  inbox.on('message:text', (ctx) =>
    answer(ctx, (userId) => ask(userId, { text: addressedText(ctx.message, ctx.me).text ?? '' }), quote(ctx)),
  );
  inbox.on('message:location', (ctx) => {
    const { latitude, longitude } = ctx.message.location;
    return answer(ctx, (userId) => ask(userId, { location: { latitude, longitude } }), quote(ctx));
  });
  inbox.on([...UNSUPPORTED], (ctx) =>
    answer(
      ctx,
      async (userId) => {
        const menu = await courtesy(userId, 'menu');
        return { ...menu, intent: 'no-soportado', text: `${TELEGRAM_TEXTS.unsupported}\n\n${menu.text}` };
      },
      quote(ctx),
    ),
  );
  // Everything else (edited messages, channel posts, service messages) is ignored.

  // Last resort: the error boundary above contains handler errors; this catches its own failures.
  bot.catch((err) => log.error({ err: safeError(err.error, token), update: err.ctx.update.update_id }, 'telegram update failed'));

  return { bot, apiRoot: deps.apiRoot ?? 'https://api.telegram.org', inFlight: () => active, idle };
}

/** Drops an update whose id was already seen (long polling and webhooks are at-least-once). */
/** An entry of the knowledge in service, or the beginning of one whose id `feedbackData` had to cut. */
function isKnownEntry(entries: readonly { id: string }[], id: string): boolean {
  return entries.some((e) => e.id === id || (e.id.startsWith(id) && Buffer.byteLength(feedbackData(true, e.id)) === MAX_CALLBACK_DATA_BYTES));
}

function dropDuplicates(dedupe: Deduper, log: Logger, urgent: (ctx: Context) => boolean): Middleware<Context> {
  return async (ctx, next) => {
    const id = ctx.update.update_id;
    if (urgent(ctx)) {
      void Promise.resolve()
        .then(() => dedupe.firstTime(String(id)))
        .catch(() => {});
      return next();
    }
    if (!(await dedupe.firstTime(String(id)))) {
      log.debug({ update: id }, 'duplicate telegram update dropped');
      return;
    }
    await next();
  };
}

/** Drops updates of a chat over its limit; says so politely, once a minute at most per chat. */
function limitPerChat(limiter: AsyncRateLimiter, log: Logger, now: () => number, urgent: (ctx: Context) => boolean): Middleware<Context> {
  const told = new Map<number, number>();
  return async (ctx, next) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined || urgent(ctx) || (await limiter.take(`telegram:${chatId}`))) return next();
    log.debug({ update: ctx.update.update_id }, 'telegram update over the rate limit dropped');
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: TELEGRAM_TEXTS.slowDown }).catch(() => {});
    const last = told.get(chatId);
    if (last !== undefined && now() - last < 60_000) return;
    told.delete(chatId);
    told.set(chatId, now());
    if (told.size > 10_000) told.delete(told.keys().next().value as number);
    await ctx.api.sendMessage(chatId, TELEGRAM_TEXTS.slowDown).catch(() => {});
  };
}

/** Logs each failed Bot API attempt (method and code only: payloads hold what people wrote). */
function logFailedCalls(log: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok)
        log.warn(
          { api: { method, code: res.error_code, description: res.description, retryAfter: res.parameters?.retry_after } },
          'Bot API call failed',
        );
      return res;
    } catch (err) {
      if (err instanceof HttpError && !signal?.aborted) log.warn({ api: { method, error: err.message } }, 'Bot API unreachable');
      throw err;
    }
  };
}
