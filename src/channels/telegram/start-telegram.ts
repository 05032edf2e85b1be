import { createHmac } from 'node:crypto';
import { type RunnerHandle, run } from '@grammyjs/runner';
import { GrammyError, HttpError, webhookCallback } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { HttpServer } from '../../http/create-http-server.js';
import type { Logger } from '../../logger.js';
import type { TelegramBot } from './create-telegram-bot.js';
import { safeError } from './safe-error.js';
import { TELEGRAM_TEXTS } from './telegram-texts.js';

/** The only updates Orienta asks for; edited messages, channel posts and the rest never come. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface StartTelegramOptions {
  log: Logger;
  /**
   * Webhook mode (several instances behind a load balancer): Telegram POSTs updates to `url`,
   * served by `http` on that URL's path and checked against a secret token (by default derived
   * from the bot token, so every instance agrees without more configuration).
   */
  webhook?: { url: string; http: HttpServer; secretToken?: string };
  /** Long-polling seconds per `getUpdates` (default 30). */
  pollTimeoutSeconds?: number;
  /** Updates handled at once across chats (default 500; one at a time within a chat). */
  concurrency?: number;
  /** How long `getMe` may take at start-up (default 15 s). */
  startupTimeoutMs?: number;
  /** How long `stop()` waits for running updates (default 10 s). */
  drainTimeoutMs?: number;
}

export interface TelegramChannel {
  mode: 'polling' | 'webhook';
  me: UserFromGetMe;
  /**
   * Settles when the channel ends: resolves after `stop()`, rejects with a `TelegramError` if it
   * ends by itself (the token was revoked, another process polls with the same token).
   */
  done: Promise<void>;
  /** Stops taking updates, finishes the running ones (bounded by `drainTimeoutMs`), resolves. */
  stop(): Promise<void>;
}

/** A start-up or run-time failure with what to do about it, logged as one line by `main`. */
export class TelegramError extends Error {
  constructor(
    message: string,
    /** What the operator should do. */
    readonly fix: string,
  ) {
    super(`${message}: ${fix}`);
    this.name = 'TelegramError';
  }
}

/**
 * Starts the Telegram channel: checks the token (`getMe`, no retries: a 401 fails at once with a
 * `TelegramError` saying what to fix), registers the command list, then takes updates by long
 * polling (`@grammyjs/runner`: concurrent across chats, in order within one) or, with `webhook`,
 * by a webhook on the shared HTTP server.
 *
 * ```ts
 * const channel = await startTelegram(telegram, { log });
 * process.on('SIGTERM', () => channel.stop().then(() => sessions.close()));
 * ```
 */
export async function startTelegram(telegram: TelegramBot, opts: StartTelegramOptions): Promise<TelegramChannel> {
  const { bot } = telegram;
  const log = opts.log;
  const me = bot.isInited() ? bot.botInfo : await checkToken(telegram, opts.startupTimeoutMs ?? 15_000);
  bot.botInfo = me;

  try {
    await bot.api.setMyCommands([...TELEGRAM_TEXTS.commands]);
  } catch (err) {
    log.warn({ err: safeError(err, bot.token) }, 'could not register the Telegram command list');
  }

  let runner: RunnerHandle | undefined;
  let accepting = true;
  let resolveStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let done = stopped;

  if (opts.webhook) {
    const { url, http } = opts.webhook;
    const secretToken = opts.webhook.secretToken ?? deriveWebhookSecret(bot.token);
    const path = new URL(url).pathname;
    const callback = webhookCallback(bot, 'http', { secretToken, onTimeout: 'return', timeoutMilliseconds: 8_000 });
    http.route('POST', path, async (req, res) => {
      if (!accepting) {
        // Telegram retries later, possibly on another instance.
        res.writeHead(503, { 'Retry-After': '1' }).end();
        return;
      }
      await callback(req, res);
    });
    await bot.api.setWebhook(url, { secret_token: secretToken, allowed_updates: [...ALLOWED_UPDATES] });
    log.info({ telegram: { bot: me.username, mode: 'webhook', path } }, 'telegram channel started');
  } else {
    await bot.api.deleteWebhook({ drop_pending_updates: false });
    runner = run(bot, {
      runner: {
        fetch: { timeout: opts.pollTimeoutSeconds ?? 30, allowed_updates: [...ALLOWED_UPDATES] },
        silent: true,
      },
      sink: { concurrency: opts.concurrency ?? 500 },
    });
    const task = runner.task();
    if (task) {
      done = task.then(
        () => stopped,
        (err: unknown) => {
          throw runtimeError(err, bot.token);
        },
      );
      done.catch(() => {}); // reported to whoever awaits `done`, never as an unhandled rejection
    }
    log.info({ telegram: { bot: me.username, mode: 'polling', apiRoot: telegram.apiRoot } }, 'telegram channel started');
  }

  let stopping: Promise<void> | undefined;
  async function stop(): Promise<void> {
    accepting = false;
    await runner?.stop();
    const deadline = Date.now() + (opts.drainTimeoutMs ?? 10_000);
    while ((runner?.size() ?? 0) + telegram.inFlight() > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    const left = (runner?.size() ?? 0) + telegram.inFlight();
    if (left > 0) log.warn({ updates: left }, 'telegram stopped with updates still running');
    else log.info('telegram channel stopped');
    resolveStopped();
  }

  return {
    mode: opts.webhook ? 'webhook' : 'polling',
    me,
    get done() {
      return done;
    },
    stop: () => (stopping ??= stop()),
  };
}

/**
 * The webhook's secret token (`X-Telegram-Bot-Api-Secret-Token`): an HMAC of the bot token, so it
 * is secret as long as the token is and the same on every instance. 43 characters of `A-Za-z0-9_-`.
 */
export function deriveWebhookSecret(token: string): string {
  return createHmac('sha256', token).update('orienta telegram webhook').digest('base64url');
}

async function checkToken(telegram: TelegramBot, timeoutMs: number): Promise<UserFromGetMe> {
  const { bot } = telegram;
  try {
    // grammY types its own AbortSignal shim; Node's works the same at run time.
    return await bot.api.getMe(AbortSignal.timeout(timeoutMs) as unknown as Parameters<typeof bot.api.getMe>[0]);
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 401)
      throw new TelegramError(
        'Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)',
        'copy the token again from @BotFather (/mybots → your bot → API Token), or /revoke it there and set the new one',
      );
    if (err instanceof GrammyError && err.error_code === 404)
      throw new TelegramError(
        'the Bot API answered 404 to getMe',
        'check TELEGRAM_BOT_TOKEN and that TELEGRAM_API_ROOT points at a Bot API server (without /bot… or a trailing slash)',
      );
    if (err instanceof HttpError)
      throw new TelegramError(
        `cannot reach the Bot API (${safeError(err, bot.token).cause ?? err.message})`,
        'check the network, or TELEGRAM_API_ROOT if you use your own Bot API server',
      );
    throw err;
  }
}

function runtimeError(err: unknown, token: string): Error {
  if (err instanceof GrammyError && err.error_code === 409)
    return new TelegramError(
      'another process is taking updates for this bot (409 Conflict)',
      'run one instance in long polling, or set TELEGRAM_WEBHOOK_URL on every instance to run several behind a load balancer',
    );
  if (err instanceof GrammyError && err.error_code === 401)
    return new TelegramError('Telegram stopped accepting TELEGRAM_BOT_TOKEN (401)', 'the token was revoked: set the new one from @BotFather');
  const safe = safeError(err, token);
  return new TelegramError(`long polling stopped (${safe.type}: ${safe.message})`, 'see the log above; restart the service');
}
